#include "json/json.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/bytes.hpp"
#include "base/utf8.hpp"

namespace mfr::json {

std::string_view type_name(Type type) noexcept {
  switch (type) {
    case Type::Null: return "null";
    case Type::Bool: return "boolean";
    case Type::Number: return "number";
    case Type::String: return "string";
    case Type::Array: return "array";
    case Type::Object: break;
  }
  return "object";
}

ParseError::ParseError(Position where, const std::string& what)
    : std::runtime_error("line " + std::to_string(where.line) + ", column " + std::to_string(where.column) +
                         ": " + what),
      where_(where),
      reason_(what) {}

namespace {

// Bytes a string scan must stop at: '"', '\\', controls and non-ASCII (UTF-8 is checked
// byte by byte). Eight at a time; a borrow may flag bytes after the first hit, never before.
// Little-endian words (base/bytes.hpp), so the first byte is the lowest and countr_zero finds it.
using base::load_le64;
using base::store_le64;
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

inline std::uint64_t special_in_string(std::uint64_t x) {
  return (((x ^ (kOnes * '"')) - kOnes) | ((x ^ (kOnes * '\\')) - kOnes) | (x - kOnes * 0x20) | x) & kHighs;
}
// The same for the writer, which escapes '"', '\\' and controls and copies UTF-8 as is.
inline std::uint64_t special_for_writer(std::uint64_t x) {
  return (((x ^ (kOnes * '"')) - kOnes) | ((x ^ (kOnes * '\\')) - kOnes) | (x - kOnes * 0x20)) & ~x & kHighs;
}

constexpr std::uint64_t kPlainPad = kOnes * 'a';  // a byte neither scan stops at

// The `n` (< 8) bytes at `p` as a little-endian word padded with plain bytes, reading
// nothing past `p + n`: a 4-, a 2- and a 1-byte load rather than a loop.
inline std::uint64_t tail_word(const char* p, std::size_t n) {
  std::uint64_t x = 0;
  unsigned shift = 0;
  if (n & 4) {
    for (int i = 0; i < 4; ++i) x |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    p += 4;
    shift = 32;
  }
  if (n & 2) {
    x |= (std::uint64_t{static_cast<unsigned char>(p[0])} | std::uint64_t{static_cast<unsigned char>(p[1])} << 8) << shift;
    p += 2;
    shift += 16;
  }
  if (n & 1) {
    x |= std::uint64_t{static_cast<unsigned char>(p[0])} << shift;
    shift += 8;
  }
  return x | (kPlainPad << shift);  // shift = 8n < 64
}

inline bool string_special(unsigned char c) { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80; }

class Parser {
 public:
  Parser(std::string_view text, int max_depth) : p_(text.data()), begin_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth) {}
  // A parse error unwinds past the containers it was filling; drop what they left.
  ~Parser() {
    members_.resize(members_base_);
    items_.resize(items_base_);
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  Value parse_document() {
    skip_ws();
    if (p_ == end_) fail("the text is empty; a JSON value was expected");
    Value v = parse_value(0);
    skip_ws();
    if (p_ != end_) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  const char* p_;
  const char* begin_;
  const char* end_;
  const char* line_start_ = begin_;
  std::uint32_t line_ = 1;
  int max_depth_;
  // Members and items of the containers being parsed, so each container's vector is
  // allocated once at its exact size instead of growing member by member. Kept per thread
  // so their capacity outlives one document (parse() is not re-entrant on a thread).
  struct Scratch {
    std::vector<Member> members;
    std::vector<Value> items;
  };
  static Scratch& scratch() {
    thread_local Scratch s;
    return s;
  }
  std::vector<Member>& members_ = scratch().members;
  std::vector<Value>& items_ = scratch().items;
  const std::size_t members_base_ = members_.size();
  const std::size_t items_base_ = items_.size();

  Position here() const {
    return {line_, static_cast<std::uint32_t>(p_ - line_start_ + 1)};
  }
  [[noreturn]] void fail(const std::string& what) const { throw ParseError(here(), what); }

  void skip_ws() {
    // Compact JSON (NDJSON) has no whitespace between tokens.
    if (p_ != end_ && static_cast<unsigned char>(*p_) > ' ') return;
    while (p_ != end_) {
      const char c = *p_;
      if (c == ' ' || c == '\t' || c == '\r') {
        ++p_;
      } else if (c == '\n') {
        ++p_;
        ++line_;
        line_start_ = p_;
      } else {
        break;
      }
    }
  }

  Value parse_value(int depth) {
    const Position at = here();
    Value v = parse_bare(depth);  // one named value: returned in place, never moved
    v.set_position(at);
    return v;
  }

  Value parse_bare(int depth) {
    switch (*p_) {
      case '{': return parse_object(depth + 1);
      case '[': return parse_array(depth + 1);
      case '"': return parse_string_value();
      case 't': literal("true"); return Value(true);
      case 'f': literal("false"); return Value(false);
      case 'n': literal("null"); return Value();
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return parse_number();
        fail(std::string("unexpected character '") + printable(*p_) + "'; a JSON value was expected");
    }
  }

  static std::string printable(char c) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      static const char* hex = "0123456789ABCDEF";
      return std::string("\\x") + hex[(c >> 4) & 0xf] + hex[c & 0xf];
    }
    return std::string(1, c);
  }

