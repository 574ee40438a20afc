#pragma once
// The text of a JSON string or number, and a member's name. Most FHIR names and values are
// short (codes, dates, references): up to 28 bytes live inside the object itself; longer text
// lives in a block of the DOM's per-thread pool (pool.hpp). Unlike std::string it holds no
// pointer into itself, so moving one is a copy of its 32 bytes rather than a memcpy call, and
// a long text is not a malloc. Read it as a std::string_view (it converts implicitly).
#include <compare>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "json/pool.hpp"

namespace mfr::json {

class Text {
 public:
  static constexpr std::size_t kInline = 28;  // bytes kept inside the object

  Text() noexcept = default;
  Text(std::string_view s) { assign(s.data(), s.size()); }  // NOLINT: implicit, as std::string's
  Text(const char* s) : Text(std::string_view(s)) {}        // NOLINT
  Text(const std::string& s) : Text(std::string_view(s)) {}  // NOLINT
  Text(const Text& other) { assign(other.data(), other.size_); }
  Text(Text&& other) noexcept { steal(other); }
  Text& operator=(const Text& other) {
    if (this != &other) *this = Text(other);
    return *this;
  }
  Text& operator=(Text&& other) noexcept {
    if (this != &other) {
      release();
      steal(other);
    }
    return *this;
  }
  ~Text() { release(); }

  const char* data() const noexcept { return size_ <= kInline ? bytes_ : heap(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  char operator[](std::size_t i) const noexcept { return data()[i]; }
  std::string_view view() const noexcept { return {data(), size_}; }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: read as a view
  std::string str() const { return std::string(view()); }

  friend bool operator==(const Text& a, const Text& b) noexcept { return a.view() == b.view(); }
  friend bool operator==(const Text& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const Text& a, const char* b) noexcept { return a.view() == std::string_view(b); }
  friend bool operator==(const Text& a, const std::string& b) noexcept { return a.view() == std::string_view(b); }
  friend std::strong_ordering operator<=>(const Text& a, const Text& b) noexcept { return a.view() <=> b.view(); }

 private:
  char bytes_[kInline];    // the text itself, or (when longer) the address of its block
  std::uint32_t size_ = 0;

  char* heap() const noexcept {
    char* p;
    std::memcpy(&p, bytes_, sizeof p);
    return p;
  }
  void assign(const char* s, std::size_t n);  // *this is empty or raw
  void release() noexcept {
    if (size_ > kInline) detail::pool_deallocate(heap(), size_);
  }
  void steal(Text& other) noexcept {
    std::memcpy(bytes_, other.bytes_, kInline);
    size_ = other.size_;
    other.size_ = 0;
  }
};

inline void Text::assign(const char* s, std::size_t n) {
  if (n > UINT32_MAX) throw std::length_error("a JSON text of 4 GiB or more");
  size_ = static_cast<std::uint32_t>(n);
  if (n > kInline) {
    char* to = static_cast<char*>(detail::pool_allocate(n));
    std::memcpy(bytes_, &to, sizeof to);
    std::memcpy(to, s, n);
    return;
  }
  // Short text is most names and values: copied in words (overlapping at the end), not by a
  // call to memcpy.
  const auto copy = [&](std::size_t at, auto word) {
    std::memcpy(&word, s + at, sizeof word);
    std::memcpy(bytes_ + at, &word, sizeof word);
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8) copy(i, std::uint64_t{});
    copy(n - 8, std::uint64_t{});
  } else if (n >= 4) {
    copy(0, std::uint32_t{});
    copy(n - 4, std::uint32_t{});
  } else {
    for (std::size_t i = 0; i < n; ++i) bytes_[i] = s[i];
  }
}

}  // namespace mfr::json
