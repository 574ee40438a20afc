#pragma once
// FHIR dateTime kept as its text, so precision ("2019-03", "2019-03-04T10:30:00+01:00")
// survives a round trip; parsed on demand for ordering and charts.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mfr {

class DateTime {
 public:
  DateTime() = default;
  // Returns nullopt when `text` is not an R4 dateTime (YYYY, YYYY-MM, YYYY-MM-DD, or a full
  // date-time with seconds and a time zone).
  static std::optional<DateTime> parse(std::string_view text);

  const std::string& text() const noexcept { return text_; }
  bool empty() const noexcept { return text_.empty(); }
  // Seconds since 1970-01-01T00:00:00Z of the earliest instant the value can mean.
  std::int64_t epoch_seconds() const noexcept { return epoch_; }
  bool has_time() const noexcept { return text_.size() > 10; }
  std::string_view date_part() const noexcept { return std::string_view(text_).substr(0, 10); }

  friend bool operator==(const DateTime& a, const DateTime& b) { return a.text_ == b.text_; }

 private:
  std::string text_;
  std::int64_t epoch_ = 0;
};

// A FHIR decimal kept as its text: "60" stays "60", "1.50" stays "1.50".
struct Decimal {
  std::string text;
  static std::optional<Decimal> parse(std::string_view text);
  double value() const;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

}  // namespace mfr
