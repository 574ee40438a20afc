#pragma once
// The FHIRPath of the element a check looks at, spelled out only when an issue needs it: most
// elements are valid, so most paths are never written (building one per element was a tenth of
// validation). A Path is a root (the walker's current steps, spelled by a callback) or a child
// of another Path ("parent.name" or "parent.name[index]"); children live on the stack and point
// to their parent, so a Path must not outlive the checks it was made for.
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>

namespace mfr::validate::detail {

class Path {
 public:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  using Spell = void (*)(const void* context, std::string& out);

  // A root: `spell(context, out)` appends the path.
  Path(const void* context, Spell spell) noexcept : context_(context), spell_(spell) {}
  // parent.name, or parent.name[index]
  Path(const Path& parent, std::string_view name, std::size_t index = kNoIndex) noexcept
      : parent_(&parent), name_(name), index_(index) {}

  std::string str() const {
    std::string out;
    append_to(out);
    return out;
  }
  operator std::string() const { return str(); }  // NOLINT: the Sink takes expressions as strings
  friend std::string operator+(const Path& path, std::string_view tail) {
    std::string out = path.str();
    out += tail;
    return out;
  }

 private:
  void append_to(std::string& out) const {
    if (parent_ == nullptr) {
      spell_(context_, out);
      return;
    }
    parent_->append_to(out);
    out += '.';
    out += name_;
    if (index_ != kNoIndex) {
      char digits[24];
      const auto end = std::to_chars(digits, digits + sizeof digits, index_).ptr;
      out += '[';
      out.append(digits, end);
      out += ']';
    }
  }

  const Path* parent_ = nullptr;
  const void* context_ = nullptr;
  Spell spell_ = nullptr;
  std::string_view name_;
  std::size_t index_ = kNoIndex;
};

}  // namespace mfr::validate::detail