  void literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
      fail("invalid literal; expected '" + std::string(word) + "'");
    p_ += word.size();
  }

  void enter(int depth) const {
    if (depth > max_depth_) fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
  }

  Value parse_object(int depth) {
    enter(depth);
    ++p_;  // '{'
    skip_ws();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return Value(Object{});
    }
    const std::size_t base = members_.size();
    for (;;) {
      skip_ws();
      if (p_ == end_) fail("the text ends inside an object");
      if (*p_ != '"') fail("a member name in double quotes was expected");
      Text key = parse_key();
      skip_ws();
      if (p_ == end_ || *p_ != ':') fail("':' was expected after the member name \"" + key.str() + "\"");
      ++p_;
      skip_ws();
      if (p_ == end_) fail("the text ends before the value of \"" + key.str() + "\"");
      members_.emplace_back(std::move(key), parse_value(depth));
      skip_ws();
      if (p_ == end_) fail("the text ends inside an object; '}' was expected");
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        break;
      }
      fail("',' or '}' was expected in the object");
    }
    Object members(std::make_move_iterator(members_.begin() + static_cast<std::ptrdiff_t>(base)),
                   std::make_move_iterator(members_.end()));
    members_.resize(base);
    return Value(std::move(members));
  }

  Value parse_array(int depth) {
    enter(depth);
    ++p_;  // '['
    skip_ws();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return Value(Array{});
    }
    const std::size_t base = items_.size();
    for (;;) {
      skip_ws();
      if (p_ == end_) fail("the text ends inside an array");
      items_.push_back(parse_value(depth));
      skip_ws();
      if (p_ == end_) fail("the text ends inside an array; ']' was expected");
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == ']') {
        ++p_;
        break;
      }
      fail("',' or ']' was expected in the array");
    }
    Array items(std::make_move_iterator(items_.begin() + static_cast<std::ptrdiff_t>(base)),
                std::make_move_iterator(items_.end()));
    items_.resize(base);
    return Value(std::move(items));
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  Value parse_number() {
    const char* start = p_;
    if (*p_ == '-') ++p_;
    if (p_ == end_) fail("a digit was expected in the number");
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ != end_ && is_digit(*p_)) ++p_;
    } else {
      fail("a digit was expected in the number");
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      const char* frac = p_;
      while (p_ != end_ && is_digit(*p_)) ++p_;
      if (p_ == frac) fail("a digit was expected after the decimal point");
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      const char* exp = p_;
      while (p_ != end_ && is_digit(*p_)) ++p_;
      if (p_ == exp) fail("a digit was expected in the exponent");
    }
    return Value::number(std::string(start, p_));
  }

  unsigned hex4() {
    if (end_ - p_ < 4) fail("a \\u escape needs four hex digits");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i, ++p_) {
      const char c = *p_;
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else fail("a \\u escape needs four hex digits");
    }
    return v;
  }

  // Validates one multi-byte UTF-8 sequence starting at p_ and copies it.
  void copy_utf8(std::string& out) {
    const std::string_view rest(p_, static_cast<std::size_t>(end_ - p_));
    const std::size_t n = base::utf8::sequence_length(rest, 0);
    if (n == 0) {
      const std::size_t expected = base::utf8::lead_length(static_cast<unsigned char>(*p_));
      fail(expected == 0            ? "invalid UTF-8 byte in a string"
           : rest.size() < expected ? "truncated UTF-8 sequence in a string"
                                    : "invalid UTF-8 sequence in a string");
    }
    out.append(p_, n);
    p_ += n;
  }

  // Advances p_ over plain ASCII string bytes, to the first '"', '\\', control or non-ASCII byte.
  void skip_plain() {
#if defined(__SSE2__)
    // Sixteen at a time: a signed compare with 0x20 flags controls and every byte >= 0x80.
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    while (end_ - p_ >= 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)), _mm_cmplt_epi8(x, space));
      if (const int mask = _mm_movemask_epi8(hit)) {
        p_ += std::countr_zero(static_cast<unsigned>(mask));
        return;
      }
      p_ += 16;
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
      while (end_ - p_ >= 8) {
        const std::uint64_t hit = special_in_string(load_le64(p_));
        if (hit) {
          p_ += std::countr_zero(hit) / 8;
          return;
        }
        p_ += 8;
      }
    }
    while (p_ != end_ && !string_special(static_cast<unsigned char>(*p_))) ++p_;
  }

  Text parse_key() {
    ++p_;  // opening quote
    const char* run = p_;
    skip_plain();
    // Most names are plain ASCII: copied once from the input.
    if (p_ != end_ && *p_ == '"') {
      ++p_;
      return Text(std::string_view(run, static_cast<std::size_t>(p_ - 1 - run)));
    }
    return Text(parse_string_rest(run));
  }

  // A string value: a plain one is built in its Value, not built and then moved there.
  Value parse_string_value() {
    ++p_;  // opening quote
    const char* run = p_;
    skip_plain();
    if (p_ != end_ && *p_ == '"') {
      ++p_;
      return Value(std::string_view(run, static_cast<std::size_t>(p_ - 1 - run)));
    }
    return Value(parse_string_rest(run));
  }

  // The rest of a string from `run` (its first byte), p_ at the first byte that is not plain.
  std::string parse_string_rest(const char* run) {
    std::string out;
    for (;;) {
      out.append(run, p_);
      if (p_ == end_) fail("the text ends inside a string");
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return out;
      }
      if (c < 0x20) fail("a control character must be escaped in a string");
      if (c >= 0x80) {
        copy_utf8(out);
      } else {
        ++p_;  // backslash
        if (p_ == end_) fail("the text ends inside an escape");
        switch (*p_++) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            unsigned cp = hex4();
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') fail("a high surrogate must be followed by a low surrogate");
              p_ += 2;
              const unsigned lo = hex4();
              if (lo < 0xDC00 || lo > 0xDFFF) fail("a high surrogate must be followed by a low surrogate");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              fail("a low surrogate without a high surrogate");
            }
            base::utf8::append(out, cp);
            break;
          }
          default:
            --p_;
            fail("invalid escape '\\" + printable(*p_) + "' in a string");
        }
      }
      run = p_;
      skip_plain();
    }
  }
};

