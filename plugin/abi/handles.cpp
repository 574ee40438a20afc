#include "plugin/abi/handles.hpp"

#include <mutex>
#include <unordered_map>

#include "plugin/abi/guard.hpp"

namespace mfr::abi {
namespace {

std::mutex registry_mutex;
std::unordered_map<const void*, HandleKind>& registry() {
  static auto* live = new std::unordered_map<const void*, HandleKind>();  // never destroyed: safe at exit
  return *live;
}

const char* kind_name(HandleKind kind) {
  switch (kind) {
    case HandleKind::Context: return "mfr_context";
    case HandleKind::Session: return "mfr_session";
    case HandleKind::ImportResult: return "mfr_import_result";
    case HandleKind::Server: return "mfr_server";
    case HandleKind::Validation: return "mfr_validation";
    case HandleKind::Batch: break;
  }
  return "mfr_batch";
}

}  // namespace

void check_handle(const void* p, HandleKind kind) {
  if (!p) fail(MFR_ERR_INVALID_HANDLE, std::string("The ") + kind_name(kind) + " handle is NULL.");
  if (!is_live(p, kind))
    fail(MFR_ERR_INVALID_HANDLE, std::string("The ") + kind_name(kind) + " handle is not a live " + kind_name(kind) +
                                     " (already freed, or another kind of pointer).");
}

void register_handle(const void* p, HandleKind kind) {
  std::lock_guard lock(registry_mutex);
  registry()[p] = kind;
}

bool unregister_handle(const void* p, HandleKind kind) {
  std::lock_guard lock(registry_mutex);
  auto it = registry().find(p);
  if (it == registry().end() || it->second != kind) return false;
  registry().erase(it);
  return true;
}

bool is_live(const void* p, HandleKind kind) noexcept {
  std::lock_guard lock(registry_mutex);
  auto it = registry().find(p);
  return it != registry().end() && it->second == kind;
}

mfr_context& context(mfr_context* p) {
  check_handle(p, HandleKind::Context);
  return *p;
}
mfr_session& session(mfr_session* p) {
  check_handle(p, HandleKind::Session);
  return *p;
}
const mfr_session& session(const mfr_session* p) {
  check_handle(p, HandleKind::Session);
  return *p;
}
const mfr_import_result& import_result(const mfr_import_result* p) {
  check_handle(p, HandleKind::ImportResult);
  return *p;
}

}  // namespace mfr::abi

namespace mfr::abi {
SessionsForExport sessions_for_export(const mfr_session* const* sessions, size_t count) {
  if (count && !sessions) fail(MFR_ERR_INVALID_ARGUMENT, "sessions is NULL but count is " + std::to_string(count) + ".");
  SessionsForExport out;
  out.sessions.reserve(count);
  out.received.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (!sessions[i] || !is_live(sessions[i], HandleKind::Session))
      fail(MFR_ERR_INVALID_HANDLE, "sessions[" + std::to_string(i) + "] is not a live mfr_session.");
    const mfr_session& h = *sessions[i];
    if (h.session.start.empty() && !h.received.procedure)
      fail(MFR_ERR_INVALID_ARGUMENT, "sessions[" + std::to_string(i) + "] has no start; set it with mfr_session_set_period().");
    out.sessions.push_back(h.session);
    if (out.sessions.back().identifier_system.empty()) out.sessions.back().identifier_system = h.identifier_system;
    out.received.push_back(&h.received);
  }
  return out;
}

void log(const mfr_context& ctx, mfr_log_level level, const std::string& message) noexcept {
  if (!ctx.log || level > ctx.log_level) return;
  try {
    ctx.log(ctx.user_data, level, message.c_str());
  } catch (...) {
    // a host callback that throws (C++ hosts) must not unwind through us
  }
}
}  // namespace mfr::abi
