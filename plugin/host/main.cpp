// mfr — the reference host. It loads libmfr-fhir with dlopen() through mfr_plugin_entry(),
// exactly as an EMR would, and drives it from the command line.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  using namespace mfr::host;
  CLI::App app{"mfr: record, import, export and chart skin-rolling treatments as FHIR R4, through the mfr-fhir plugin."};
  app.require_subcommand(1);
  Common common;
  if (const char* env = std::getenv("MFR_IDENTIFIER_SYSTEM")) common.system = env;
  app.add_option("--plugin", common.plugin, "Path of libmfr-fhir.so.1 (default: next to mfr, then ../lib, then the system's)");
  app.add_option("--system", common.system, "The clinic's identifier system URI (default: $MFR_IDENTIFIER_SYSTEM)");

  auto* version = app.add_subcommand("version", "Print the host's and the plugin's versions and ABI");

  RecordArgs record;
  auto* rec = app.add_subcommand("record", "Turn session JSON files into FHIR R4");
  rec->add_option("SESSION", record.inputs, "Session JSON files (see include/mfr/mfr.h, mfr_session_from_json)")->required()->check(CLI::ExistingFile);
  rec->add_option("--format", record.format, "collection | transaction | ndjson")->check(CLI::IsMember({"collection", "transaction", "ndjson"}));
  rec->add_option("--out", record.out, "Output file (a directory for ndjson: one file per resource type); default stdout");

  RecordArgs exp;
  auto* ex = app.add_subcommand("export", "Read FHIR files (JSON, Bundle, NDJSON) and write them in another form");
  ex->add_option("FILE", exp.inputs, "FHIR JSON or NDJSON files")->required()->check(CLI::ExistingFile);
  ex->add_option("--format", exp.format, "collection | transaction | ndjson")->check(CLI::IsMember({"collection", "transaction", "ndjson"}));
  ex->add_option("--out", exp.out, "Output file (a directory for ndjson); default stdout");

  ImportArgs imp;
  auto* im = app.add_subcommand("import", "Read FHIR files (JSON, Bundle, NDJSON) and print the sessions they hold");
  im->add_option("FILE", imp.inputs, "FHIR JSON or NDJSON files")->required()->check(CLI::ExistingFile);
  im->add_flag("--json", imp.json, "Print session JSON, one line per session");

  ChartArgs chart;
  auto* ch = app.add_subcommand("chart", "Draw SVG charts from FHIR files: a course chart (or the spine map of a single session)");
  ch->add_option("FILE", chart.inputs, "FHIR JSON or NDJSON files")->required()->check(CLI::ExistingFile);
  ch->add_option("--patient", chart.patient, "Patient reference whose sessions to draw (needed when the input has several)");
  ch->add_option("--out", chart.out, "SVG file to write")->required();
  ch->add_option("--each", chart.each_dir, "Also write one spine map per session into this directory");
  ch->add_flag("--full-spine", chart.full_spine, "Show C1 to the sacrum, not only the levels with findings");
  ch->add_option("--lang", chart.language, "Label language: en, fr, de");
  ch->add_option("--width", chart.width, "Width in pixels (default 560)");

  ValidateArgs val;
  auto* va = app.add_subcommand("validate", "Check FHIR files (JSON, Bundle, NDJSON): one line per issue, exit 1 on any error");
  va->add_option("FILE", val.inputs, "FHIR JSON or NDJSON files")->required()->check(CLI::ExistingFile);
  va->add_flag("--strict", val.strict, "Our profiles' rules are errors (default: lenient, as for what we receive)");

  auto* doctor = app.add_subcommand("doctor", "Print the plugin's build info and run its self-test (TLS, store, codecs, validator)");

  ImportNotesArgs notes;
  auto* in = app.add_subcommand("import-notes", "Batch-import legacy notes (text, CSV, HL7 v2) into FHIR NDJSON, resumable");
  in->add_option("PATH", notes.inputs, "Note files or directories")->required()->check(CLI::ExistingPath);
  in->add_option("--format", notes.format, "text | csv | hl7v2")->check(CLI::IsMember({"text", "csv", "hl7v2"}));
  in->add_option("--out", notes.out, "Output directory (NDJSON, report, quarantine, checkpoint)")->required();
  in->add_option("--patient", notes.patient, "Patient reference for notes that name none (e.g. one folder per patient)");
  in->add_option("--patient-system", notes.patient_system, "Identifier system of patient numbers in the notes");
  in->add_option("--csv-columns", notes.csv_columns, "CSV mapping, e.g. patient=MRN,date=Visit date,note=Text,id=NoteID");
  in->add_option("--namespace", notes.id_namespace, "Name of the old system, part of every session id");
  in->add_option("--threads", notes.threads, "Worker threads (default 2)");
  in->add_flag("--month-first", notes.month_first, "Read 04/03/2019 as 3 April (default: 4 March)");
  in->add_option("--lang", notes.language, "The notes' language: en, fr or de (default: found per note)");
  in->add_flag("--restart", notes.restart, "Ignore the checkpoint in --out and start over");
  in->add_flag("--fail-on-quarantine", notes.fail_on_quarantine, "Exit 1 when any note was quarantined");

  ExchangeArgs xch;
  const auto partner_options = [&xch](CLI::App* cmd, bool url_required) {
    auto* url = cmd->add_option("--partner-url", xch.partner_url, "The partner's FHIR base URL, e.g. https://partner.example/fhir");
    if (url_required) url->required();
    cmd->add_option("--partner", xch.partner_name, "The partner's name in the outbox (default: its URL)");
    cmd->add_option("--ca", xch.ca, "PEM file of the CA that issues the partner's certificate (default: the system's)")->check(CLI::ExistingFile);
    cmd->add_option("--cert", xch.cert, "Our client certificate for mTLS (PEM)")->check(CLI::ExistingFile);
    cmd->add_option("--key", xch.key, "The client certificate's private key (PEM)")->check(CLI::ExistingFile);
    auto* token = cmd->add_option("--token", xch.token, "A bearer token (prefer --token-env: others can read command lines)");
    cmd->add_option("--token-env", xch.token_env, "The environment variable that holds the bearer token")->excludes(token);
    cmd->add_flag("--allow-http", xch.allow_http, "Accept a plain http:// partner URL (loopback tests only)");
    cmd->add_option("--timeout", xch.timeout_ms, "Time limit in ms of each send or search page, retries included");
    cmd->add_option("--store", xch.store, "The outbox's SQLite file (default: in memory, lost at exit)");
  };
  const auto bundle_limits = [&xch](CLI::App* cmd) {
    cmd->add_option("--max-bundle-entries", xch.max_bundle_entries,
                    "The partner's limit of entries per transaction Bundle: a push becomes several Bundles of whole sessions")
        ->check(CLI::Range(1, 1'000'000));
    cmd->add_option("--max-bundle-bytes", xch.max_bundle_bytes,
                    "The partner's limit of bytes per transaction Bundle: a push becomes several Bundles of whole sessions")
        ->check(CLI::Range(1LL, 1LL << 40));
  };
  auto* push = app.add_subcommand("push", "Send sessions to a partner as FHIR transactions, through the durable outbox");
  push->add_option("FILE", xch.inputs, "Session JSON or FHIR files")->required()->check(CLI::ExistingFile);
  partner_options(push, true);
  push->add_flag("--queue-only", xch.queue_only, "Only queue the Bundle; `mfr outbox flush` sends it");
  bundle_limits(push);
  auto* fetch = app.add_subcommand("fetch", "Fetch a patient's sessions from a partner and print them (or write FHIR)");
  partner_options(fetch, true);
  fetch->add_option("--patient", xch.patient, "The patient as the partner knows it, e.g. Patient/123")->required();
  fetch->add_option("--out", xch.out, "Write FHIR instead: a .json file (collection Bundle) or a directory/ (NDJSON)");
  fetch->add_flag("--json", xch.json, "Print session JSON, one line per session");
  auto* outbox = app.add_subcommand("outbox", "Look after the outbox: list | retry ID | purge-dead | flush (needs --store)");
  outbox->add_option("ACTION", xch.action, "list | retry | purge-dead | flush")->required()->check(CLI::IsMember({"list", "retry", "purge-dead", "flush"}));
  outbox->add_option("ID", xch.id, "The outbox row to retry");
  partner_options(outbox, false);
  bundle_limits(outbox);

  ServeArgs serve_args;
  auto* serve = app.add_subcommand("serve", "Serve the store as a FHIR R4 endpoint for partner clinics, until SIGINT/SIGTERM");
  serve->add_option("--store", serve_args.store, "The SQLite store to serve and fill (default: in memory, lost at exit)");
  serve->add_option("--tls", serve_args.tls, "The server's certificate chain and private key: CERT.pem KEY.pem")->expected(2)->check(CLI::ExistingFile);
  serve->add_option("--client-ca", serve_args.client_ca, "Require client certificates issued by this CA (mTLS)")->check(CLI::ExistingFile);
  serve->add_option("--token", serve_args.tokens, "A partner's token NAME:SECRET:read,write (repeatable; prefer --token-file)");
  serve->add_option("--token-file", serve_args.token_file, "A file of tokens, one NAME:SECRET:SCOPES a line")->check(CLI::ExistingFile);
  serve->add_option("--port", serve_args.port, "TCP port (default 8443; 0: any free port, printed)")->check(CLI::Range(0, 65535));
  serve->add_option("--bind", serve_args.bind, "IP address to listen on (default 127.0.0.1)");
  serve->add_flag("--allow-http", serve_args.allow_http, "Plain HTTP without --tls, only on a loopback address (tests)");
  serve->add_option("--public-url", serve_args.public_url, "The base URL partners use, e.g. behind a proxy (for next links)");
  serve->add_option("--threads", serve_args.threads, "Worker threads (default 2)")->check(CLI::Range(1, 64));
  serve->add_option("--rate-limit", serve_args.rate_limit, "Requests per second per client address (default 50; bursts of twice that)")->check(CLI::Range(1u, 10'000'000u));
  serve->add_option("--export-dir", serve_args.export_dir, "Folder for $export NDJSON files (default: STORE.exports, or a temp folder)");
  serve->add_option("--subscriber-ca", serve_args.subscriber_ca,
                    "PEM CA file Subscription endpoints' certificates must chain to (default: the system trust store)")
      ->check(CLI::ExistingFile);
  serve->add_flag("--allow-http-subscribers", serve_args.allow_http_subscribers,
                  "Take Subscriptions with an http:// endpoint on a loopback address (tests)");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*version) return run_version(common);
    if (*rec) return run_record(common, record);
    if (*ex) return run_export(common, exp);
    if (*im) return run_import(common, imp);
    if (*ch) return run_chart(common, chart);
    if (*va) return run_validate(common, val);
    if (*serve) return run_serve(common, serve_args);
    if (*push) return run_push(common, xch);
    if (*fetch) return run_fetch(common, xch);
    if (*outbox) return run_outbox(common, xch);
    if (*in) return run_import_notes(common, notes);
    if (*doctor) return run_doctor(common);
  } catch (const mfr::Error& e) {
    std::cerr << "mfr: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mfr: " << e.what() << "\n";
    return 2;
  }
  return 2;
}
