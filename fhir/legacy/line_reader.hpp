#pragma once
// Reads a stream line by line in fixed-size chunks, so memory does not grow with the file.
// A line ends at "\r\n", "\n" or a lone "\r" (HL7 v2 separates segments with "\r").
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

namespace mfr::legacy {

struct Line {
  std::string_view text;        // without its terminator; valid until the next call to next()
  std::string_view terminator;  // "\r\n", "\n", "\r" or empty at the end of the stream
  std::uint64_t offset = 0;     // byte offset of the line's first byte
  std::uint64_t number = 0;     // 1-based
  bool too_long = false;        // the line was cut at max_line bytes (the rest is skipped)
};

class LineReader {
 public:
  explicit LineReader(std::istream& in, std::size_t max_line = 16u << 20, std::size_t chunk = 64u << 10);
  // false at the end of the stream.
  bool next(Line& line);
  std::uint64_t offset() const noexcept { return consumed_; }

 private:
  bool fill();
  std::istream& in_;
  std::string buf_;
  std::size_t pos_ = 0;
  std::size_t max_line_;
  std::size_t chunk_;
  std::uint64_t consumed_ = 0;  // stream offset of buf_[pos_]
  std::uint64_t number_ = 0;
  bool eof_ = false;
};

}  // namespace mfr::legacy