// Writes JSON into `out` through a raw cursor: the string is grown ahead in steps and cut
// back to what was written when the writer goes, so a byte costs a store rather than an
// append call. Growth is relative to this dump, never to what `out` already held (an
// NDJSON file of megabytes is appended to one resource at a time).
class Writer {
 public:
  explicit Writer(std::string& out, std::size_t expect = 2048) : out_(out), start_(out.size()) {
    p_ = end_ = out_.data() + start_;
    reserve(expect);
  }
  ~Writer() { out_.resize(static_cast<std::size_t>(p_ - out_.data())); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void value(const Value& v, bool pretty, int depth) {
    switch (v.type()) {
      case Type::Null: text("null"); return;
      case Type::Bool: text(v.as_bool() ? std::string_view("true") : std::string_view("false")); return;
      case Type::Number: text(v.number_text()); return;
      case Type::String: string(v.as_string()); return;
      case Type::Array: {
        const Array& a = v.as_array();
        put('[');
        for (std::size_t i = 0; i < a.size(); ++i) {
          if (i) put(',');
          if (pretty) indent(depth + 1);
          value(a[i], pretty, depth + 1);
        }
        if (pretty && !a.empty()) indent(depth);
        put(']');
        return;
      }
      case Type::Object: {
        const Object& o = v.as_object();
        put('{');
        for (std::size_t i = 0; i < o.size(); ++i) {
          if (i) put(',');
          if (pretty) indent(depth + 1);
          string(o[i].key);
          text(pretty ? std::string_view(": ") : std::string_view(":"));
          value(o[i].value, pretty, depth + 1);
        }
        if (pretty && !o.empty()) indent(depth);
        put('}');
        return;
      }
    }
  }

  // `s` as a JSON string literal: '"', '\\' and controls escaped, UTF-8 copied as is.
  void string(std::string_view s) {
    static const char* hex = "0123456789abcdef";
    // Room for the common case (nothing to escape), plus the slack of one whole word.
    reserve(s.size() + 2 + 8);
    *p_++ = '"';
    const char* p = s.data();
    const char* const end = p + s.size();
    for (;;) {
      // Copy plain bytes a word at a time up to the first one that needs an escape; the
      // word is stored whole (the slack takes what lies past the hit or the end).
      for (;;) {
        const std::size_t left = static_cast<std::size_t>(end - p);
        std::uint64_t x;
        if (left >= 8) {
          x = load_le64(p);
        } else if (left == 0) {
          x = kPlainPad;
        } else if (s.size() >= 8) {  // the last word of the string, shifted past what was copied
          x = (load_le64(end - 8) >> (8 * (8 - left))) | (kPlainPad << (8 * left));
        } else {
          x = tail_word(p, left);
        }
        store_le64(p_, x);
        const std::uint64_t hit = special_for_writer(x);
        if (hit) {
          const std::size_t k = static_cast<std::size_t>(std::countr_zero(hit)) / 8;  // < left: padding is plain
          p += k;
          p_ += k;
          break;
        }
        if (left <= 8) {
          p = end;
          p_ += left;
          break;
        }
        p += 8;
        p_ += 8;
      }
      if (p == end) break;
      // An escape takes up to six bytes for one: room for it, the rest, the quote and a word.
      reserve(static_cast<std::size_t>(end - p) + 7 + 8);
      const auto c = static_cast<unsigned char>(*p++);
      switch (c) {
        case '"': emit2('\\', '"'); break;
        case '\\': emit2('\\', '\\'); break;
        case '\n': emit2('\\', 'n'); break;
        case '\r': emit2('\\', 'r'); break;
        case '\t': emit2('\\', 't'); break;
        case '\b': emit2('\\', 'b'); break;
        case '\f': emit2('\\', 'f'); break;
        default:
          std::memcpy(p_, "\\u00", 4);
          p_[4] = hex[c >> 4];
          p_[5] = hex[c & 0xf];
          p_ += 6;
      }
    }
    *p_++ = '"';
  }

 private:
  std::string& out_;
  const std::size_t start_;
  char* p_;
  char* end_;

  void reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
  }
  void grow(std::size_t n) {
    const std::size_t used = static_cast<std::size_t>(p_ - out_.data());
    out_.resize(used + std::max(n, 512 + (used - start_)));
    p_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }
  void put(char c) {
    reserve(1);
    *p_++ = c;
  }
  void emit2(char a, char b) {
    p_[0] = a;
    p_[1] = b;
    p_ += 2;
  }
  void text(std::string_view t) {
    reserve(t.size());
    std::memcpy(p_, t.data(), t.size());
    p_ += t.size();
  }
  void indent(int depth) {
    reserve(static_cast<std::size_t>(depth) * 2 + 1);
    *p_++ = '\n';
    std::memset(p_, ' ', static_cast<std::size_t>(depth) * 2);
    p_ += depth * 2;
  }
};

}  // namespace

