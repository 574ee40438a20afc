// Self-diagnosis for support calls: what this build is (mfr_build_info) and whether its parts
// work on this machine (mfr_selftest). Neither touches patient data; the self-test uses a
// made-up session and an in-memory store.
#include <openssl/opensslv.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "codec/export.hpp"
#include "codec/import.hpp"
#include "codec/session_json.hpp"
#include "exchange/boost_version.hpp"
#include "json/json.hpp"
#include "mfr/mfr.h"
#include "plugin/abi/guard.hpp"
#include "store/store.hpp"
#include "validate/validate.hpp"

using namespace mfr::abi;

namespace {

std::string compiler_text() {
#if defined(__clang__)
  return "Clang " __clang_version__;
#elif defined(__GNUC__)
  return "GCC " __VERSION__;
#else
  return "unknown";
#endif
}

bool built_with_sanitizers() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

// One part of the self-test: a name, whether it passed, and a sentence for the support desk.
struct Check {
  std::string name;
  bool ok = false;
  std::string detail;
  mfr_status status = MFR_OK;  // what the whole self-test returns when this is the first failure
};

// TLS: a client context with the system trust store, as the exchange module makes one. The
// hashed directory is loaded lazily by OpenSSL, so the bundle file is loaded explicitly to be
// able to count certificates; a directory alone is accepted when it has entries.
Check check_tls() {
  Check c{"tls", false, "", MFR_ERR_IO};
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  if (!ctx) {
    c.detail = "OpenSSL could not create a TLS client context.";
    return c;
  }
  const char* file_env = std::getenv(X509_get_default_cert_file_env());
  const char* dir_env = std::getenv(X509_get_default_cert_dir_env());
  const std::string file = file_env ? file_env : X509_get_default_cert_file();
  const std::string dir = dir_env ? dir_env : X509_get_default_cert_dir();
  std::error_code ec;
  if (std::filesystem::is_regular_file(file, ec) && SSL_CTX_load_verify_locations(ctx.get(), file.c_str(), nullptr) == 1) {
    const int count = sk_X509_OBJECT_num(X509_STORE_get0_objects(SSL_CTX_get_cert_store(ctx.get())));
    c.ok = count > 0;
    c.detail = c.ok ? "system trust store loaded: " + std::to_string(count) + " certificates from " + file
                    : "the trust store file " + file + " holds no certificates.";
    return c;
  }
  std::size_t entries = 0;
  if (std::filesystem::is_directory(dir, ec))
    for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
      ++entries;
  if (entries > 0 && SSL_CTX_load_verify_locations(ctx.get(), nullptr, dir.c_str()) == 1) {
    c.ok = true;
    c.detail = "system trust store: directory " + dir + " with " + std::to_string(entries) + " entries";
  } else {
    c.detail = "no system trust store: neither " + file + " nor the directory " + dir +
               " has certificates (install ca-certificates, or set SSL_CERT_FILE).";
  }
  return c;
}

// Store: an in-memory SQLite store written and read back byte for byte.
Check check_store() {
  Check c{"store", false, "", MFR_ERR_IO};
  const std::string resource =
      R"({"resourceType":"Procedure","id":"selftest-1","status":"completed","subject":{"reference":"Patient/selftest"}})";
  auto store = mfr::store::Store::open("");
  store.put(resource);
  const auto back = store.read("Procedure", "selftest-1");
  c.ok = back && back->json == resource;
  c.detail = c.ok ? std::string("in-memory SQLite store: wrote and read back a Procedure (SQLite ") + sqlite3_libversion() + ")"
                  : "the in-memory SQLite store did not give back the Procedure it was given.";
  return c;
}

constexpr const char* kSelftestSession = R"({
  "id": "SELFTEST-1", "patient": "Patient/selftest", "start": "2019-03-04T10:30:00+01:00",
  "regions": ["thoracic-spine"],
  "findings": [{"site": "T4", "side": "left", "restriction": 2, "pain": 6, "tender": true, "released": "partial"},
               {"region": "upper-trapezius", "side": "right", "restriction": 1}]})";

// Codecs: session JSON -> FHIR Bundle -> sessions -> the same Bundle bytes. Also gives the
// Bundle to the validator check.
Check check_codecs(std::string& bundle_text) {
  Check c{"codecs", false, "", MFR_ERR_INTERNAL};
  std::vector<mfr::codec::Issue> issues;
  auto sessions = mfr::codec::sessions_from_json_text(kSelftestSession, issues);
  if (!sessions || sessions->size() != 1) {
    c.detail = "the built-in session JSON was not read back as one session.";
    return c;
  }
  const mfr::codec::ExportOptions options{"https://selftest.invalid/fhir/sessions"};
  bundle_text = mfr::codec::export_bundle(*sessions, mfr::codec::BundleType::Collection, options).dump(true);
  auto imported = mfr::codec::import_json(bundle_text);
  if (imported.rejected != 0 || imported.sessions.size() != 1) {
    c.detail = "re-importing the exported Bundle gave " + std::to_string(imported.sessions.size()) + " sessions and " +
               std::to_string(imported.rejected) + " rejected resources (expected 1 and 0).";
    return c;
  }
  const std::string again =
      mfr::codec::export_bundle(imported, mfr::codec::BundleType::Collection, options).dump(true);
  c.ok = again == bundle_text;
  c.detail = c.ok ? "exported 1 session with 2 findings as a Bundle, re-imported it and re-exported the same bytes"
                  : "re-exporting the re-imported session did not give the same Bundle bytes.";
  return c;
}

