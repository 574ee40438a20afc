// libFuzzer target: any bytes through JSON import, NDJSON import and the validator, then
// every session import accepted back out through export (with what it received). Whatever the input, nothing may
// crash, hang, leak or throw: bad input is issues, never an exception. Export may refuse as
// documented: std::invalid_argument (a session without a patient, say) or its own "Refusing
// to emit an invalid ..." std::logic_error (a session import built from a lone
// DocumentReference has status unknown, which our Procedure profile does not allow). Any
// other exception, a JSON type error say, is a bug.
// Built and run by run_fuzz.sh (clang only); the GCC build does not see this file.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "codec/export.hpp"
#include "codec/import.hpp"
#include "validate/validate.hpp"

namespace {

void export_again(const mfr::codec::ImportResult& result) {
  const mfr::codec::ExportOptions options{"https://clinic.example/fhir/sessions"};
  for (std::size_t i = 0; i < result.sessions.size(); ++i) {
    const mfr::Session& s = result.sessions[i];
    (void)mfr::codec::validate_session(s, &result.received[i], options);  // issues, never an exception
    try {
      mfr::codec::NdjsonOutput out;
      mfr::codec::append_ndjson(s, &result.received[i], options, out);
    } catch (const std::invalid_argument&) {
      // a session export refuses by design (no patient, no id)
    } catch (const std::logic_error& e) {
      if (std::string_view(e.what()).rfind("Refusing to emit an invalid ", 0) != 0) throw;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  export_again(mfr::codec::import_json(text));
  export_again(mfr::codec::import_ndjson(text));
  (void)mfr::validate::validate_text(text, mfr::validate::Strictness::Lenient);
  (void)mfr::validate::validate_text(text, mfr::validate::Strictness::Strict);
  return 0;
}
