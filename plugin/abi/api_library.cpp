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
    case MFR_ERR_NETWORK: return "MFR_ERR_NETWORK: the partner could not be reached";
    case MFR_ERR_TLS: return "MFR_ERR_TLS: TLS failed (certificate refused)";
    case MFR_ERR_TIMEOUT: return "MFR_ERR_TIMEOUT: the partner did not answer in time";
    case MFR_ERR_REFUSED: return "MFR_ERR_REFUSED: the partner refused the request (4xx)";
    case MFR_ERR_AUTH: return "MFR_ERR_AUTH: not authorised by the partner";
    case MFR_STATUS_MAX_ENUM: break;
  }
  return "unknown status";
}

MFR_API const char* mfr_last_error(void) { return mfr::abi::last_error_text(); }

MFR_API void mfr_free(void* buffer) { std::free(buffer); }

MFR_API const mfr_api* mfr_plugin_entry(uint32_t abi_version) {
  // Filled member by member, so the table cannot drift from the struct's order.
  // The deprecated first-release names stay in their slots; their out-first twins are appended.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  static const mfr_api api = [] {
    mfr_api t{};
    t.struct_size = sizeof(mfr_api);
    t.abi_version = MFR_ABI_VERSION;
    t.version = mfr_version;
    t.version_number = mfr_version_number;
    t.status_str = mfr_status_str;
    t.last_error = mfr_last_error;
    t.free = mfr_free;
    t.context_open = mfr_context_open;
    t.context_close = mfr_context_close;
    t.session_new = mfr_session_new;
    t.session_free = mfr_session_free;
    t.session_clone = mfr_session_clone;
    t.session_set_patient = mfr_session_set_patient;
    t.session_set_practitioner = mfr_session_set_practitioner;
    t.session_set_encounter = mfr_session_set_encounter;
    t.session_set_period = mfr_session_set_period;
    t.session_set_status = mfr_session_set_status;
    t.session_add_region = mfr_session_add_region;
    t.session_set_note = mfr_session_set_note;
    t.session_set_course = mfr_session_set_course;
    t.session_add_finding = mfr_session_add_finding;
    t.session_get_info = mfr_session_get_info;
    t.session_get_finding = mfr_session_get_finding;
    t.session_get_region = mfr_session_get_region;
    t.session_from_json = mfr_session_from_json;
    t.session_to_json = mfr_session_to_json;
    t.export_sessions = mfr_export;
    t.import = mfr_import;
    t.import_result_free = mfr_import_result_free;
    t.import_result_counts = mfr_import_result_counts;
    t.import_result_session = mfr_import_result_session;
    t.import_result_outcome = mfr_import_result_outcome;
    t.import_many = mfr_import_many;
    t.chart_session = mfr_chart_session;
    t.chart_course = mfr_chart_course;
    t.validate = mfr_validate;
    t.build_info = mfr_build_info;
    t.selftest = mfr_selftest;
    t.batch_new = mfr_batch_new;
    t.batch_free = mfr_batch_free;
    t.batch_add_file = mfr_batch_add_file;
    t.batch_add_note = mfr_batch_add_note;
    t.batch_run = mfr_batch_run;
    t.batch_take_result = mfr_batch_take_result;
    t.exchange_open_store = mfr_exchange_open_store;
    t.exchange_add_partner = mfr_exchange_add_partner;
    t.exchange_push = mfr_exchange_push;
    t.exchange_flush = mfr_exchange_flush;
    t.exchange_fetch = mfr_exchange_fetch;
    t.exchange_outbox_counts = mfr_exchange_outbox_counts;
    t.exchange_outbox_list = mfr_exchange_outbox_list;
    t.exchange_outbox_retry = mfr_exchange_outbox_retry;
    t.exchange_outbox_purge_dead = mfr_exchange_outbox_purge_dead;
    t.server_start = mfr_server_start;
    t.server_port = mfr_server_port;
    t.server_stop = mfr_server_stop;
    t.import_result_issue_count = mfr_import_result_issue_count;
    t.import_result_issue = mfr_import_result_issue;
    t.session_info_get = mfr_session_info_get;
    t.session_finding_get = mfr_session_finding_get;
    t.session_region_get = mfr_session_region_get;
    t.import_result_counts_get = mfr_import_result_counts_get;
    t.batch_execute = mfr_batch_execute;
    t.validate_issues = mfr_validate_issues;
    t.session_from_json_issues = mfr_session_from_json_issues;
    t.validation_free = mfr_validation_free;
    t.validation_issue_count = mfr_validation_issue_count;
    t.validation_issue = mfr_validation_issue;
    t.validation_outcome = mfr_validation_outcome;
    return t;
  }();
#pragma GCC diagnostic pop

  if (abi_version != MFR_ABI_VERSION) {
    mfr::abi::set_last_error("This plugin serves ABI version " + std::to_string(MFR_ABI_VERSION) +
                             "; the host asked for version " + std::to_string(abi_version) + ".");
    return nullptr;
  }
  mfr::abi::clear_last_error();
  return &api;
}

}  // extern "C"
