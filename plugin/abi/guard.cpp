#include "plugin/abi/guard.hpp"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>

#include "json/json.hpp"
#include "validate/issue.hpp"

namespace mfr::abi {
namespace {
thread_local std::string last_error;
}

void set_last_error(std::string message) noexcept {
  try {
    last_error = std::move(message);
  } catch (...) {
    last_error.clear();
  }
}

void clear_last_error() noexcept { last_error.clear(); }

const char* last_error_text() noexcept { return last_error.c_str(); }

mfr_status status_of_current_exception() noexcept {
  try {
    throw;
  } catch (const Failure& f) {
    set_last_error(f.message);
    return f.status;
  } catch (const json::ParseError& e) {
    set_last_error(mfr::validate::parse_error_sentence(e.where(), e.reason()));
    return MFR_ERR_PARSE;
  } catch (const std::bad_alloc&) {
    set_last_error("Out of memory.");
    return MFR_ERR_NO_MEMORY;
  } catch (const std::invalid_argument& e) {
    set_last_error(e.what());
    return MFR_ERR_INVALID_ARGUMENT;
  } catch (const std::exception& e) {
    set_last_error(std::string("Internal error: ") + e.what());
    return MFR_ERR_INTERNAL;
  } catch (...) {
    set_last_error("Internal error: an unknown exception.");
    return MFR_ERR_INTERNAL;
  }
}

void require_struct(const void* p, std::uint32_t struct_size, std::size_t minimum, const char* name) {
  if (!p) fail(MFR_ERR_INVALID_ARGUMENT, std::string(name) + " is NULL.");
  if (struct_size < minimum)
    fail(MFR_ERR_INVALID_ARGUMENT, std::string(name) + "->struct_size is " + std::to_string(struct_size) +
                                       "; set it to sizeof the struct (use its _INIT macro).");
}

char* to_host_buffer(const std::string& text, size_t* out_len) {
  auto* buffer = static_cast<char*>(std::malloc(text.size() + 1));
  if (!buffer) throw std::bad_alloc();
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  if (out_len) *out_len = text.size();
  return buffer;
}

}  // namespace mfr::abi
