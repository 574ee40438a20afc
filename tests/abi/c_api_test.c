/* The C ABI used from plain C99, as a C host would: build a session, export it, import it
 * back, and check that bad calls return the right status instead of crashing. */
#include <stddef.h>
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
  CHECK(mfr_import_result_counts_get(&counts, result) == MFR_OK);
  CHECK(counts.resources == 4 && counts.rejected == 0 && counts.sessions == 1 && counts.errors == 0);
  CHECK(mfr_import_result_session(&back, result, 0) == MFR_OK);
  CHECK(mfr_session_info_get(&info, back) == MFR_OK);
  CHECK(strcmp(info.id, "S-C-1") == 0);
  CHECK(strcmp(info.patient, "Patient/p-1") == 0);
  CHECK(strcmp(info.start, "2019-03-04T10:30:00+01:00") == 0);
  CHECK(info.finding_count == 3 && info.region_count == 1 && info.session_number == 1 && info.planned_sessions == 4);
  CHECK(mfr_session_finding_get(&read, back, 2) == MFR_OK);
  CHECK(read.site_kind == MFR_SITE_REGION && read.region == MFR_REGION_UPPER_TRAPEZIUS && read.side == MFR_SIDE_RIGHT);
  CHECK(read.pain_vas_mm != NULL && strcmp(read.pain_vas_mm, "42.5") == 0);
  CHECK(mfr_session_finding_get(&read, back, 3) == MFR_ERR_NOT_FOUND);

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
  CHECK(mfr_session_info_get(&info, s) == MFR_ERR_INVALID_HANDLE);
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

