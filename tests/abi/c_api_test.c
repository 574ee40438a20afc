/* The C ABI used from plain C99, as a C host would: build a session, export it, import it
 * back, and check that bad calls return the right status instead of crashing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mfr/mfr.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    ++checks;                                                         \
    if (!(cond)) {                                                    \
      ++failures;                                                     \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", \
              __FILE__, __LINE__, #cond, mfr_last_error());           \
    }                                                                 \
  } while (0)

static mfr_context *open_context(void) {
  mfr_context_options options = MFR_CONTEXT_OPTIONS_INIT;
  mfr_context *ctx = NULL;
  options.identifier_system = "https://clinic.example/fhir/sessions";
  CHECK(mfr_context_open(&ctx, &options) == MFR_OK);
  return ctx;
}

static void test_record_export_import(void) {
  mfr_context *ctx = open_context();
  mfr_session *s = NULL;
  mfr_finding f = MFR_FINDING_INIT;
  char *bundle = NULL;
  size_t len = 0;
  mfr_import_result *result = NULL;
  mfr_import_counts counts = MFR_IMPORT_COUNTS_INIT;
  const mfr_session *back = NULL;
  mfr_session_info info = MFR_SESSION_INFO_INIT;
  mfr_finding read = MFR_FINDING_INIT;

  CHECK(mfr_session_new(&s, ctx, "S-C-1") == MFR_OK);
  CHECK(mfr_session_set_patient(s, "Patient/p-1") == MFR_OK);
  CHECK(mfr_session_set_practitioner(s, "Practitioner/9") == MFR_OK);
  CHECK(mfr_session_set_period(s, "2019-03-04T10:30:00+01:00", "2019-03-04T11:00:00+01:00") == MFR_OK);
  CHECK(mfr_session_add_region(s, MFR_REGION_THORACIC_SPINE) == MFR_OK);
  CHECK(mfr_session_set_course(s, 1, 4) == MFR_OK);

  f.site_kind = MFR_SITE_VERTEBRA;
  f.level = MFR_LEVEL_T4;
  f.side = MFR_SIDE_BILATERAL;
  f.restriction = 2;
  f.pain_nrs = 6;
  f.tender = 1;
  f.released = MFR_RELEASE_PARTIAL;
  CHECK(mfr_session_add_finding(s, &f) == MFR_OK);
  f.site_kind = MFR_SITE_REGION;
  f.region = MFR_REGION_UPPER_TRAPEZIUS;
  f.side = MFR_SIDE_RIGHT;
  f.pain_nrs = -1;
  f.pain_vas_mm = "42.5";
  CHECK(mfr_session_add_finding(s, &f) == MFR_OK);

  CHECK(mfr_export(&bundle, &len, ctx, (const mfr_session *const *)&s, 1, MFR_FORMAT_BUNDLE_TRANSACTION) == MFR_OK);
  CHECK(bundle != NULL && len == strlen(bundle));
  CHECK(strstr(bundle, "\"ifNoneExist\": \"identifier=https://clinic.example/fhir/sessions|S-C-1/73071006/left\"") != NULL);
  CHECK(strstr(bundle, "\"value\": 42.5") != NULL);

  CHECK(mfr_import(&result, ctx, bundle, len, MFR_INPUT_AUTO) == MFR_OK);
  CHECK(mfr_import_result_counts(result, &counts) == MFR_OK);
  CHECK(counts.resources == 4 && counts.rejected == 0 && counts.sessions == 1 && counts.errors == 0);
  CHECK(mfr_import_result_session(&back, result, 0) == MFR_OK);
  CHECK(mfr_session_get_info(back, &info) == MFR_OK);
  CHECK(strcmp(info.id, "S-C-1") == 0);
  CHECK(strcmp(info.patient, "Patient/p-1") == 0);
  CHECK(strcmp(info.start, "2019-03-04T10:30:00+01:00") == 0);
  CHECK(info.finding_count == 3 && info.region_count == 1 && info.session_number == 1 && info.planned_sessions == 4);
  CHECK(mfr_session_get_finding(back, 2, &read) == MFR_OK);
  CHECK(read.site_kind == MFR_SITE_REGION && read.region == MFR_REGION_UPPER_TRAPEZIUS && read.side == MFR_SIDE_RIGHT);
  CHECK(read.pain_vas_mm != NULL && strcmp(read.pain_vas_mm, "42.5") == 0);
  CHECK(mfr_session_get_finding(back, 3, &read) == MFR_ERR_NOT_FOUND);

  mfr_import_result_free(result);
  mfr_free(bundle);
  mfr_session_free(s);
  mfr_context_close(ctx);
}

static void test_bad_calls(void) {
  mfr_context *ctx = open_context();
  mfr_session *s = NULL;
  mfr_finding f = MFR_FINDING_INIT;
  mfr_context_options bad = MFR_CONTEXT_OPTIONS_INIT;
  mfr_context *none = NULL;
  char *out = NULL;
  mfr_import_result *result = NULL;
  mfr_session_info info = MFR_SESSION_INFO_INIT;

  /* NULL arguments and handles */
  CHECK(mfr_session_new(NULL, ctx, "x") == MFR_ERR_INVALID_ARGUMENT);
  CHECK(mfr_session_new(&s, NULL, "x") == MFR_ERR_INVALID_HANDLE);
  CHECK(strstr(mfr_last_error(), "mfr_context handle is NULL") != NULL);
  CHECK(mfr_session_set_patient(NULL, "Patient/1") == MFR_ERR_INVALID_HANDLE);
  CHECK(mfr_context_open(&none, &bad) == MFR_ERR_INVALID_ARGUMENT);
  bad.identifier_system = "not a uri";
  CHECK(mfr_context_open(&none, &bad) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(strstr(mfr_last_error(), "absolute URI") != NULL);

  /* A freed handle is refused, not dereferenced. */
  CHECK(mfr_session_new(&s, ctx, "S-freed") == MFR_OK);
  mfr_session_free(s);
  CHECK(mfr_session_set_patient(s, "Patient/1") == MFR_ERR_INVALID_HANDLE);
  CHECK(strstr(mfr_last_error(), "already freed") != NULL);
  CHECK(mfr_session_get_info(s, &info) == MFR_ERR_INVALID_HANDLE);
  mfr_session_free(s); /* a second free is harmless */
  /* A pointer of another kind is refused too. */
  CHECK(mfr_session_set_patient((mfr_session *)ctx, "Patient/1") == MFR_ERR_INVALID_HANDLE);

  /* Out-of-range values name the field. */
  CHECK(mfr_session_new(&s, ctx, "S-bad") == MFR_OK);
  f.restriction = 4;
  CHECK(mfr_session_add_finding(s, &f) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(strstr(mfr_last_error(), "finding->restriction 4") != NULL);
  f.restriction = 1;
  f.pain_vas_mm = "120";
  CHECK(mfr_session_add_finding(s, &f) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(strstr(mfr_last_error(), "pain_vas_mm") != NULL);
  f.pain_vas_mm = NULL;
  f.struct_size = 8;
  CHECK(mfr_session_add_finding(s, &f) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(strstr(mfr_last_error(), "struct_size") != NULL);
  CHECK(mfr_session_set_period(s, "04/03/2019", NULL) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(mfr_session_set_status(s, (mfr_session_status)42) == MFR_ERR_INVALID_ARGUMENT);
  /* Exporting a session with no patient or start is refused with the reason. */
  CHECK(mfr_export(&out, NULL, ctx, (const mfr_session *const *)&s, 1, MFR_FORMAT_NDJSON) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(out == NULL);

  /* Malformed JSON: a parse status, a result with the OperationOutcome, line and column. */
  CHECK(mfr_import(&result, ctx, "{\"resourceType\": \"Procedure\",\n \"status\": }", MFR_NUL_TERMINATED, MFR_INPUT_JSON) == MFR_ERR_PARSE);
  CHECK(strstr(mfr_last_error(), "line 2, column 12") != NULL);
  CHECK(mfr_import_result_outcome(&out, NULL, result) == MFR_OK);
  CHECK(strstr(out, "\"Line[2] Col[12]\"") != NULL);
  mfr_free(out);
  mfr_import_result_free(result);

  CHECK(strcmp(mfr_status_str(MFR_ERR_PARSE), "MFR_ERR_PARSE: malformed JSON") == 0);
  CHECK(strcmp(mfr_status_str((mfr_status)999), "unknown status") == 0);
  mfr_session_free(s);
  mfr_context_close(ctx);
  mfr_context_close(NULL);
}

static void test_version(void) {
  CHECK(mfr_version_number() == MFR_VERSION_NUMBER);
  CHECK(strcmp(mfr_version(), MFR_VERSION_STRING) == 0);
  CHECK(MFR_VERSION_AT_LEAST(0, 1, 0));
  CHECK(!MFR_VERSION_AT_LEAST(9, 0, 0));
}

int main(void) {
  test_version();
  test_record_export_import();
  test_bad_calls();
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}
