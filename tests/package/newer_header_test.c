/* A host compiled against a NEWER mfr.h (make_newer_header.py: mfr_finding, mfr_session_info
 * and mfr_api each one member longer) runs against this library: bigger structs are accepted,
 * the library fills what it knows and never writes past its own struct, the host can tell from
 * mfr_api.struct_size that the newer function is absent, and a struct_size below the first
 * release's is refused with a sentence rather than misread. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <mfr/mfr.h>

static int failures = 0;
#define EXPECT(cond, ...)                                   \
  do {                                                      \
    if (!(cond)) {                                          \
      ++failures;                                           \
      fprintf(stderr, "line %d: %s: ", __LINE__, #cond);    \
      fprintf(stderr, __VA_ARGS__);                         \
      fprintf(stderr, " (last error: %s)\n", mfr_last_error()); \
    }                                                       \
  } while (0)

int main(void) {
  mfr_context_options options = MFR_CONTEXT_OPTIONS_INIT;
  options.identifier_system = "https://clinic.example/fhir/sessions";
  mfr_context *ctx = NULL;
  EXPECT(mfr_context_open(&ctx, &options) == MFR_OK, "context");

  mfr_session *s = NULL;
  EXPECT(mfr_session_new(&s, ctx, "S-NEWER-HEADER-1") == MFR_OK, "session");
  EXPECT(mfr_session_set_patient(s, "Patient/p-1") == MFR_OK, "patient");
  EXPECT(mfr_session_set_period(s, "2019-03-04T10:30:00+01:00", NULL) == MFR_OK, "period");

  /* A finding as the newer header has it: bigger, with a field this library does not know. */
  mfr_finding f = MFR_FINDING_INIT;
  f.level = MFR_LEVEL_T4;
  f.side = MFR_SIDE_LEFT;
  f.restriction = 2;
  f.pain_nrs = 6;
  f.added_later = "ignored by a 0.1 library";
  EXPECT(mfr_session_add_finding(s, &f) == MFR_OK, "add a finding of %zu bytes", sizeof f);

  /* Read back into newer structs: known fields filled, the appended one left as the host set it. */
  mfr_session_info info = MFR_SESSION_INFO_INIT;
  info.added_later = 0x5A5A5A5A;
  EXPECT(mfr_session_info_get(&info, s) == MFR_OK, "info_get");
  EXPECT(info.added_later == 0x5A5A5A5A, "the library wrote past its own mfr_session_info");
  EXPECT(info.id && strcmp(info.id, "S-NEWER-HEADER-1") == 0, "id is %s", info.id ? info.id : "(null)");
  EXPECT(info.finding_count == 1, "finding_count is %zu", info.finding_count);

  mfr_finding back = MFR_FINDING_INIT;
  const char *sentinel = "untouched";
  back.added_later = sentinel;
  EXPECT(mfr_session_finding_get(&back, s, 0) == MFR_OK, "finding_get");
  EXPECT(back.added_later == sentinel, "the library wrote past its own mfr_finding");
  EXPECT(back.level == MFR_LEVEL_T4 && back.side == MFR_SIDE_LEFT && back.restriction == 2 && back.pain_nrs == 6,
         "finding read back as level %d side %d grade %d pain %d", (int)back.level, (int)back.side,
         (int)back.restriction, (int)back.pain_nrs);

  /* The table is shorter than this header's: the host must look before calling added_later. */
  const mfr_api *api = mfr_plugin_entry(MFR_ABI_VERSION);
  EXPECT(api != NULL, "plugin entry");
  if (api) {
    EXPECT(api->struct_size <= offsetof(mfr_api, added_later), "the table claims %u bytes, so added_later looks present",
           api->struct_size);
    EXPECT(api->struct_size >= offsetof(mfr_api, validate) + sizeof api->validate,
           "the table (%u bytes) lacks 0.1.0's functions", api->struct_size);
  }
  EXPECT(mfr_version_number() < MFR_VERSION_NUMBER, "library %u is not older than this header %d",
         mfr_version_number(), MFR_VERSION_NUMBER);

  /* Smaller than any release's struct: refused, not misread. */
  mfr_finding tiny = MFR_FINDING_INIT;
  tiny.struct_size = (uint32_t)offsetof(mfr_finding, pain_nrs);
  EXPECT(mfr_session_add_finding(s, &tiny) == MFR_ERR_INVALID_ARGUMENT, "a truncated mfr_finding was accepted");
  EXPECT(strstr(mfr_last_error(), "struct_size") != NULL, "the message does not name struct_size");

  mfr_session_free(s);
  mfr_context_close(ctx);
  if (failures) {
    fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  printf("newer header (mfr_finding %zu, mfr_session_info %zu, mfr_api %zu bytes) against library %s: 1 passed\n",
         sizeof(mfr_finding), sizeof(mfr_session_info), sizeof(mfr_api), mfr_version());
  return 0;
}