Check check_validator(const std::string& bundle_text) {
  Check c{"validator", false, "", MFR_ERR_INTERNAL};
  if (bundle_text.empty()) {
    c.detail = "not run: the codecs check made no Bundle.";
    return c;
  }
  const auto issues = mfr::validate::validate_text(bundle_text, mfr::validate::Strictness::Strict);
  std::size_t errors = 0;
  std::string first;
  for (const auto& i : issues)
    if (i.severity == mfr::validate::Severity::Error || i.severity == mfr::validate::Severity::Fatal) {
      if (errors++ == 0) first = i.diagnostics;
    }
  c.ok = errors == 0;
  c.detail = c.ok ? "the exported Bundle is valid FHIR R4 and meets our profiles (strict)"
                  : std::to_string(errors) + " validation errors in our own export, the first: " + first;
  return c;
}

// Runs one check; an exception is that check's failure, never the whole call's.
template <typename Fn>
Check run_check(const char* name, mfr_status status, Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Check{name, false, std::string("threw: ") + e.what(), status};
  } catch (...) {
    return Check{name, false, "threw an unknown exception", status};
  }
}

}  // namespace

extern "C" {

MFR_API mfr_status mfr_build_info(char** json_out, size_t* len) {
  return guard([&] {
    require(json_out, "json_out");
    mfr::json::Value info = mfr::json::Value::object();
    info["name"] = "mfr-fhir";
    info["version"] = MFR_VERSION_STRING;
    info["versionNumber"] = static_cast<unsigned>(MFR_VERSION_NUMBER);
    info["abi"] = static_cast<unsigned>(MFR_ABI_VERSION);
    info["soname"] = "libmfr-fhir.so.1";
    info["compiler"] = compiler_text();
    info["cplusplus"] = static_cast<long>(__cplusplus);
#if defined(NDEBUG)
    info["optimised"] = true;
#else
    info["optimised"] = false;
#endif
    info["sanitizers"] = built_with_sanitizers();
    mfr::json::Value& deps = info["dependencies"];
    deps["openssl"]["built"] = OPENSSL_VERSION_TEXT;
    deps["openssl"]["running"] = OpenSSL_version(OPENSSL_VERSION);
    deps["sqlite"]["built"] = SQLITE_VERSION;
    deps["sqlite"]["running"] = sqlite3_libversion();
    deps["boost"]["built"] = mfr::exchange::boost_version();
    mfr::json::Value& features = info["features"];
    for (const char* f : {"session-json", "fhir-r4-export", "fhir-r4-import", "fhir-r4-validate", "svg-charts",
                          "legacy-notes", "sqlite-store", "https-exchange"})
      features.push_back(f);
    *json_out = to_host_buffer(info.dump(true) + "\n", len);
  });
}

MFR_API mfr_status mfr_selftest(char** report_json, size_t* len) {
  mfr_status result = MFR_OK;
  const mfr_status st = guard([&] {
    require(report_json, "report_json");
    std::string bundle;
    std::vector<Check> checks;
    checks.push_back(run_check("tls", MFR_ERR_IO, check_tls));
    checks.push_back(run_check("store", MFR_ERR_IO, check_store));
    checks.push_back(run_check("codecs", MFR_ERR_INTERNAL, [&] { return check_codecs(bundle); }));
    checks.push_back(run_check("validator", MFR_ERR_INTERNAL, [&] { return check_validator(bundle); }));

    mfr::json::Value report = mfr::json::Value::object();
    const Check* failed = nullptr;
    for (const Check& c : checks)
      if (!c.ok && !failed) failed = &c;
    report["ok"] = failed == nullptr;
    report["version"] = MFR_VERSION_STRING;
    mfr::json::Value& list = report["checks"];
    for (const Check& c : checks) {
      mfr::json::Value item = mfr::json::Value::object();
      item["name"] = c.name;
      item["ok"] = c.ok;
      item["detail"] = c.detail;
      list.push_back(std::move(item));
    }
    *report_json = to_host_buffer(report.dump(true) + "\n", len);
    if (failed) {
      result = failed->status;
      set_last_error("Self-test failed in part \"" + failed->name + "\": " + failed->detail);
    }
  });
  return st != MFR_OK ? st : result;
}

}  // extern "C"
