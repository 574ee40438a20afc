#pragma once
// HL7 v2 notes: ORU^R01 (OBR + OBX) and MDM^T02 (TXA + OBX) messages, alone or in a batch
// (FHS/BHS ... BTS/FTS). Segments end with "\r", "\n" or "\r\n". MSH-1/MSH-2 are honoured per
// message, and escapes \F\ \S\ \T\ \R\ \E\ \.br\ \Xhh..\ are decoded.
//
// What each message gives (RawNote):
//  text          OBX-5 of every OBX whose OBX-2 is TX, FT or ST, in order; repetitions and
//                FT line breaks (\.br\) become "\n", one line per OBX. NTE segments are not read.
//  patient       PID-3, the first repetition with identifier type MR, else the first: its
//                value (component 1); patient_system from its assigning authority (component 4):
//                Hl7Options::authority_systems[namespace] when mapped, else "urn:oid:<id>" when the
//                universal id type is ISO, else
//                "https://mfr-fhir.org/fhir/NamingSystem/hl7-authority/<namespace>" (documented, stable).
//  date          OBR-7 (ORU) or TXA-4 (MDM), as written (HL7 TS)
//  practitioner  OBR-32 (its first subcomponent), TXA-5, else PV1-7: the id, or "given family"
//  id            "<MSH-3>|<MSH-10>" (sending application and message control id)
//  origin        "<source>#msg=<n>", n the 1-based message number in the file
// A message of another type, one without narrative OBX, or lines that are not in any message
// (text before the first MSH) are reported as errors with their line, and reading goes on.
#include <cstddef>
#include <istream>
#include <map>
#include <string>
#include <string_view>

#include "legacy/raw_note.hpp"

namespace mfr::legacy {

struct Hl7Options {
  std::map<std::string, std::string> authority_systems;  // PID-3.4 namespace -> identifier system
  std::size_t max_message_bytes = 8u << 20;
};

void read_hl7_notes(std::istream& in, std::string_view source_name, const Hl7Options& options, const NoteSink& sink);

// Decodes HL7 escapes in one field value; `encoding` is MSH-1 followed by MSH-2 ("|^~\&").
std::string hl7_unescape(std::string_view value, std::string_view encoding);

}  // namespace mfr::legacy
