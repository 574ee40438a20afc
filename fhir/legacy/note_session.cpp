#include "legacy/note_session.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace mfr::legacy {
namespace {

std::string sha256_hex(std::string_view data, std::size_t hex_digits) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 is not available from OpenSSL");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len && out.size() < hex_digits; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace

std::string session_id_for(const RawNote& raw, std::string_view id_namespace) {
  std::string key(id_namespace);
  key += '\n';
  key += raw.id.empty() ? "origin:" + raw.origin : "id:" + raw.id;
  return "legacy-" + sha256_hex(key, 32);
}

NoteResult session_from_note(const RawNote& raw, const ImportOptions& options, NoteReader& reader) {
  NoteResult result = reader.read(raw.text, options.note);
  Session& s = result.session;
  s.id = session_id_for(raw, options.id_namespace);
  s.source->origin = raw.origin;
  if (raw.converted_from_windows_1252)
    result.warnings.push_back({"the note was not valid UTF-8 and was read as Windows-1252", 0});

  if (!raw.patient.empty()) {
    const std::string& system = raw.patient_system.empty() ? options.note.patient_system : raw.patient_system;
    s.patient = "Patient?identifier=" + (system.empty() ? std::string() : system + "|") + raw.patient;
    result.patient_identifier = raw.patient;
  }
  if (!raw.practitioner.empty()) {
    result.practitioner_name = raw.practitioner;
    s.practitioner = options.note.practitioner_system.empty()
                         ? std::string()
                         : "Practitioner?identifier=" + options.note.practitioner_system + "|" + raw.practitioner;
  }
  if (!raw.date.empty()) {
    const bool european = result.language != note::Lang::En;  // day first in French and German notes
    if (auto d = read_legacy_date(raw.date, european ? DateOrder::DayFirst : options.note.date_order)) {
      if (european) d->doubt.clear();
      // a text file's heading date is also in the note: the reader has already said its doubt
      const bool same_as_read = !s.start.empty() && s.start.date_part() == d->date.date_part();
      if (!d->doubt.empty() && !same_as_read) result.warnings.push_back({"exported " + d->doubt, 0});
      if (!s.start.empty() && s.start.date_part() != d->date.date_part())
        result.warnings.push_back({"the exported date " + d->date.text() + " differs from the date in the note (" +
                                       s.start.text() + "); the exported date was used",
                                   0});
      s.start = d->date;
    } else {
      result.warnings.push_back({"the exported date '" + raw.date + "' could not be read", 0});
    }
  }
  if (s.start.empty())
    result.warnings.push_back({"no date was found for the note: the session is imported with its date marked unknown "
                               "(data-absent-reason), to be set in the record before it is relied on",
                               0});
  return result;
}

}  // namespace mfr::legacy
