#pragma once
// A small JSON document model made for FHIR at the edges of the library:
//  - numbers keep their text, so a FHIR decimal "1.50" is written back as "1.50";
//  - objects keep member order, so our output is byte-stable and reads naturally
//    ("resourceType" first);
//  - every value knows the line and column it started at, so errors can say where;
//  - parsing is strict RFC 8259 with UTF-8 checks and a nesting limit (hostile input).
// nlohmann/json was measured first: 46,000 Observations/s for a DOM parse alone on this
// machine, under the 100,000/s import bar, and it cannot keep decimal text in its DOM.
#include <cstdint>
#include <initializer_list>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json/pool.hpp"
#include "json/text.hpp"

namespace mfr::json {

// The order matters to Value::destroy(): scalars, then text, then containers.
enum class Type : std::uint8_t { Null, Bool, Number, String, Array, Object };
std::string_view type_name(Type type) noexcept;  // "null", "boolean", "number", "string", "array", "object"

struct Position {
  std::uint32_t line = 0;    // 1-based; 0 when the value was built in memory
  std::uint32_t column = 0;  // 1-based, in bytes
};

// Thrown by parse(): what is wrong and where.
class ParseError : public std::runtime_error {
 public:
  ParseError(Position where, const std::string& what);
  Position where() const noexcept { return where_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  Position where_;
  std::string reason_;
};

class Value;
struct Member;
using Array = std::vector<Value, detail::PoolAllocator<Value>>;
using Object = std::vector<Member, detail::PoolAllocator<Member>>;

// A tagged union rather than std::variant: moving and destroying a value is then an inline
// switch on one byte instead of a call through the variant's visitor table, which was a
// fifth of parsing and of building resources (docs/DESIGN-NOTES.md). Numbers and strings
// share the text slot (a json::Text, not a std::string: see text.hpp); the tag tells them apart.
class Value {
 public:
  // The constructors are defined inline below Member: building an Object needs Member
  // complete, which GCC lets slide inside the class and clang does not.
  Value() noexcept {}  // null
  Value(std::nullptr_t) noexcept {}
  Value(bool b) noexcept : bool_(b), type_(Type::Bool) {}
  Value(const std::string& s);
  Value(std::string_view s);
  Value(const char* s);
  Value(Text s);
  Value(int n);
  Value(long n);
  Value(long long n);
  Value(unsigned n);
  Value(unsigned long n);
  Value(Array a);
  Value(Object o);
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value();
  // A number whose text is already valid JSON (a FHIR decimal, say).
  static Value number(std::string_view text);
  static Value object();
  static Value array();

  // Parses one JSON text. `max_depth` bounds nesting (FHIR resources nest < 20 deep).
  static Value parse(std::string_view text, int max_depth = 64);

  Type type() const noexcept { return type_; }
  bool is_null() const noexcept { return type_ == Type::Null; }
  bool is_bool() const noexcept { return type_ == Type::Bool; }
  bool is_number() const noexcept { return type_ == Type::Number; }
  bool is_string() const noexcept { return type_ == Type::String; }
  bool is_array() const noexcept { return type_ == Type::Array; }
  bool is_object() const noexcept { return type_ == Type::Object; }
  Position position() const noexcept { return pos_; }
  void set_position(Position p) noexcept { pos_ = p; }

  // Typed access; each throws std::logic_error on a type mismatch (a caller bug:
  // inputs are checked with is_*() first). A string's or number's text is a view into this
  // value (json::Text): valid while the value lives unchanged and unmoved.
  bool as_bool() const { return expect(Type::Bool).bool_; }
  std::string_view as_string() const { return expect(Type::String).str_; }
  std::string_view number_text() const { return expect(Type::Number).str_; }
  const Array& as_array() const { return expect(Type::Array).arr_; }
  Array& as_array() { return const_cast<Value&>(expect(Type::Array)).arr_; }
  const Object& as_object() const { return expect(Type::Object).obj_; }
  Object& as_object() { return const_cast<Value&>(expect(Type::Object)).obj_; }

  // The number as an integer when its text is one ("6", "-2"), else nullopt ("6.0", "1e2").
  std::optional<long long> as_integer() const noexcept;
  // A string member's text, or nullopt when absent or not a string.
  std::optional<std::string_view> string_at(std::string_view key) const noexcept;

  // Object member lookup; nullptr when this is not an object or has no such member.
  const Value* find(std::string_view key) const noexcept;
  Value* find(std::string_view key) noexcept;
  // Object member, inserted (null) at the end when missing; turns a null into an object.
  Value& operator[](std::string_view key);
  // Appends member `key` without looking for an existing one (building a resource whose
  // keys the caller knows are new); turns a null into an object.
  Value& add(std::string_view key, Value v);
  bool erase(std::string_view key);
  // Appends to an array; turns a null into an array.
  Value& push_back(Value v);
  std::size_t size() const noexcept;