Value Value::parse(std::string_view text, int max_depth) { return Parser(text, max_depth).parse_document(); }

void Value::destroy_container() noexcept {
  if (type_ == Type::Array) {
    arr_.~vector();
  } else {
    obj_.~vector();
  }
}

Value::Value(const Value& other) : type_(other.type_), pos_(other.pos_) {
  switch (type_) {
    case Type::Null: break;
    case Type::Bool: bool_ = other.bool_; break;
    case Type::Number:
    case Type::String: new (&str_) Text(other.str_); break;
    case Type::Array: new (&arr_) Array(other.arr_); break;
    case Type::Object: new (&obj_) Object(other.obj_); break;
  }
}

Value& Value::operator=(const Value& other) {
  if (this != &other) *this = Value(other);
  return *this;
}

void Value::wrong_type(Type want, Type got) {
  throw std::logic_error("JSON value is " + std::string(type_name(got)) + ", not " + std::string(type_name(want)));
}

bool operator==(const Value& a, const Value& b) {
  if (a.type_ != b.type_) return false;
  switch (a.type_) {
    case Type::Null: return true;
    case Type::Bool: return a.bool_ == b.bool_;
    case Type::Number:
    case Type::String: return a.str_ == b.str_;
    case Type::Array: return a.arr_ == b.arr_;
    case Type::Object: return a.obj_ == b.obj_;
  }
  return false;
}

