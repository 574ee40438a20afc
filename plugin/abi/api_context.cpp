// mfr_context: configuration and the unit of thread ownership.
#include <memory>

#include "mfr/mfr.h"
#include "plugin/abi/first_release.hpp"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"

using namespace mfr::abi;

namespace {

bool absolute_uri(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
  }
  return s.find_first_of(" \t\r\n") == std::string_view::npos;
}
}  // namespace

extern "C" {

MFR_API mfr_status mfr_context_open(mfr_context** out, const mfr_context_options* options) {
  return guard([&] {
    require(out, "out");
    require_struct(options, options ? options->struct_size : 0, first_release::context_options, "options");
    if (!options->identifier_system || !absolute_uri(options->identifier_system))
      fail(MFR_ERR_INVALID_ARGUMENT,
           "options->identifier_system must be the clinic's identifier system as an absolute URI, e.g. "
           "\"https://clinic.example/fhir/sessions\".");
    if (options->log_level < MFR_LOG_ERROR || options->log_level > MFR_LOG_DEBUG)
      fail(MFR_ERR_INVALID_ARGUMENT, "options->log_level is not an mfr_log_level.");
    auto ctx = std::make_unique<mfr_context>();
    ctx->identifier_system = options->identifier_system;
    ctx->log = options->log;
    ctx->user_data = options->user_data;
    ctx->log_level = options->log_level;
    if (options->struct_size >= MFR_FIRST_RELEASE_END(mfr_context_options, language) && options->language)
      ctx->language = options->language;
    register_handle(ctx.get(), HandleKind::Context);
    *out = ctx.release();
  });
}

MFR_API void mfr_context_close(mfr_context* ctx) {
  if (ctx && unregister_handle(ctx, HandleKind::Context)) delete ctx;
}

}  // extern "C"
