#include "legacy/hl7_reader.hpp"

#include <vector>

#include "legacy/charset.hpp"
#include "legacy/line_reader.hpp"

namespace mfr::legacy {
namespace {

struct Encoding {
  char field = '|', component = '^', repetition = '~', escape = '\\', subcomponent = '&';
  std::string text() const { return {field, component, repetition, escape, subcomponent}; }
};

// Splits on `sep` without allocating: the n-th piece (0-based), empty when absent.
std::string_view piece(std::string_view s, char sep, std::size_t n) noexcept {
  std::size_t start = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t p = s.find(sep, start);
    if (p == std::string_view::npos) return {};
    start = p + 1;
  }
  const std::size_t end = s.find(sep, start);
  return s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

template <class F>
void for_each_piece(std::string_view s, char sep, F&& f) {
  std::size_t start = 0;
  for (;;) {
    const std::size_t p = s.find(sep, start);
    f(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return;
    start = p + 1;
  }
}

int hex(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

struct Segment {
  std::string text;
  std::uint64_t offset = 0, line = 0;
};

struct Message {
  std::vector<Segment> segments;
  std::size_t bytes = 0;
  bool too_long = false;
  void clear() {
    segments.clear();
    bytes = 0;
    too_long = false;
  }
};

class Hl7Reader {
 public:
  Hl7Reader(std::string_view source, const Hl7Options& o, const NoteSink& sink) : source_(source), o_(o), sink_(sink) {}
  bool process(Message& m);  // false: stop
  void stray(std::uint64_t offset, std::uint64_t line, std::size_t count) {
    sink_.error({std::to_string(count) + (count == 1 ? " line is" : " lines are") +
                     " not part of any HL7 message (no MSH segment before " + (count == 1 ? "it" : "them") +
                     "); skipped",
                 std::string(source_) + "#line=" + std::to_string(line), offset, line});
  }

 private:
  std::string field(const Segment& s, const Encoding& e, std::size_t n) const {
    // MSH-1 is the separator itself, so MSH-n is piece n-1.
    const bool msh = s.text.compare(0, 3, "MSH") == 0;
    if (msh && n == 1) return std::string(1, e.field);
    return std::string(piece(s.text, e.field, msh ? n - 1 : n));
  }
  std::string_view source_;
  const Hl7Options& o_;
  const NoteSink& sink_;
  int count_ = 0;
};

std::string person(std::string_view xcn, const Encoding& e, char sep, const std::string& enc) {
  // XCN: id ^ family ^ given (or, inside OBR-32, the same as subcomponents)
  const std::string id = hl7_unescape(piece(xcn, sep, 0), enc);
  if (!id.empty()) return id;
  const std::string family = hl7_unescape(piece(xcn, sep, 1), enc);
  const std::string given = hl7_unescape(piece(xcn, sep, 2), enc);
  (void)e;
  if (given.empty()) return family;
  if (family.empty()) return given;
  return given + " " + family;
}

bool Hl7Reader::process(Message& m) {
  if (m.segments.empty()) return true;
  ++count_;
  const Segment& msh = m.segments.front();
  const std::string origin = std::string(source_) + "#msg=" + std::to_string(count_);
  auto fail = [&](const std::string& what) {
    sink_.error({what, origin, msh.offset, msh.line});
    return true;
  };
  if (m.too_long)
    return fail("the message is longer than " + std::to_string(o_.max_message_bytes) + " bytes; it was skipped");
  if (msh.text.size() < 8) return fail("the MSH segment is too short to name its encoding characters");
  Encoding e;
  e.field = msh.text[3];
  const std::string_view enc_chars = piece(msh.text, e.field, 1);
  if (enc_chars.size() < 3) return fail("MSH-2 does not hold the encoding characters");
  e.component = enc_chars[0];
  e.repetition = enc_chars[1];
  e.escape = enc_chars[2];
  if (enc_chars.size() > 3) e.subcomponent = enc_chars[3];
  const std::string enc = e.text();

  const std::string type = field(msh, e, 9);
  const std::string_view event = piece(type, e.component, 0), trigger = piece(type, e.component, 1);
  const bool oru = event == "ORU" && trigger == "R01";
  const bool mdm = event == "MDM" && trigger == "T02";
  if (!oru && !mdm)
    return fail("message type '" + std::string(event) + "^" + std::string(trigger) +
                "' carries no note (ORU^R01 or MDM^T02 expected); skipped");

  RawNote note;
  note.origin = origin;
  note.byte_offset = msh.offset;
  note.line = msh.line;
  const std::string app = hl7_unescape(piece(field(msh, e, 3), e.component, 0), enc);
  const std::string control = hl7_unescape(field(msh, e, 10), enc);
  if (!control.empty()) note.id = app + "|" + control;

  std::string pv1_doctor;
  bool first_text = true;
  for (const Segment& s : m.segments) {
    const std::string_view name = std::string_view(s.text).substr(0, 3);
    if (name == "PID") {
      const std::string pid3 = field(s, e, 3);
      std::string_view chosen;
      bool first_rep = true;
      for_each_piece(pid3, e.repetition, [&](std::string_view rep) {
        if (first_rep || (piece(rep, e.component, 4) == "MR" && piece(chosen, e.component, 4) != "MR")) chosen = rep;
        first_rep = false;
      });
      note.patient = hl7_unescape(piece(chosen, e.component, 0), enc);
      const std::string_view authority = piece(chosen, e.component, 3);
      const std::string ns = hl7_unescape(piece(authority, e.subcomponent, 0), enc);
      const std::string uid = hl7_unescape(piece(authority, e.subcomponent, 1), enc);
      const std::string_view uid_type = piece(authority, e.subcomponent, 2);
      if (auto it = o_.authority_systems.find(ns); !ns.empty() && it != o_.authority_systems.end())
        note.patient_system = it->second;
      else if (!uid.empty() && uid_type == "ISO")
        note.patient_system = "urn:oid:" + uid;
      else if (!ns.empty())
        note.patient_system = "https://mfr-fhir.org/fhir/NamingSystem/hl7-authority/" + ns;
    } else if (name == "PV1") {
      pv1_doctor = person(piece(field(s, e, 7), e.repetition, 0), e, e.component, enc);
    } else if (name == "OBR") {
      if (note.date.empty()) note.date = field(s, e, 7);
      const std::string interpreter = person(piece(field(s, e, 32), e.component, 0), e, e.subcomponent, enc);
      if (!interpreter.empty()) note.practitioner = interpreter;
    } else if (name == "TXA") {
      if (note.date.empty()) note.date = field(s, e, 4);
      const std::string author = person(piece(field(s, e, 5), e.repetition, 0), e, e.component, enc);
      if (!author.empty() && note.practitioner.empty()) note.practitioner = author;
    } else if (name == "OBX") {
      const std::string vt = field(s, e, 2);
      if (vt != "TX" && vt != "FT" && vt != "ST") continue;
      const std::string value = field(s, e, 5);
      for_each_piece(value, e.repetition, [&](std::string_view rep) {
        if (!first_text) note.text += '\n';
        first_text = false;
        note.text += hl7_unescape(rep, enc);
      });
    }
  }
  if (note.practitioner.empty()) note.practitioner = pv1_doctor;
  if (first_text) return fail("the message has no narrative OBX (value type TX, FT or ST); skipped");
  bool converted = ensure_utf8(note.text);
  converted = ensure_utf8(note.patient) || converted;
  converted = ensure_utf8(note.practitioner) || converted;
  note.converted_from_windows_1252 = converted;
  return sink_.note(note);
}

bool is_batch_segment(std::string_view t) noexcept {
  return t.size() >= 3 && (t.compare(0, 3, "FHS") == 0 || t.compare(0, 3, "BHS") == 0 ||
                           t.compare(0, 3, "BTS") == 0 || t.compare(0, 3, "FTS") == 0);
}

}  // namespace

std::string hl7_unescape(std::string_view v, std::string_view enc) {
  const char fs = enc.size() > 0 ? enc[0] : '|', cs = enc.size() > 1 ? enc[1] : '^',
             rs = enc.size() > 2 ? enc[2] : '~', es = enc.size() > 3 ? enc[3] : '\\',
             ss = enc.size() > 4 ? enc[4] : '&';
  if (v.find(es) == std::string_view::npos) return std::string(v);
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != es) {
      out += v[i];
      continue;
    }
    const std::size_t close = v.find(es, i + 1);
    if (close == std::string_view::npos) {  // a lone escape character: keep the rest as written
      out.append(v.substr(i));
      break;
    }
    const std::string_view seq = v.substr(i + 1, close - i - 1);
    if (seq == "F") out += fs;
    else if (seq == "S") out += cs;
    else if (seq == "T") out += ss;
    else if (seq == "R") out += rs;
    else if (seq == "E") out += es;
    else if (seq == ".br" || seq == ".sp") out += '\n';
    else if (seq == "H" || seq == "N" || seq.rfind(".in", 0) == 0 || seq.rfind(".ti", 0) == 0 || seq == ".fi" ||
             seq == ".nf" || seq.rfind(".ce", 0) == 0 || seq.rfind(".sk", 0) == 0) {
      // formatting only
    } else if (!seq.empty() && seq[0] == 'X' && seq.size() % 2 == 1) {
      bool ok = true;
      std::string bytes;
      for (std::size_t k = 1; k + 1 < seq.size(); k += 2) {
        const int h = hex(seq[k]), l = hex(seq[k + 1]);
        if (h < 0 || l < 0) { ok = false; break; }
        bytes += static_cast<char>(h * 16 + l);
      }
      if (ok) out += bytes;
      else out.append(v.substr(i, close - i + 1));
    } else {
      out.append(v.substr(i, close - i + 1));  // unknown escape: kept as written
    }
    i = close;
  }
  return out;
}

void read_hl7_notes(std::istream& in, std::string_view source_name, const Hl7Options& options, const NoteSink& sink) {
  LineReader lines(in);
  Line line;
  Message m;
  Hl7Reader reader(source_name, options, sink);
  bool in_message = false;
  bool any = false;
  std::size_t stray = 0;
  std::uint64_t stray_offset = 0, stray_line = 0;
  auto flush_stray = [&] {
    if (stray) reader.stray(stray_offset, stray_line, stray);
    stray = 0;
  };
  while (lines.next(line)) {
    std::string_view t = line.text;
    if (!any && t.size() >= 3 && t.compare(0, 3, "\xEF\xBB\xBF") == 0) t.remove_prefix(3);
    if (t.find_first_not_of(" \t\x0b\x1c") == std::string_view::npos) continue;  // blank or MLLP framing
    any = true;
    if (t.size() >= 1 && t[0] == '\x0b') t.remove_prefix(1);  // MLLP start block
    if (t.size() >= 3 && t.compare(0, 3, "MSH") == 0) {
      flush_stray();
      if (in_message && !reader.process(m)) return;
      m.clear();
      in_message = true;
    } else if (is_batch_segment(t)) {
      flush_stray();
      if (in_message && !reader.process(m)) return;
      m.clear();
      in_message = false;
      continue;
    } else if (!in_message) {
      if (stray++ == 0) {
        stray_offset = line.offset;
        stray_line = line.number;
      }
      continue;
    }
    m.bytes += t.size() + 1;
    if (m.bytes > options.max_message_bytes || line.too_long) {
      m.too_long = true;
      continue;
    }
    if (!m.too_long) m.segments.push_back({std::string(t), line.offset, line.number});
  }
  flush_stray();
  if (in_message && !reader.process(m)) return;
  if (!any) sink.error({"the file is empty", std::string(source_name), 0, 0});
}

}  // namespace mfr::legacy
