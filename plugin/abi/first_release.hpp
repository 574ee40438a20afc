#pragma once
// The one table of the first release's (0.1.0) struct sizes: the smallest struct_size the library
// accepts from a host, each the end of that release's last field (offsetof + its size), so that
// appending a field changes none of them; fields appended since are read or written only when the
// host's struct_size covers them. Each is checked against packaging/abi/layout.txt (the release's
// record, turned into abi_layout.h by plugin/abi/CMakeLists.txt) on the ABI it records.
#include <cstddef>

#include "mfr/mfr.h"

#define MFR_FIRST_RELEASE_END(type, field) (offsetof(type, field) + sizeof(type::field))

// X(name, struct, its last field in the first release, the last field layout.txt records). They
// differ where hosts were built before the record was (mfr_server_options: export_directory came
// after, tests/server/abi_test.cpp).
#define MFR_FIRST_RELEASE_STRUCTS(X) \
  X(context_options, mfr_context_options, log_level, log_level) \
  X(finding, mfr_finding, status, status) \
  X(session_info, mfr_session_info, fhir_id, fhir_id) \
  X(import_counts, mfr_import_counts, warnings, warnings) \
  X(input_buffer, mfr_input_buffer, input, input) \
  X(chart_options, mfr_chart_options, title, title) \
  X(batch_progress, mfr_batch_progress, elapsed_seconds, elapsed_seconds) \
  X(batch_options, mfr_batch_options, user_data, user_data) \
  X(partner_options, mfr_partner_options, user_data, user_data) \
  X(push_result, mfr_push_result, entries, entries) \
  X(flush_report, mfr_flush_report, remaining, remaining) \
  X(outbox_counts, mfr_outbox_counts, dead, dead) \
  X(server_options, mfr_server_options, user_data, export_directory)

namespace mfr::abi::first_release {
#define MFR_FIRST_RELEASE_SIZE(name, type, field, recorded) inline constexpr std::size_t name = MFR_FIRST_RELEASE_END(type, field);
MFR_FIRST_RELEASE_STRUCTS(MFR_FIRST_RELEASE_SIZE)
#undef MFR_FIRST_RELEASE_SIZE
}  // namespace mfr::abi::first_release

// Structs added after the first release: the smallest struct_size accepted is the end of their
// first layout's last field, fixed here when the struct is added (layout.txt records them at the
// next release).
namespace mfr::abi::since_first_release {
inline constexpr std::size_t issue = MFR_FIRST_RELEASE_END(mfr_issue, resource);
}  // namespace mfr::abi::since_first_release

#if defined(__x86_64__) && defined(__linux__)  // the ABI layout.txt records
#include "abi_layout.h"
// The field ends where the record says, and the table names the record's last field: a field
// appended to the record (abi_check.py layout --update) stops the build until the table is read.
#define MFR_FIRST_RELEASE_CHECK(name, type, field, recorded)                                          \
  static_assert(mfr::abi::first_release::name == MFR_LAYOUT_END_##type##_DOT_##field,                    \
                #type "." #field " does not end where packaging/abi/layout.txt records it");          \
  static_assert(MFR_LAYOUT_END_##type##_DOT_##recorded == MFR_LAYOUT_LAST_END_##type,                    \
                #type "." #recorded " is not the last field packaging/abi/layout.txt records");
MFR_FIRST_RELEASE_STRUCTS(MFR_FIRST_RELEASE_CHECK)
#undef MFR_FIRST_RELEASE_CHECK
#endif
