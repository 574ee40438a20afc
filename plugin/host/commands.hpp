#pragma once
// The subcommands of `mfr`, the reference host. Each returns the process exit status:
// 0 success, 1 the input had problems (reported), 2 usage or environment errors.
#include <string>
#include <vector>

#include "mfr/mfr.hpp"

namespace mfr::host {

struct Common {
  std::string plugin;  // --plugin
  std::string system;  // --system: the clinic's identifier system URI
};

struct RecordArgs {
  std::vector<std::string> inputs;
  std::string format = "collection";
  std::string out;
};
int run_version(const Common& common);
int run_record(const Common& common, const RecordArgs& args);   // session JSON -> FHIR
int run_export(const Common& common, const RecordArgs& args);   // FHIR -> FHIR in another form

struct ImportArgs {
  std::vector<std::string> inputs;
  bool json = false;  // print session JSON instead of a table
};
int run_import(const Common& common, const ImportArgs& args);

struct ChartArgs {
  std::vector<std::string> inputs;
  std::string patient;   // the patient whose sessions to draw; required when the input has several
  std::string out;       // the course chart (a spine map when there is one session)
  std::string each_dir;  // also one spine map per session here
  bool full_spine = false;
  std::string language = "en";
  int width = 0;
};
int run_chart(const Common& common, const ChartArgs& args);

struct ValidateArgs {
  std::vector<std::string> inputs;
  bool strict = false;  // our profiles' rules as errors (for what we emit); default lenient
};
int run_validate(const Common& common, const ValidateArgs& args);

// Prints the plugin's build info and self-test; exit 1 when a part fails.
int run_doctor(const Common& common);

struct ImportNotesArgs {
  std::vector<std::string> inputs;  // files or directories
  std::string format = "text";      // text | csv | hl7v2
  std::string out;
  std::string patient;              // default patient for notes that name none
  std::string patient_system;
  std::string csv_columns;
  std::string language;  // --lang: en, fr, de; empty: found per note
  std::string id_namespace;
  int threads = 2;
  bool month_first = false;
  bool restart = false;
  bool fail_on_quarantine = false;  // exit 1 when any note was quarantined (for scripts)
};
int run_import_notes(const Common& common, const ImportNotesArgs& args);

// mfr push | fetch | outbox (cmd_exchange.cpp): a partner's FHIR server, through the outbox.
struct ExchangeArgs {
  std::vector<std::string> inputs;  // push: session JSON or FHIR files
  std::string partner_url;          // the partner's FHIR base
  std::string partner_name;         // its name in the outbox; default: the URL
  std::string ca, cert, key;        // trust and mTLS, PEM files
  std::string token, token_env;     // a bearer token, or the variable that holds it
  std::string store;                // the outbox's SQLite file; empty: in memory
  bool queue_only = false;
  bool allow_http = false;
  unsigned timeout_ms = 0;
  int max_bundle_entries = 0;       // push, outbox flush: the partner's Bundle limits; 0 none
  long long max_bundle_bytes = 0;
  std::string patient;              // fetch: Patient/123
  std::string out;                  // fetch: FHIR output file or directory/
  bool json = false;                // fetch: session JSON lines
  std::string action;               // outbox: list | retry | purge-dead | flush
  long long id = 0;                 // outbox retry: the row
};
int run_push(const Common& common, const ExchangeArgs& args);
int run_fetch(const Common& common, const ExchangeArgs& args);
int run_outbox(const Common& common, const ExchangeArgs& args);
// Prints a session and its findings as `mfr import` does.
void print_session_lines(const Session& s);

// mfr serve (cmd_serve.cpp): the clinic's FHIR endpoint for partners, until SIGINT/SIGTERM.
struct ServeArgs {
  std::string store;                // SQLite file; empty: in memory
  std::vector<std::string> tls;     // CERT.pem KEY.pem
  std::string client_ca;            // require client certificates from this CA
  std::vector<std::string> tokens;  // NAME:SECRET:read,write
  std::string token_file;           // one token per line
  int port = 8443;
  std::string bind = "127.0.0.1";
  bool allow_http = false;
  std::string public_url;
  int threads = 2;
  std::string export_dir;           // $export files; empty: STORE.exports (or a temp folder)
  std::string subscriber_ca;        // CA of Subscription endpoints; empty: the system trust store
  bool allow_http_subscribers = false;  // http:// Subscription endpoints on loopback
  unsigned rate_limit = 0;          // requests per second per address; 0: the plugin's default (50)
};
int run_serve(const Common& common, const ServeArgs& args);

// Shared by the commands.
mfr_format parse_format(const std::string& name);
// Writes `sessions` in `format` to `out` (a file, a directory for split NDJSON, or stdout when empty).
void write_sessions(const Context& ctx, const std::vector<const Session*>& sessions, const std::string& format,
                    const std::string& out);
// Imports FHIR files together (Observations in one NDJSON file find their Procedure in another)
// and prints each issue to stderr as "location: severity at expression: message". The result's
// status() is MFR_OK unless a resource was rejected.
ImportResult import_files(const Context& ctx, const std::vector<std::string>& inputs);
// Views of the sessions an import holds, valid while the result lives.
std::vector<Session> sessions_of(const ImportResult& result);
// True when the file name ends in ".ndjson".
bool is_ndjson_file(const std::string& path);

}  // namespace mfr::host