/* The import's issues as structs: a parse error, validation errors in NDJSON, bounds and NULLs. */
static void test_issue_accessors(void) {
  mfr_context *ctx = open_context();
  mfr_import_result *result = NULL;
  mfr_issue issue = MFR_ISSUE_INIT;
  mfr_import_counts counts = MFR_IMPORT_COUNTS_INIT;
  size_t n = 99;
  char parse_message[512];
  const char *ndjson =
      "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"valueInteger\":\"6\"}\n"
      "{\"resourceType\": }\n";
  mfr_input_buffer in = MFR_INPUT_BUFFER_INIT;

  /* A parse error: one fatal "structure" issue with line and column; the status comes from the result. */
  CHECK(mfr_import(&result, ctx, "{\"resourceType\": \"Procedure\",\n \"status\": }", MFR_NUL_TERMINATED, MFR_INPUT_JSON) == MFR_ERR_PARSE);
  snprintf(parse_message, sizeof parse_message, "%s", mfr_last_error());
  CHECK(mfr_import_result_issue_count(&n, result) == MFR_OK);
  CHECK(n == 1);
  CHECK(mfr_import_result_issue(&issue, result, 0) == MFR_OK);
  CHECK(issue.severity == MFR_SEVERITY_FATAL);
  CHECK(strcmp(issue.code, "structure") == 0);
  CHECK(issue.line == 2 && issue.column == 12);
  CHECK(strcmp(issue.expression, "") == 0 && strcmp(issue.source, "") == 0 && strcmp(issue.resource, "") == 0);
  CHECK(issue.record == 0);
  /* One wording of a parse error: the issue's sentence is the call's message. */
  CHECK(strcmp(issue.diagnostics, parse_message) == 0);
  CHECK(strstr(issue.diagnostics, "The JSON is not well formed at line 2, column 12: ") == issue.diagnostics);
  /* Past the end, NULL out, too small a struct, NULL result. */
  CHECK(mfr_import_result_issue(&issue, result, 1) == MFR_ERR_NOT_FOUND);
  CHECK(mfr_import_result_issue(NULL, result, 0) == MFR_ERR_INVALID_ARGUMENT);
  issue.struct_size = 8;
  CHECK(mfr_import_result_issue(&issue, result, 0) == MFR_ERR_INVALID_ARGUMENT);
  issue.struct_size = sizeof issue;
  CHECK(mfr_import_result_issue(&issue, NULL, 0) == MFR_ERR_INVALID_HANDLE);
  CHECK(mfr_import_result_issue_count(NULL, result) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(mfr_import_result_issue_count(&n, NULL) == MFR_ERR_INVALID_HANDLE);
  mfr_import_result_free(result);

  /* The same sentence from validate and from session JSON. */
  {
    char *outcome = NULL;
    mfr_session *s = NULL;
    CHECK(mfr_validate(&outcome, NULL, ctx, "{\"resourceType\": \"Procedure\",\n \"status\": }", MFR_NUL_TERMINATED,
                       MFR_INPUT_JSON, MFR_LENIENT) == MFR_ERR_PARSE);
    CHECK(strcmp(mfr_last_error(), parse_message) == 0);
    CHECK(outcome && strstr(outcome, parse_message) != NULL);
    mfr_free(outcome);
    outcome = NULL;
    CHECK(mfr_session_from_json(&s, &outcome, ctx, "{\"resourceType\": \"Procedure\",\n \"status\": }", MFR_NUL_TERMINATED) == MFR_ERR_PARSE);
    CHECK(strcmp(mfr_last_error(), parse_message) == 0);
    CHECK(outcome && strstr(outcome, parse_message) != NULL);
    mfr_free(outcome);
  }

  /* NDJSON with a named input: a rejected resource (wrong JSON type) and a malformed line. */
  in.name = "obs.ndjson";
  in.data = ndjson;
  in.len = MFR_NUL_TERMINATED;
  in.input = MFR_INPUT_NDJSON;
  CHECK(mfr_import_many(&result, ctx, &in, 1) == MFR_ERR_INVALID_DATA);
  CHECK(mfr_import_result_counts_get(&counts, result) == MFR_OK);
  CHECK(counts.rejected == 2);
  CHECK(mfr_import_result_issue_count(&n, result) == MFR_OK);
  CHECK(n >= 2);
  {
    size_t i, errors = 0, typed = 0, parsed = 0;
    for (i = 0; i < n; ++i) {
      CHECK(mfr_import_result_issue(&issue, result, i) == MFR_OK);
      CHECK(strcmp(issue.source, "obs.ndjson") == 0);
      if (issue.severity == MFR_SEVERITY_ERROR || issue.severity == MFR_SEVERITY_FATAL) ++errors;
      if (strcmp(issue.expression, "Observation.valueInteger") == 0 && issue.record == 1 && issue.line == 1 &&
          strcmp(issue.code, "structure") == 0)
        ++typed;
      if (issue.severity == MFR_SEVERITY_FATAL && issue.record == 2 && issue.line == 2 &&
          strstr(issue.diagnostics, "The JSON is not well formed at line 2, column ") == issue.diagnostics)
        ++parsed;
    }
    CHECK(errors == counts.errors);
    CHECK(typed == 1);
    CHECK(parsed == 1);
  }
  mfr_import_result_free(result);
  mfr_context_close(ctx);
}

/* mfr_validate_issues and mfr_session_from_json_issues: the issues as structs, the same as the
 * OperationOutcome text of mfr_validate and mfr_session_from_json says. */
static void test_validation_accessors(void) {
  mfr_context *ctx = open_context();
  mfr_validation *v = NULL;
  mfr_issue issue = MFR_ISSUE_INIT;
  size_t n = 99, i;
  char *text = NULL, *again = NULL;
  char *bundle = NULL;
  size_t bundle_len = 0;
  mfr_session *s = NULL;
  mfr_import_result *result = NULL;
  char message[512];
  const char *ndjson =
      "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"valueInteger\":\"6\"}\n"
      "{\"resourceType\": }\n";
  const char *session_json =
      "{\"id\": \"S-V\", \"patient\": \"Patient/p-1\", \"start\": \"2019-03-04T10:30:00+01:00\",\n"
      " \"findings\": [{\"site\": \"T4\", \"pain\": 12}, {\"site\": \"T5\", \"colour\": \"red\"}]}";
  const mfr_api *api = mfr_plugin_entry(MFR_ABI_VERSION);

  /* NDJSON with a typed error on line 1 and a malformed line 2: every issue, in the outcome's order. */
  CHECK(mfr_validate_issues(&v, ctx, ndjson, MFR_NUL_TERMINATED, MFR_INPUT_NDJSON, MFR_LENIENT) == MFR_ERR_INVALID_DATA);
  CHECK(strstr(mfr_last_error(), "errors in") != NULL);
  CHECK(mfr_validation_issue_count(&n, v) == MFR_OK);
  CHECK(n >= 2);
  {
    size_t typed = 0, parsed = 0;
    for (i = 0; i < n; ++i) {
      CHECK(mfr_validation_issue(&issue, v, i) == MFR_OK);
      CHECK(strcmp(issue.source, "") == 0);
      if (strcmp(issue.expression, "Observation.valueInteger") == 0 && issue.line == 1 && issue.record == 1 &&
          strcmp(issue.resource, "Observation/o1") == 0 && issue.severity == MFR_SEVERITY_ERROR)
        ++typed;
      if (issue.severity == MFR_SEVERITY_FATAL && issue.line == 2 && issue.record == 2 && strcmp(issue.code, "structure") == 0)
        ++parsed;
    }
    CHECK(typed == 1 && parsed == 1);
  }
  /* The result's OperationOutcome is the one mfr_validate writes, byte for byte. */
  CHECK(mfr_validation_outcome(&text, NULL, v) == MFR_OK);
  CHECK(mfr_validate(&again, NULL, ctx, ndjson, MFR_NUL_TERMINATED, MFR_INPUT_NDJSON, MFR_LENIENT) == MFR_ERR_INVALID_DATA);
  CHECK(text && again && strcmp(text, again) == 0);
  mfr_free(text);
  mfr_free(again);
  /* Bounds, NULLs, a too small struct, a handle of another kind, a freed one. */
  CHECK(mfr_validation_issue(&issue, v, n) == MFR_ERR_NOT_FOUND);
  CHECK(strstr(mfr_last_error(), "the validation has") != NULL);
  CHECK(mfr_validation_issue(NULL, v, 0) == MFR_ERR_INVALID_ARGUMENT);
  issue.struct_size = 8;
  CHECK(mfr_validation_issue(&issue, v, 0) == MFR_ERR_INVALID_ARGUMENT);
  issue.struct_size = sizeof issue;
  CHECK(mfr_validation_issue_count(NULL, v) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(mfr_validation_outcome(NULL, NULL, v) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(mfr_validation_issue_count(&n, (const mfr_validation *)ctx) == MFR_ERR_INVALID_HANDLE);
  mfr_validation_free(v);
  CHECK(mfr_validation_issue_count(&n, v) == MFR_ERR_INVALID_HANDLE);
  CHECK(strstr(mfr_last_error(), "mfr_validation") != NULL);
  mfr_validation_free(v); /* a second free is harmless */
  mfr_validation_free(NULL);
  v = NULL;
  CHECK(mfr_validate_issues(NULL, ctx, ndjson, MFR_NUL_TERMINATED, MFR_INPUT_NDJSON, MFR_LENIENT) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(mfr_validate_issues(&v, NULL, ndjson, MFR_NUL_TERMINATED, MFR_INPUT_NDJSON, MFR_LENIENT) == MFR_ERR_INVALID_HANDLE);
  CHECK(mfr_validate_issues(&v, ctx, ndjson, MFR_NUL_TERMINATED, (mfr_input)7, MFR_LENIENT) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(v == NULL);

  /* Malformed JSON: MFR_ERR_PARSE with the result, one fatal issue whose sentence is the message. */
  CHECK(mfr_validate_issues(&v, ctx, "{\"resourceType\": \"Procedure\",\n \"status\": }", MFR_NUL_TERMINATED,
                            MFR_INPUT_JSON, MFR_STRICT) == MFR_ERR_PARSE);
  CHECK(mfr_validation_issue_count(&n, v) == MFR_OK && n == 1);
  CHECK(mfr_validation_issue(&issue, v, 0) == MFR_OK);
  CHECK(issue.severity == MFR_SEVERITY_FATAL && issue.line == 2 && issue.column == 12 && issue.record == 0);
  CHECK(strstr(issue.diagnostics, "The JSON is not well formed at line 2, column 12: ") == issue.diagnostics);
  mfr_validation_free(v);

  /* A clean export: MFR_OK, no issue, the "No issues found" outcome. */
  CHECK(mfr_session_new(&s, ctx, "S-CLEAN") == MFR_OK);
  CHECK(mfr_session_set_patient(s, "Patient/p-1") == MFR_OK);
  CHECK(mfr_session_set_period(s, "2019-03-04T10:30:00+01:00", NULL) == MFR_OK);
  CHECK(mfr_export(&bundle, &bundle_len, ctx, (const mfr_session *const *)&s, 1, MFR_FORMAT_BUNDLE_COLLECTION) == MFR_OK);
  mfr_session_free(s);
  s = NULL;
  CHECK(mfr_validate_issues(&v, ctx, bundle, bundle_len, MFR_INPUT_AUTO, MFR_STRICT) == MFR_OK);
  CHECK(mfr_validation_issue_count(&n, v) == MFR_OK && n == 0);
  CHECK(mfr_validation_issue(&issue, v, 0) == MFR_ERR_NOT_FOUND);
  CHECK(mfr_validation_outcome(&text, NULL, v) == MFR_OK && strstr(text, "No issues found.") != NULL);
  mfr_free(text);
  mfr_free(bundle);
  /* Not tied to its context: it is read after the context is closed. */
  mfr_context_close(ctx);
  CHECK(mfr_validation_issue_count(&n, v) == MFR_OK && n == 0);
  mfr_validation_free(v);
  v = NULL;
  ctx = open_context();

  /* Session JSON with two errors: no session, both issues as structs with their JSON paths,
   * the same message as mfr_session_from_json. */
  CHECK(mfr_session_from_json(&s, NULL, ctx, session_json, MFR_NUL_TERMINATED) == MFR_ERR_INVALID_DATA);
  snprintf(message, sizeof message, "%s", mfr_last_error());
  CHECK(strstr(message, "at findings[0].pain (and 1 more issues)") != NULL);
  v = (mfr_validation *)ctx; /* set to NULL on entry */
  CHECK(mfr_session_from_json_issues(&s, &v, ctx, session_json, MFR_NUL_TERMINATED) == MFR_ERR_INVALID_DATA);
  CHECK(strcmp(mfr_last_error(), message) == 0);
  CHECK(s == NULL && v != NULL && v != (mfr_validation *)ctx);
  CHECK(mfr_validation_issue_count(&n, v) == MFR_OK && n == 2);
  CHECK(mfr_validation_issue(&issue, v, 0) == MFR_OK);
  CHECK(issue.severity == MFR_SEVERITY_ERROR && strcmp(issue.expression, "findings[0].pain") == 0);
  CHECK(strstr(issue.diagnostics, "\"pain\" must be a whole number from 0 to 10") != NULL);
  CHECK(mfr_validation_issue(&issue, v, 1) == MFR_OK);
  CHECK(issue.severity == MFR_SEVERITY_ERROR && strstr(issue.expression, "findings[1]") == issue.expression);
  CHECK(mfr_validation_outcome(&text, NULL, v) == MFR_OK && strstr(text, "findings[1]") != NULL);
  mfr_free(text);
  mfr_validation_free(v);
  v = NULL;
  /* Not JSON: MFR_ERR_PARSE, one fatal issue. */
  CHECK(mfr_session_from_json_issues(&s, &v, ctx, "{\"id\": ", MFR_NUL_TERMINATED) == MFR_ERR_PARSE);
  snprintf(message, sizeof message, "%s", mfr_last_error()); /* the next call that succeeds clears it */
  CHECK(s == NULL && mfr_validation_issue_count(&n, v) == MFR_OK && n == 1);
  CHECK(mfr_validation_issue(&issue, v, 0) == MFR_OK && issue.severity == MFR_SEVERITY_FATAL && issue.line == 1);
  CHECK(strcmp(issue.diagnostics, message) == 0);
  mfr_validation_free(v);
  v = NULL;
  /* A good session: MFR_OK, the session, a result without issues; NULL issues is fine. */
  CHECK(mfr_session_from_json_issues(&s, &v, ctx, "{\"id\": \"S-OK\", \"patient\": \"Patient/p-1\", \"start\": \"2019-03-04\"}",
                                     MFR_NUL_TERMINATED) == MFR_OK);
  CHECK(s != NULL && v != NULL && mfr_validation_issue_count(&n, v) == MFR_OK && n == 0);
  {
    mfr_session_info info = MFR_SESSION_INFO_INIT;
    CHECK(mfr_session_info_get(&info, s) == MFR_OK && strcmp(info.id, "S-OK") == 0);
  }
  mfr_session_free(s);
  mfr_validation_free(v);
  s = NULL;
  CHECK(mfr_session_from_json_issues(&s, NULL, ctx, "{\"id\": \"S-OK2\", \"patient\": \"Patient/p-1\", \"start\": \"2019-03-04\"}",
                                     MFR_NUL_TERMINATED) == MFR_OK);
  CHECK(s != NULL);
  mfr_session_free(s);
  CHECK(mfr_session_from_json_issues(NULL, &v, ctx, "{}", MFR_NUL_TERMINATED) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(v == NULL);

  /* An import result is not a validation, and the other way round. */
  CHECK(mfr_import(&result, ctx, "{\"resourceType\": \"Patient\"}", MFR_NUL_TERMINATED, MFR_INPUT_JSON) == MFR_OK);
  CHECK(mfr_validation_issue(&issue, (const mfr_validation *)result, 0) == MFR_ERR_INVALID_HANDLE);
  mfr_import_result_free(result);

  /* Appended to the table, after the twins. */
  CHECK(MFR_API_HAS(api, validation_outcome));
  CHECK(api->validate_issues == mfr_validate_issues && api->session_from_json_issues == mfr_session_from_json_issues);
  CHECK(api->validation_free == mfr_validation_free && api->validation_issue_count == mfr_validation_issue_count);
  CHECK(api->validation_issue == mfr_validation_issue && api->validation_outcome == mfr_validation_outcome);
  CHECK(offsetof(mfr_api, validate_issues) > offsetof(mfr_api, batch_execute));
  mfr_context_close(ctx);
}

/* The out-parameters-first twins give what the first release's names give: the one test that
 * calls the deprecated aliases (exported, in their table slots), on purpose. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static void test_out_first_twins(void) {
  mfr_context *ctx = open_context();
  mfr_session *s = NULL;
  mfr_finding f = MFR_FINDING_INIT;
  mfr_finding a = MFR_FINDING_INIT, b = MFR_FINDING_INIT;
  mfr_session_info ia = MFR_SESSION_INFO_INIT, ib = MFR_SESSION_INFO_INIT;
  mfr_region ra = MFR_REGION_OTHER, rb = MFR_REGION_OTHER;
  mfr_import_result *result = NULL;
  mfr_import_counts ca = MFR_IMPORT_COUNTS_INIT, cb = MFR_IMPORT_COUNTS_INIT;
  mfr_batch *batch = NULL;
  mfr_batch_options options = MFR_BATCH_OPTIONS_INIT;
  mfr_batch_progress pa = MFR_BATCH_PROGRESS_INIT, pb = MFR_BATCH_PROGRESS_INIT;
  const mfr_api *api = mfr_plugin_entry(MFR_ABI_VERSION);
  CHECK(mfr_session_new(&s, ctx, "S-TWIN") == MFR_OK);
  f.level = MFR_LEVEL_T4;
  f.restriction = 2;
  CHECK(mfr_session_add_finding(s, &f) == MFR_OK);
  CHECK(mfr_session_add_region(s, MFR_REGION_THORACIC_SPINE) == MFR_OK);
  CHECK(mfr_session_info_get(&ia, s) == MFR_OK);
  CHECK(mfr_session_get_info(s, &ib) == MFR_OK);
  CHECK(strcmp(ia.id, "S-TWIN") == 0 && strcmp(ib.id, "S-TWIN") == 0 && ia.finding_count == 1 && ib.finding_count == 1);
  CHECK(mfr_session_finding_get(&a, s, 0) == MFR_OK);
  CHECK(mfr_session_get_finding(s, 0, &b) == MFR_OK);
  CHECK(a.level == MFR_LEVEL_T4 && b.level == MFR_LEVEL_T4 && a.restriction == 2 && b.restriction == 2);
  CHECK(mfr_session_finding_get(&a, s, 1) == MFR_ERR_NOT_FOUND);
  CHECK(mfr_session_region_get(&ra, s, 0) == MFR_OK);
  CHECK(mfr_session_get_region(s, 0, &rb) == MFR_OK);
  CHECK(ra == MFR_REGION_THORACIC_SPINE && rb == MFR_REGION_THORACIC_SPINE);
  CHECK(mfr_session_region_get(NULL, s, 0) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(mfr_import(&result, ctx, "{\"resourceType\": \"Patient\"}", MFR_NUL_TERMINATED, MFR_INPUT_JSON) == MFR_OK);
  CHECK(mfr_import_result_counts_get(&ca, result) == MFR_OK);
  CHECK(mfr_import_result_counts(result, &cb) == MFR_OK);
  CHECK(ca.resources == 0 && ca.foreign == 1 && cb.foreign == 1 && ca.sessions == cb.sessions);
  mfr_import_result_free(result);
  CHECK(mfr_batch_new(&batch, ctx, &options) == MFR_OK);
  CHECK(mfr_batch_add_note(batch, "T4 L ++", MFR_NUL_TERMINATED, "n-1", "Patient/p-1", "2019-03-04", "1") == MFR_OK);
  CHECK(mfr_batch_run(batch, &pa) == MFR_OK);
  CHECK(mfr_batch_execute(&pb, batch) == MFR_OK); /* the same notes again: the same counts */
  CHECK(pa.notes == 1 && pa.imported + pa.imported_with_warnings == 1 && pb.notes == 1 && pb.findings == pa.findings);
  mfr_batch_free(batch);
  CHECK(mfr_batch_execute(NULL, NULL) == MFR_ERR_INVALID_HANDLE);
  /* The table: the twins are appended, the old slots stay. */
  CHECK(api != NULL);
  CHECK(MFR_API_HAS(api, batch_execute) && MFR_API_HAS(api, import_result_issue));
  CHECK(api->session_info_get == mfr_session_info_get && api->session_get_info == mfr_session_get_info);
  CHECK(api->import_result_counts_get == mfr_import_result_counts_get && api->batch_execute == mfr_batch_execute);
  CHECK(api->import_result_issue == mfr_import_result_issue && api->import_result_issue_count == mfr_import_result_issue_count);
  mfr_session_free(s);
  mfr_context_close(ctx);
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

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
  test_issue_accessors();
  test_validation_accessors();
  test_out_first_twins();
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}
