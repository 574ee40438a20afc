/*
 * record_session.c — the smallest EMR integration, in C99: record one skin-rolling session
 * call by call, export it as a FHIR R4 transaction Bundle, check it with the plugin's own
 * validator, read it back and write the Bundle to a file.
 *
 * Build against an installed mfr-fhir:
 *   cc -std=c99 record_session.c $(pkg-config --cflags --libs mfr-fhir) -o record_session
 * Run:
 *   ./record_session bundle.json
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mfr/mfr.h>

/* Prints the library's sentence for a failed call and leaves. */
static void check(mfr_status status, const char *what) {
  if (status != MFR_OK) {
    fprintf(stderr, "%s failed: %s: %s\n", what, mfr_status_str(status), mfr_last_error());
    exit(1);
  }
}

static void add_finding(mfr_session *s, mfr_level level, mfr_side side, int32_t grade, int32_t pain, int32_t tender,
                        mfr_release released) {
  mfr_finding f = MFR_FINDING_INIT;
  f.site_kind = MFR_SITE_VERTEBRA;
  f.level = level;
  f.side = side;
  f.restriction = grade;
  f.pain_nrs = pain;
  f.tender = tender;
  f.released = released;
  check(mfr_session_add_finding(s, &f), "mfr_session_add_finding");
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OUTPUT.json\n", argv[0]);
    return 2;
  }
  if (mfr_version_number() / 10000 != MFR_VERSION_MAJOR) {
    fprintf(stderr, "header %s but library %s: major versions differ\n", MFR_VERSION_STRING, mfr_version());
    return 1;
  }

  mfr_context_options options = MFR_CONTEXT_OPTIONS_INIT;
  options.identifier_system = "https://clinic.example/fhir/sessions";
  mfr_context *ctx = NULL;
  check(mfr_context_open(&ctx, &options), "mfr_context_open");

  /* The visit, as the EMR's form would hand it over. */
  mfr_session *s = NULL;
  check(mfr_session_new(&s, ctx, "S-C-HOST-0001"), "mfr_session_new");
  check(mfr_session_set_patient(s, "Patient/p-123"), "mfr_session_set_patient");
  check(mfr_session_set_practitioner(s, "Practitioner/pr-9"), "mfr_session_set_practitioner");
  check(mfr_session_set_period(s, "2019-03-04T10:30:00+01:00", "2019-03-04T11:00:00+01:00"), "mfr_session_set_period");
  check(mfr_session_add_region(s, MFR_REGION_THORACIC_SPINE), "mfr_session_add_region");
  check(mfr_session_set_course(s, 1, 4), "mfr_session_set_course");
  add_finding(s, MFR_LEVEL_T4, MFR_SIDE_LEFT, 3, 7, 1, MFR_RELEASE_PARTIAL);
  add_finding(s, MFR_LEVEL_T5, MFR_SIDE_BILATERAL, 2, 5, 1, MFR_RELEASE_RELEASED); /* gives two findings */
  add_finding(s, MFR_LEVEL_L4, MFR_SIDE_MIDLINE, 0, -1, -1, MFR_RELEASE_UNKNOWN);

  mfr_session_info info = MFR_SESSION_INFO_INIT;
  check(mfr_session_info_get(&info, s), "mfr_session_info_get");

  /* FHIR out: a transaction Bundle the EMR POSTs to its FHIR server. */
  const mfr_session *sessions[] = {s};
  char *bundle = NULL;
  size_t bundle_len = 0;
  check(mfr_export(&bundle, &bundle_len, ctx, sessions, 1, MFR_FORMAT_BUNDLE_TRANSACTION), "mfr_export");

  /* What we emit must pass our own profiles. */
  char *outcome = NULL;
  mfr_status valid = mfr_validate(&outcome, NULL, ctx, bundle, bundle_len, MFR_INPUT_JSON, MFR_STRICT);
  if (valid != MFR_OK) {
    fprintf(stderr, "the exported Bundle is not valid: %s\n%s\n", mfr_last_error(), outcome ? outcome : "");
    return 1;
  }
  mfr_free(outcome);

  /* And it reads back as the same session. */
  mfr_import_result *result = NULL;
  check(mfr_import(&result, ctx, bundle, bundle_len, MFR_INPUT_JSON), "mfr_import");
  mfr_import_counts counts = MFR_IMPORT_COUNTS_INIT;
  check(mfr_import_result_counts_get(&counts, result), "mfr_import_result_counts_get");
  const mfr_session *back = NULL;
  check(mfr_import_result_session(&back, result, 0), "mfr_import_result_session");
  mfr_session_info back_info = MFR_SESSION_INFO_INIT;
  check(mfr_session_info_get(&back_info, back), "mfr_session_info_get");
  if (counts.sessions != 1 || back_info.finding_count != info.finding_count || strcmp(back_info.id, info.id) != 0) {
    fprintf(stderr, "read back %zu sessions, %zu findings (expected 1 and %zu)\n", counts.sessions,
            back_info.finding_count, info.finding_count);
    return 1;
  }

  FILE *out = fopen(argv[1], "wb");
  if (!out || fwrite(bundle, 1, bundle_len, out) != bundle_len || fclose(out) != 0) {
    fprintf(stderr, "cannot write %s\n", argv[1]);
    return 1;
  }
  printf("session %s: %zu findings, %zu resources exported (%zu bytes) to %s with mfr-fhir %s\n", info.id,
         info.finding_count, counts.resources, bundle_len, argv[1], mfr_version());

  mfr_import_result_free(result);
  mfr_free(bundle);
  mfr_session_free(s);
  mfr_context_close(ctx);
  return 0;
}
