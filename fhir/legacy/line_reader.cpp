#include "legacy/line_reader.hpp"

#include <cstring>

namespace mfr::legacy {

LineReader::LineReader(std::istream& in, std::size_t max_line, std::size_t chunk)
    : in_(in), max_line_(max_line), chunk_(chunk) {}

bool LineReader::fill() {
  if (eof_) return false;
  // Drop what was consumed, then append one chunk.
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const std::size_t old = buf_.size();
  buf_.resize(old + chunk_);
  in_.read(buf_.data() + old, static_cast<std::streamsize>(chunk_));
  const auto got = static_cast<std::size_t>(in_.gcount());
  buf_.resize(old + got);
  if (got == 0) eof_ = true;
  return got > 0;
}

bool LineReader::next(Line& line) {
  std::size_t scan = pos_;
  bool cut = false;
  for (;;) {
    const char* base = buf_.data();
    const std::size_t n = buf_.size();
    std::size_t i = scan;
    while (i < n && base[i] != '\n' && base[i] != '\r') ++i;
    if (i < n) {
      // A "\r" at the very end of the buffer may be the first half of "\r\n".
      if (base[i] == '\r' && i + 1 == n && !eof_) {
        const std::size_t rel = i - pos_;
        fill();  // moves the unread bytes to the front; at the end of the stream the '\r' stands alone
        scan = pos_ + rel;
        continue;
      }
      const std::size_t term = (base[i] == '\r' && i + 1 < n && base[i + 1] == '\n') ? 2 : 1;
      line.text = std::string_view(base + pos_, i - pos_);
      line.terminator = std::string_view(base + i, term);
      line.offset = consumed_;
      line.number = ++number_;
      line.too_long = cut;
      consumed_ += (i - pos_) + term;
      pos_ = i + term;
      return true;
    }
    if (n - pos_ > max_line_) {
      // Keep the first max_line bytes of an endless line; skip the rest up to its end.
      cut = true;
      const std::size_t rel_keep = max_line_;
      std::string head(buf_.data() + pos_, rel_keep);
      std::uint64_t skipped = n - pos_ - rel_keep;
      buf_.clear();
      pos_ = 0;
      for (;;) {
        if (!fill()) break;
        const char* p = static_cast<const char*>(std::memchr(buf_.data(), '\n', buf_.size()));
        const char* q = static_cast<const char*>(std::memchr(buf_.data(), '\r', buf_.size()));
        const char* e = p && q ? (p < q ? p : q) : (p ? p : q);
        if (e) {
          skipped += static_cast<std::uint64_t>(e - buf_.data());
          buf_.erase(0, static_cast<std::size_t>(e - buf_.data()));
          break;
        }
        skipped += buf_.size();
        buf_.clear();
      }
      consumed_ += skipped;  // the skipped tail counts as part of this line
      buf_.insert(0, head);
      // The kept head is followed directly by the terminator (or the end).
      const std::size_t n2 = buf_.size();
      std::size_t i2 = rel_keep;
      if (i2 < n2) {
        const std::size_t term = (buf_[i2] == '\r' && i2 + 1 < n2 && buf_[i2 + 1] == '\n') ? 2 : 1;
        line.text = std::string_view(buf_.data(), rel_keep);
        line.terminator = std::string_view(buf_.data() + i2, term);
        line.offset = consumed_ - skipped;
        line.number = ++number_;
        line.too_long = true;
        consumed_ += rel_keep + term;
        pos_ = i2 + term;
        return true;
      }
      line.text = std::string_view(buf_.data(), rel_keep);
      line.terminator = {};
      line.offset = consumed_ - skipped;
      line.number = ++number_;
      line.too_long = true;
      consumed_ += rel_keep;
      pos_ = buf_.size();
      return true;
    }
    const std::size_t rel = n - pos_;
    if (!fill()) {
      if (buf_.size() == pos_) return false;
      // last line without a terminator
      line.text = std::string_view(buf_.data() + pos_, buf_.size() - pos_);
      line.terminator = {};
      line.offset = consumed_;
      line.number = ++number_;
      line.too_long = cut;
      consumed_ += buf_.size() - pos_;
      pos_ = buf_.size();
      return true;
    }
    scan = pos_ + rel;
  }
}

}  // namespace mfr::legacy
