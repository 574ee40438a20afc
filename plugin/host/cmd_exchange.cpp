// mfr push | fetch | outbox: sessions to and from a partner's FHIR server, through the
// plugin's durable outbox. Prints no token and no Bundle.
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "commands.hpp"
#include "files.hpp"
#include "plugin_loader.hpp"

namespace mfr::host {
namespace fs = std::filesystem;

namespace {

Context open_exchange_context(const Api& api, const Common& common, bool needs_system) {
  if (needs_system && common.system.empty())
    throw std::invalid_argument("--system is required: the clinic's identifier system URI, e.g. https://clinic.example/fhir/sessions (or set MFR_IDENTIFIER_SYSTEM).");
  // Reading needs no system of ours; a placeholder keeps the context valid and is never written.
  return Context(api, common.system.empty() ? "urn:mfr-fhir:read-only" : common.system);
}

// "2026-12-03T06:10:00Z".
std::string utc_text(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

const char* state_name(mfr_outbox_state s) {
  switch (s) {
    case MFR_OUTBOX_QUEUED: return "queued";
    case MFR_OUTBOX_IN_FLIGHT: return "in-flight";
    case MFR_OUTBOX_SENT: return "sent";
    case MFR_OUTBOX_FAILED: return "failed";
    case MFR_OUTBOX_DEAD: return "dead";
    case MFR_OUTBOX_STATE_MAX_ENUM: break;
  }
  return "?";
}

void print_delivery(void*, const mfr_delivery* d) {
  std::cerr << "outbox #" << d->outbox_id << ", attempt " << d->attempt << ": " << state_name(d->state) << " (" << d->detail
            << ")\n";
}

std::string partner_name(const ExchangeArgs& a) { return a.partner_name.empty() ? a.partner_url : a.partner_name; }

void add_partner(const Context& ctx, const ExchangeArgs& a) {
  std::string token = a.token;
  if (!a.token_env.empty()) {
    const char* value = std::getenv(a.token_env.c_str());
    if (!value || !*value) throw std::invalid_argument("The environment variable " + a.token_env + " (--token-env) is not set.");
    token = value;
  }
  if (a.cert.empty() != a.key.empty()) throw std::invalid_argument("--cert and --key go together: give both or neither.");
  const std::string name = partner_name(a);
  const auto c_str_or_null = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
  mfr_partner_options o = MFR_PARTNER_OPTIONS_INIT;
  o.name = name.c_str();
  o.base_url = a.partner_url.c_str();
  o.ca_file = c_str_or_null(a.ca);
  o.client_cert_file = c_str_or_null(a.cert);
  o.client_key_file = c_str_or_null(a.key);
  o.bearer_token = c_str_or_null(token);
  o.allow_insecure_http = a.allow_http ? 1 : 0;
  o.operation_timeout_ms = a.timeout_ms;
  o.on_delivery = print_delivery;
  o.max_bundle_entries = a.max_bundle_entries;
  o.max_bundle_bytes = a.max_bundle_bytes;
  ctx.add_partner(o);
}

bool is_fhir(const std::string& file, const std::string& text) {
  if (is_ndjson_file(file)) return true;
  // Session JSON has no resourceType; every FHIR resource and Bundle has one.
  return text.find("\"resourceType\"") != std::string::npos;
}

}  // namespace

int run_push(const Common& common, const ExchangeArgs& args) {
  const Api api = load_plugin(common.plugin);
  const Context ctx = open_exchange_context(api, common, true);
  std::vector<Session> owned;
  std::optional<ImportResult> imported;
  std::vector<std::string> fhir_files;
  bool clean = true;
  for (const std::string& file : args.inputs) {
    const std::string text = read_file(file);
    if (is_fhir(file, text)) {
      fhir_files.push_back(file);
      continue;
    }
    std::string outcome;
    try {
      owned.push_back(ctx.session_from_json(text, &outcome));
    } catch (const Error& e) {
      clean = false;
      std::cerr << file << ": " << e.what() << "\n";
    }
  }
  std::vector<Session> views;
  if (!fhir_files.empty()) {
    imported.emplace(import_files(ctx, fhir_files));
    clean = imported->status() == MFR_OK && clean;
    views = sessions_of(*imported);
  }
  std::vector<const Session*> list;
  for (const Session& s : owned) list.push_back(&s);
  for (const Session& s : views) list.push_back(&s);
  if (list.empty()) throw std::invalid_argument("The input holds no sessions to push.");

  ctx.open_store(args.store);
  add_partner(ctx, args);
  const Context::PushOutcome pushed =
      ctx.push(partner_name(args), list, args.queue_only ? MFR_PUSH_QUEUE_ONLY : MFR_PUSH_SEND_NOW, args.timeout_ms);
  const mfr_push_result& r = pushed.result;
  std::cout << "outbox #" << r.outbox_id;
  if (r.parts > 1) std::cout << ".." << r.last_outbox_id;
  std::cout << ": " << list.size() << (list.size() == 1 ? " session, " : " sessions, ") << r.entries << " entries";
  if (r.parts > 1) std::cout << " in " << r.parts << " Bundles (--max-bundle-entries/--max-bundle-bytes)";
  std::cout << ", " << state_name(r.state);
  if (r.http_status) std::cout << " (HTTP " << r.http_status << ")";
  if (!r.inserted) std::cout << ", already in the outbox";
  std::cout << "\n";
  if (pushed.status != MFR_OK) {
    std::cerr << "mfr: " << pushed.message << "\n";
    if (pushed.status == MFR_ERR_REFUSED && !pushed.answer.empty()) std::cerr << pushed.answer << "\n";
    if (pushed.status != MFR_ERR_REFUSED && args.store.empty())
      std::cerr << "mfr: the outbox was in memory only; pass --store FILE to keep queued Bundles for a later flush.\n";
    return 1;
  }
  return clean ? 0 : 1;
}

int run_fetch(const Common& common, const ExchangeArgs& args) {
  const Api api = load_plugin(common.plugin);
  const Context ctx = open_exchange_context(api, common, false);
  add_partner(ctx, args);
  const ImportResult r = ctx.fetch(partner_name(args), args.patient);
  const mfr_import_counts c = r.counts();
  std::vector<Session> views;
  for (size_t i = 0; i < r.size(); ++i) views.push_back(r.session(i));
  if (!args.out.empty()) {
    std::vector<const Session*> list;
    for (const Session& s : views) list.push_back(&s);
    const bool directory = fs::is_directory(args.out) || args.out.back() == '/';
    write_sessions(ctx, list, directory ? "ndjson" : "collection", args.out);
  } else {
    for (const Session& s : views) {
      if (args.json) {
        std::cout << s.to_json() << "\n";
      } else {
        print_session_lines(s);
      }
    }
  }
  // mfr_import_counts.resources counts ours and the rejected; the foreign come on top.
  std::cerr << "fetched " << c.resources + c.foreign << " resources of " << args.patient << ": " << c.sessions << " sessions, "
            << c.rejected << " rejected, " << c.foreign << " foreign (not skin-rolling records)"
            << (args.out.empty() ? "" : ", written to " + args.out) << "\n";
  return r.status() == MFR_OK ? 0 : 1;
}

int run_outbox(const Common& common, const ExchangeArgs& args) {
  if (args.store.empty()) throw std::invalid_argument("--store is required: the outbox's SQLite file, e.g. --store clinic.db.");
  if (!fs::exists(args.store)) throw std::invalid_argument("The store \"" + args.store + "\" does not exist.");
  const Api api = load_plugin(common.plugin);
  const Context ctx = open_exchange_context(api, common, false);
  ctx.open_store(args.store);
  if (args.action == "list") {
    std::cout << ctx.outbox_list(args.partner_name);
  } else if (args.action == "retry") {
    if (args.id <= 0) throw std::invalid_argument("outbox retry needs the row's ID, e.g. `mfr outbox --store clinic.db retry 7`.");
    ctx.outbox_retry(args.id);
    std::cout << "outbox #" << args.id << ": queued again\n";
  } else if (args.action == "purge-dead") {
    std::cout << "purged " << ctx.outbox_purge_dead() << " dead rows\n";
  } else {
    if (args.partner_url.empty()) throw std::invalid_argument("outbox flush needs --partner-url (and --ca, --token... as for push).");
    add_partner(ctx, args);
    const mfr_flush_report f = ctx.flush(partner_name(args));
    std::cout << "flushed to " << partner_name(args) << ": ";
    if (f.recut)
      std::cout << f.recut << (f.recut == 1 ? " row" : " rows") << " queued before the limits cut into " << f.recut_parts
                << " Bundles (--max-bundle-entries/--max-bundle-bytes), ";
    std::cout << f.sent << " sent, " << f.failed << " failed, " << f.dead
              << " dead, " << f.remaining << " waiting";
    if (f.in_flight) std::cout << " (" << f.in_flight << " in flight with another sender that is alive)";
    if (f.retry_at)
      std::cout << "; the partner is rate-limiting (" << f.deferred << (f.deferred == 1 ? " Bundle" : " Bundles")
                << " deferred) and asked us to wait until " << utc_text(f.retry_at)
                << ", so nothing more goes to it before then";
    else if (f.stopped_early)
      std::cout << " (the partner could not be reached)";
    std::cout << "\n";
    if (f.stopped_early || f.dead) return 1;
  }
  const mfr_outbox_counts n = ctx.outbox_counts();
  std::cerr << "outbox: " << n.queued << " queued, " << n.in_flight << " in flight, " << n.sent << " sent, " << n.failed
            << " failed, " << n.dead << " dead\n";
  return 0;
}

}  // namespace mfr::host
