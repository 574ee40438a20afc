/* Loads the plugin exactly as an EMR does: dlopen(), dlsym("mfr_plugin_entry"), and only the
 * function table from then on. Also: an ABI version the plugin does not serve is refused. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "mfr/mfr.h"

int main(int argc, char **argv) {
  void *lib;
  mfr_plugin_entry_fn entry;
  const mfr_api *api;
  mfr_context_options options = MFR_CONTEXT_OPTIONS_INIT;
  mfr_context *ctx = NULL;
  mfr_session *s = NULL;
  char *json = NULL;
  if (argc != 2) {
    fprintf(stderr, "usage: dlopen_test /path/to/libmfr-fhir.so.1\n");
    return 2;
  }
  lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "dlopen failed: %s\n", dlerror());
    return 1;
  }
  /* POSIX: dlsym returns functions as object pointers; copy the bits (C99 forbids the cast). */
  {
    void *symbol = dlsym(lib, MFR_PLUGIN_ENTRY_SYMBOL);
    memcpy(&entry, &symbol, sizeof entry);
  }
  if (!entry) return fprintf(stderr, "no entry symbol\n"), 1;
  if (entry(MFR_ABI_VERSION + 98) != NULL) return fprintf(stderr, "a foreign ABI version was served\n"), 1;
  api = entry(MFR_ABI_VERSION);
  if (!api) return fprintf(stderr, "ABI %d refused\n", MFR_ABI_VERSION), 1;
  if (strstr(api->last_error(), "") == NULL) return 1;
  if (api->struct_size < sizeof(mfr_api) || api->abi_version != MFR_ABI_VERSION)
    return fprintf(stderr, "function table too small\n"), 1;
  options.identifier_system = "https://clinic.example/fhir/sessions";
  if (api->context_open(&ctx, &options) != MFR_OK) return fprintf(stderr, "%s\n", api->last_error()), 1;
  if (api->session_from_json(&s, NULL, ctx,
                             "{\"id\":\"S-1\",\"patient\":\"Patient/1\",\"start\":\"2019-03-04\","
                             "\"findings\":[{\"site\":\"C7\",\"side\":\"left\",\"restriction\":1}]}",
                             MFR_NUL_TERMINATED) != MFR_OK)
    return fprintf(stderr, "%s\n", api->last_error()), 1;
  if (api->export_sessions(&json, NULL, ctx, (const mfr_session *const *)&s, 1, MFR_FORMAT_NDJSON_OBSERVATIONS) != MFR_OK)
    return fprintf(stderr, "%s\n", api->last_error()), 1;
  if (!strstr(json, "\"code\":\"87391001\"")) return fprintf(stderr, "C7 not coded: %s\n", json), 1;
  api->free(json);
  api->session_free(s);
  api->context_close(ctx);
  if (dlclose(lib) != 0) return fprintf(stderr, "dlclose: %s\n", dlerror()), 1;
  printf("1 passed, 0 failed\n");
  return 0;
}
