/* A library that looks like a plugin from the outside but serves another ABI, so the host's
 * "ABI mismatch" message can be tested against a real dlopen(). */
#include <stddef.h>
#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT const void *mfr_plugin_entry(uint32_t abi_version) {
  (void)abi_version;
  return NULL;
}

EXPORT const char *mfr_last_error(void) { return "This plugin serves ABI version 7."; }