std::optional<long long> Value::as_integer() const noexcept {
  if (!is_number()) return std::nullopt;
  const std::string_view t = str_;
  if (t.find_first_of(".eE") != std::string_view::npos || t.size() > 18) return std::nullopt;
  long long n = 0;
  std::from_chars(t.data(), t.data() + t.size(), n);  // JSON integer text of <= 18 bytes: always fits
  return n;
}

std::optional<std::string_view> Value::string_at(std::string_view key) const noexcept {
  const Value* v = find(key);
  if (!v || !v->is_string()) return std::nullopt;
  return v->str_.view();
}

namespace {

}  // namespace

const Value* Value::find(std::string_view key) const noexcept {
  if (!is_object()) return nullptr;
  for (const Member& m : obj_) {
    if (m.key.size() != key.size()) continue;
    const char* k = m.key.data();
    if (key.empty() || (k[0] == key[0] && base::same_bytes(k, key.data(), key.size()))) return &m.value;  // the first byte spares most
  }
  return nullptr;
}

Value* Value::find(std::string_view key) noexcept {
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

Value& Value::operator[](std::string_view key) {
  if (is_null()) {  // null holds nothing to destroy; the position stays
    new (&obj_) Object();
    type_ = Type::Object;
  }
  if (Value* v = find(key)) return *v;
  Object& o = as_object();
  if (o.capacity() == 0) o.reserve(4);  // objects built in memory: fewer regrowths
  Member& m = o.emplace_back();
  m.key = Text(key);
  return m.value;
}

Value& Value::add(std::string_view key, Value v) {
  if (is_null()) {  // null holds nothing to destroy; the position stays
    new (&obj_) Object();
    type_ = Type::Object;
  }
  Object& o = as_object();
  if (o.capacity() == 0) o.reserve(4);
  Member& m = o.emplace_back(key, std::move(v));
  return m.value;
}

bool Value::erase(std::string_view key) {
  if (!is_object()) return false;
  Object& o = obj_;
  const auto it = std::find_if(o.begin(), o.end(), [&](const Member& m) { return m.key == key; });
  if (it == o.end()) return false;
  o.erase(it);
  return true;
}

Value& Value::push_back(Value v) {
  if (is_null()) {
    new (&arr_) Array();
    type_ = Type::Array;
  }
  Array& a = as_array();
  a.push_back(std::move(v));
  return a.back();
}

std::size_t Value::size() const noexcept {
  if (is_array()) return arr_.size();
  if (is_object()) return obj_.size();
  return 0;
}

std::string Value::dump(bool pretty) const {
  std::string out;
  dump_to(out, pretty);
  return out;
}

void Value::dump_to(std::string& out, bool pretty) const { Writer(out).value(*this, pretty, 0); }

void write_string(std::string& out, std::string_view s) { Writer(out, s.size() + 2).string(s); }

bool same_content(const Value& a, const Value& b, bool numbers_by_value) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::Null: return true;
    case Type::Bool: return a.as_bool() == b.as_bool();
    case Type::String: return a.as_string() == b.as_string();
    case Type::Number:
      if (numbers_by_value)
        return std::strtod(std::string(a.number_text()).c_str(), nullptr) == std::strtod(std::string(b.number_text()).c_str(), nullptr);
      return a.number_text() == b.number_text();
    case Type::Array: {
      const Array &x = a.as_array(), &y = b.as_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!same_content(x[i], y[i], numbers_by_value)) return false;
      return true;
    }
    case Type::Object: {
      const Object &x = a.as_object(), &y = b.as_object();
      if (x.size() != y.size()) return false;
      for (const Member& m : x) {
        const Value* other = b.find(m.key);
        if (!other || !same_content(m.value, *other, numbers_by_value)) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace mfr::json
