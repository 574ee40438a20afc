/* A host compiled against an OLDER mfr.h (make_older_header.py: a shorter mfr_api) loads
 * today's plugin with dlopen() as an EMR does and keeps working: the table it gets is longer
 * than the one it knows, and every function it knows is where it expects it. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <mfr/mfr.h>

int main(int argc, char **argv) {
  void *lib;
  void *symbol;
  mfr_plugin_entry_fn entry;
  const mfr_api *api;
  mfr_context_options options = MFR_CONTEXT_OPTIONS_INIT;
  mfr_context *ctx = NULL;
  mfr_session *s = NULL;
  mfr_finding f = MFR_FINDING_INIT;
  char *ndjson = NULL;
  char *outcome = NULL;
  mfr_import_result *result = NULL;
  mfr_import_counts counts = MFR_IMPORT_COUNTS_INIT;
  if (argc != 2) return fprintf(stderr, "usage: older_header_test LIBRARY\n"), 2;
  lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) return fprintf(stderr, "dlopen: %s\n", dlerror()), 1;
  symbol = dlsym(lib, MFR_PLUGIN_ENTRY_SYMBOL);
  memcpy(&entry, &symbol, sizeof entry);
  api = entry(MFR_ABI_VERSION);
  if (!api) return fprintf(stderr, "ABI refused\n"), 1;
  if (api->struct_size <= sizeof(mfr_api))
    return fprintf(stderr, "the library's table (%u bytes) is not longer than the older header's (%zu)\n",
                   (unsigned)api->struct_size, sizeof(mfr_api)), 1;

  options.identifier_system = "https://clinic.example/fhir/sessions";
  if (api->context_open(&ctx, &options) != MFR_OK) return fprintf(stderr, "%s\n", api->last_error()), 1;
  if (api->session_new(&s, ctx, "S-OLDER-1") != MFR_OK || api->session_set_patient(s, "Patient/p-1") != MFR_OK ||
      api->session_set_period(s, "2019-03-04T10:30:00+01:00", NULL) != MFR_OK)
    return fprintf(stderr, "%s\n", api->last_error()), 1;
  f.level = MFR_LEVEL_T4;
  f.side = MFR_SIDE_BILATERAL;
  f.restriction = 2;
  if (api->session_add_finding(s, &f) != MFR_OK) return fprintf(stderr, "%s\n", api->last_error()), 1;
  if (api->export_sessions(&ndjson, NULL, ctx, (const mfr_session *const *)&s, 1, MFR_FORMAT_NDJSON) != MFR_OK)
    return fprintf(stderr, "%s\n", api->last_error()), 1;
  if (api->validate(&outcome, NULL, ctx, ndjson, MFR_NUL_TERMINATED, MFR_INPUT_NDJSON, MFR_STRICT) != MFR_OK)
    return fprintf(stderr, "our own export did not validate: %s\n", outcome ? outcome : api->last_error()), 1;
  if (api->import(&result, ctx, ndjson, MFR_NUL_TERMINATED, MFR_INPUT_AUTO) != MFR_OK ||
      api->import_result_counts(result, &counts) != MFR_OK || counts.resources != 3 || counts.sessions != 1)
    return fprintf(stderr, "import back: %s\n", api->last_error()), 1;
  api->import_result_free(result);
  api->free(outcome);
  api->free(ndjson);
  api->session_free(s);
  api->context_close(ctx);
  printf("1 passed, 0 failed\n");
  return 0;
}