  // Compact JSON (no spaces) or pretty JSON (2-space indent); both end without a newline.
  std::string dump(bool pretty = false) const;
  void dump_to(std::string& out, bool pretty = false) const;

  // Exact structural equality: member order matters, numbers compare by text.
  friend bool operator==(const Value& a, const Value& b);

 private:
  const Value& expect(Type want) const {
    if (type_ != want) [[unlikely]]
      wrong_type(want, type_);
    return *this;
  }
  [[noreturn]] static void wrong_type(Type want, Type got);
  void destroy() noexcept;
  void destroy_container() noexcept;  // out of line, so destroy() inlines into the loops over items
  void take(Value&& other) noexcept;  // constructs *this (raw) from other

  union {
    bool bool_;
    Text str_;  // Number (its JSON text) and String
    Array arr_;
    Object obj_;
  };
  Type type_ = Type::Null;
  Position pos_;
};

struct Member {
  // A constructor, not only an aggregate: emplace_back(key, value) then compiles with clang 14
  // too (the fuzz build), which lacks C++20's parenthesised aggregate initialisation.
  Member() = default;
  Member(Text k, Value v) : key(std::move(k)), value(std::move(v)) {}
  Text key;
  Value value;
  friend bool operator==(const Member&, const Member&) = default;
};

inline Value::Value(const std::string& s) : type_(Type::String) { new (&str_) Text(s); }
inline Value::Value(std::string_view s) : type_(Type::String) { new (&str_) Text(s); }
inline Value::Value(const char* s) : type_(Type::String) { new (&str_) Text(s); }
inline Value::Value(Text s) : type_(Type::String) { new (&str_) Text(std::move(s)); }
inline Value::Value(int n) : type_(Type::Number) { new (&str_) Text(std::to_string(n)); }
inline Value::Value(long n) : type_(Type::Number) { new (&str_) Text(std::to_string(n)); }
inline Value::Value(long long n) : type_(Type::Number) { new (&str_) Text(std::to_string(n)); }
inline Value::Value(unsigned n) : type_(Type::Number) { new (&str_) Text(std::to_string(n)); }
inline Value::Value(unsigned long n) : type_(Type::Number) { new (&str_) Text(std::to_string(n)); }
inline Value::Value(Array a) : type_(Type::Array) { new (&arr_) Array(std::move(a)); }
inline Value::Value(Object o) : type_(Type::Object) { new (&obj_) Object(std::move(o)); }
[[gnu::always_inline]] inline Value::Value(Value&& other) noexcept { take(std::move(other)); }
[[gnu::always_inline]] inline Value::~Value() { destroy(); }

// Inlined into the loops that destroy a container's items: a null, boolean, number or
// string costs a compare or two there, not a call.
[[gnu::always_inline]] inline void Value::destroy() noexcept {
  if (type_ <= Type::Bool) return;
  if (type_ <= Type::String) {
    str_.~Text();
    return;
  }
  destroy_container();
}

// The moved-from value keeps its type with empty contents, as a moved-from std::variant did.
inline void Value::take(Value&& other) noexcept {
  type_ = other.type_;
  pos_ = other.pos_;
  switch (type_) {
    case Type::Null: break;
    case Type::Bool: bool_ = other.bool_; break;
    case Type::Number:
    case Type::String: new (&str_) Text(std::move(other.str_)); break;
    case Type::Array: new (&arr_) Array(std::move(other.arr_)); break;
    case Type::Object: new (&obj_) Object(std::move(other.obj_)); break;
  }
}

inline Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    // `other` may live inside *this (v = std::move(v["x"])): move it out before destroying.
    Value moved(std::move(other));
    destroy();
    take(std::move(moved));
  }
  return *this;
}

inline Value Value::number(std::string_view text) {
  Value v;
  new (&v.str_) Text(text);
  v.type_ = Type::Number;
  return v;
}
inline Value Value::object() { return Value(Object{}); }
inline Value Value::array() { return Value(Array{}); }

// Equality as FHIR means it: object member order does not matter, numbers compare by value
// ("2" equals "2.0" only when `numbers_by_value`), everything else exactly.
bool same_content(const Value& a, const Value& b, bool numbers_by_value = false);

// Appends `s` to `out` as a JSON string literal with quotes.
void write_string(std::string& out, std::string_view s);

}  // namespace mfr::json
