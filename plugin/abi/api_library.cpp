// Library-wide calls: version, status names, last error, mfr_free, and the plugin entry table.
#include <cstdlib>

#include "mfr/mfr.h"
#include "plugin/abi/guard.hpp"

namespace mfr::abi {
const char* last_error_text() noexcept;
}

extern "C" {

MFR_API const char* mfr_version(void) { return MFR_VERSION_STRING; }

MFR_API uint32_t mfr_version_number(void) { return MFR_VERSION_NUMBER; }

MFR_API const char* mfr_status_str(mfr_status status) {
  switch (status) {
    case MFR_OK: return "MFR_OK: success";
    case MFR_ERR_INVALID_ARGUMENT: return "MFR_ERR_INVALID_ARGUMENT: invalid argument";
    case MFR_ERR_INVALID_HANDLE: return "MFR_ERR_INVALID_HANDLE: NULL, freed or foreign handle";
    case MFR_ERR_PARSE: return "MFR_ERR_PARSE: malformed JSON";
    case MFR_ERR_INVALID_DATA: return "MFR_ERR_INVALID_DATA: invalid data (see the OperationOutcome)";
    case MFR_ERR_NOT_FOUND: return "MFR_ERR_NOT_FOUND: not found";
    case MFR_ERR_NO_MEMORY: return "MFR_ERR_NO_MEMORY: out of memory";
    case MFR_ERR_IO: return "MFR_ERR_IO: input/output error";
    case MFR_ERR_CANCELLED: return "MFR_ERR_CANCELLED: cancelled by the host";
    case MFR_ERR_ABI_MISMATCH: return "MFR_ERR_ABI_MISMATCH: ABI version not served";
    case MFR_ERR_UNSUPPORTED: return "MFR_ERR_UNSUPPORTED: not supported by this build";
    case MFR_ERR_INTERNAL: return "MFR_ERR_INTERNAL: internal error";
    case MFR_STATUS_MAX_ENUM: break;
  }
  return "unknown status";
}

MFR_API const char* mfr_last_error(void) { return mfr::abi::last_error_text(); }

MFR_API void mfr_free(void* buffer) { std::free(buffer); }

MFR_API const mfr_api* mfr_plugin_entry(uint32_t abi_version) {
  static const mfr_api api = {
      sizeof(mfr_api),
      MFR_ABI_VERSION,
      mfr_version,
      mfr_version_number,
      mfr_status_str,
      mfr_last_error,
      mfr_free,
      mfr_context_open,
      mfr_context_close,
      mfr_session_new,
      mfr_session_free,
      mfr_session_clone,
      mfr_session_set_patient,
      mfr_session_set_practitioner,
      mfr_session_set_encounter,
      mfr_session_set_period,
      mfr_session_set_status,
      mfr_session_add_region,
      mfr_session_set_note,
      mfr_session_set_course,
      mfr_session_add_finding,
      mfr_session_get_info,
      mfr_session_get_finding,
      mfr_session_get_region,
      mfr_session_from_json,
      mfr_session_to_json,
      mfr_export,
      mfr_import,
      mfr_import_result_free,
      mfr_import_result_counts,
      mfr_import_result_session,
      mfr_import_result_outcome,
      mfr_import_many,
      mfr_chart_session,
      mfr_chart_course,
      mfr_validate,
  };
  if (abi_version != MFR_ABI_VERSION) {
    mfr::abi::set_last_error("This plugin serves ABI version " + std::to_string(MFR_ABI_VERSION) +
                             "; the host asked for version " + std::to_string(abi_version) + ".");
    return nullptr;
  }
  mfr::abi::clear_last_error();
  return &api;
}

}  // extern "C"
