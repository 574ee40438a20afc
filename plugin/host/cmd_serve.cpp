// mfr serve: the clinic's records as a FHIR R4 endpoint for partner clinics, until SIGINT or
// SIGTERM. Logs one line per request (no query, no token, no resource) to stderr.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "commands.hpp"
#include "plugin_loader.hpp"

namespace mfr::host {
namespace {

void log_line(void*, mfr_log_level, const char* message) { std::fprintf(stderr, "%s\n", message); }

std::vector<std::string> token_lines(const ServeArgs& args) {
  std::vector<std::string> tokens = args.tokens;
  if (!args.token_file.empty()) {
    std::ifstream in(args.token_file);
    if (!in) throw std::invalid_argument("Cannot read the token file \"" + args.token_file + "\" (--token-file).");
    for (std::string line; std::getline(in, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty() && line[0] != '#') tokens.push_back(line);
    }
  }
  if (tokens.empty()) throw std::invalid_argument("Give partners at least one token: --token NAME:SECRET:read,write (or --token-file).");
  return tokens;
}

}  // namespace

int run_serve(const Common& common, const ServeArgs& args) {
  if (args.tls.size() != 2 && !args.allow_http)
    throw std::invalid_argument("--tls CERT.pem KEY.pem is required (or --allow-http on a loopback address, for tests).");
  const std::vector<std::string> tokens = token_lines(args);
  std::vector<const char*> token_ptrs;
  for (const std::string& t : tokens) token_ptrs.push_back(t.c_str());

  // Block the stop signals before the plugin starts its threads, so they all inherit the mask
  // and only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const Api api = load_plugin(common.plugin);
  const Context ctx(api, common.system.empty() ? "urn:mfr-fhir:server" : common.system, log_line, nullptr, MFR_LOG_INFO);
  const auto c_str_or_null = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
  mfr_server_options o = MFR_SERVER_OPTIONS_INIT;
  o.bind_address = args.bind.c_str();
  o.port = args.port;
  if (args.tls.size() == 2) {
    o.certificate_file = args.tls[0].c_str();
    o.private_key_file = args.tls[1].c_str();
  }
  o.client_ca_file = c_str_or_null(args.client_ca);
  o.tokens = token_ptrs.data();
  o.token_count = token_ptrs.size();
  o.store_path = c_str_or_null(args.store);
  o.public_base_url = c_str_or_null(args.public_url);
  o.allow_plain_http = args.allow_http && args.tls.size() != 2 ? 1 : 0;
  o.threads = args.threads;
  o.export_directory = c_str_or_null(args.export_dir);
  o.subscriber_ca_file = c_str_or_null(args.subscriber_ca);
  o.allow_http_subscribers = args.allow_http_subscribers ? 1 : 0;
  o.requests_per_second = args.rate_limit;
  Server server(ctx, o);
  std::cout << "mfr serve: listening on " << (o.allow_plain_http ? "http" : "https") << "://" << args.bind << ":"
            << server.port() << "/fhir" << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << "mfr serve: stopping (" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
  server.stop();
  return 0;
}

}  // namespace mfr::host
