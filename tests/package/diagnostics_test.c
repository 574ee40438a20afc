/* mfr_build_info and mfr_selftest through the C ABI. With --no-trust-store the system trust
 * store is pointed at nothing: the self-test must fail in "tls", say so, and still run the rest. */
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mfr/mfr.h>

static int failures = 0;
#define EXPECT(cond, ...)                                       \
  do {                                                          \
    if (!(cond)) {                                              \
      ++failures;                                               \
      fprintf(stderr, "line %d: %s: ", __LINE__, #cond);        \
      fprintf(stderr, __VA_ARGS__);                             \
      fprintf(stderr, " (last error: %s)\n", mfr_last_error()); \
    }                                                           \
  } while (0)

/* The "ok" of the check named `name` in the pretty report: 1, 0, or -1 when absent. */
static int check_ok(const char *report, const char *name) {
  char key[64];
  snprintf(key, sizeof key, "\"name\": \"%s\"", name);
  const char *at = strstr(report, key);
  if (!at) return -1;
  const char *ok = strstr(at, "\"ok\": ");
  if (!ok) return -1;
  return strncmp(ok + 6, "true", 4) == 0 ? 1 : 0;
}

static int contains_pair(const char *json, const char *key, const char *value) {
  char pair[256];
  snprintf(pair, sizeof pair, "\"%s\": \"%s\"", key, value);
  return strstr(json, pair) != NULL;
}

int main(int argc, char **argv) {
  const int no_trust_store = argc > 1 && strcmp(argv[1], "--no-trust-store") == 0;
  if (no_trust_store) {
    setenv("SSL_CERT_FILE", "/nonexistent/mfr-test/ca.pem", 1);
    setenv("SSL_CERT_DIR", "/nonexistent/mfr-test/certs", 1);
  }

  char *info = NULL;
  size_t info_len = 0;
  EXPECT(mfr_build_info(&info, &info_len) == MFR_OK, "mfr_build_info");
  EXPECT(info && strlen(info) == info_len, "length %zu", info_len);
  if (info) {
    EXPECT(contains_pair(info, "version", mfr_version()), "no version %s in %s", mfr_version(), info);
    EXPECT(strstr(info, "\"abi\": 1") != NULL, "no abi in %s", info);
    /* The versions the library runs with are those this process sees. */
    EXPECT(contains_pair(info, "running", sqlite3_libversion()), "no SQLite %s in %s", sqlite3_libversion(), info);
    EXPECT(contains_pair(info, "running", OpenSSL_version(OPENSSL_VERSION)), "no %s in %s",
           OpenSSL_version(OPENSSL_VERSION), info);
    EXPECT(strstr(info, "\"boost\"") && strstr(info, "\"compiler\": \"") && strstr(info, "\"features\": ["),
           "boost, compiler or features missing in %s", info);
  }
  mfr_free(info);
  EXPECT(mfr_build_info(NULL, NULL) == MFR_ERR_INVALID_ARGUMENT, "NULL json_out accepted");
  EXPECT(strstr(mfr_last_error(), "json_out") != NULL, "the message does not name json_out");

  char *report = NULL;
  size_t report_len = 0;
  const mfr_status st = mfr_selftest(&report, &report_len);
  EXPECT(report != NULL && strlen(report) == report_len, "report length %zu", report_len);
  if (report) {
    EXPECT(check_ok(report, "store") == 1, "store: %s", report);
    EXPECT(check_ok(report, "codecs") == 1, "codecs: %s", report);
    EXPECT(check_ok(report, "validator") == 1, "validator: %s", report);
    if (no_trust_store) {
      EXPECT(st == MFR_ERR_IO, "status %s", mfr_status_str(st));
      EXPECT(check_ok(report, "tls") == 0, "tls not failed: %s", report);
      EXPECT(strstr(report, "\"ok\": false") == strstr(report, "\"ok\""), "the report's first ok is not false: %s", report);
      EXPECT(strstr(mfr_last_error(), "\"tls\"") && strstr(mfr_last_error(), "/nonexistent/mfr-test/ca.pem"),
             "the message does not name the part and the file");
    } else {
      EXPECT(st == MFR_OK, "status %s", mfr_status_str(st));
      EXPECT(check_ok(report, "tls") == 1, "tls: %s", report);
      EXPECT(strncmp(report, "{\n  \"ok\": true", 14) == 0, "report: %s", report);
    }
  }
  mfr_free(report);
  EXPECT(mfr_selftest(NULL, NULL) == MFR_ERR_INVALID_ARGUMENT, "NULL report_json accepted");

  /* Both are in the plugin table too. */
  const mfr_api *api = mfr_plugin_entry(MFR_ABI_VERSION);
  EXPECT(api && api->build_info == mfr_build_info && api->selftest == mfr_selftest, "table entries");

  if (failures) {
    fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  printf("diagnostics%s: 1 passed, 0 failed\n", no_trust_store ? " without a trust store" : "");
  return 0;
}
