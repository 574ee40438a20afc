#pragma once
// The one place where C++ meets the C ABI: every exported body runs inside guard(),
// which catches everything, maps it to a status and keeps the message for mfr_last_error().
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "mfr/mfr.h"

namespace mfr::abi {

// Thrown inside the library to fail with a specific status and sentence.
struct Failure {
  mfr_status status;
  std::string message;
};

[[noreturn]] inline void fail(mfr_status status, std::string message) { throw Failure{status, std::move(message)}; }

void set_last_error(std::string message) noexcept;
void clear_last_error() noexcept;
// Maps the exception in flight to a status and records its message.
mfr_status status_of_current_exception() noexcept;

template <typename Body>
mfr_status guard(Body&& body) noexcept {
  try {
    clear_last_error();
    body();
    return MFR_OK;
  } catch (...) {
    return status_of_current_exception();
  }
}

template <typename T>
T& require(T* p, const char* name) {
  if (!p) fail(MFR_ERR_INVALID_ARGUMENT, std::string(name) + " is NULL.");
  return *p;
}

// struct_size of a host struct: at least the size of its first release's fields
// (first_release.hpp).
void require_struct(const void* p, std::uint32_t struct_size, std::size_t minimum, const char* name);

// Writes no more of `value` than the host's struct has room for, keeping the host's struct_size:
// a host built against an older header has a shorter struct.
template <typename T>
void copy_out(T* out, T value) {
  value.struct_size = out->struct_size;
  std::memcpy(out, &value, std::min<std::size_t>(out->struct_size, sizeof(T)));
}

// A buffer the host frees with mfr_free().
char* to_host_buffer(const std::string& text, size_t* out_len);

}  // namespace mfr::abi
