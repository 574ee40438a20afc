#pragma once
// The opaque handles behind mfr.h, and a registry of live ones so that a NULL, freed or
// foreign pointer is an error status instead of a crash: a pointer is looked up before it
// is ever dereferenced.
#include <memory>
#include <string>
#include <vector>

#include "codec/import.hpp"
#include "mfr/mfr.h"
#include "model/session.hpp"

namespace mfr::abi {
struct ExchangeState;  // partners and the outbox store (api_exchange.cpp)
}  // namespace mfr::abi

struct mfr_context {
  std::string identifier_system;
  mfr_log_fn log = nullptr;
  void* user_data = nullptr;
  mfr_log_level log_level = MFR_LOG_WARNING;
  std::string language;  // of the narratives export writes ("en" when empty)
  std::shared_ptr<mfr::abi::ExchangeState> exchange;  // made by the first exchange call
};

struct mfr_session {
  mfr::Session session;
  // What import received for it (empty when the host built it): kept beside the session, and
  // copied by mfr_session_clone, so import -> edit -> export writes back all it came with.
  mfr::codec::Received received;
  std::string identifier_system;  // the context's, captured at creation
  bool borrowed = false;          // owned by an mfr_import_result
};

struct mfr_import_result {
  mfr::codec::ImportResult result;
  std::vector<std::unique_ptr<mfr_session>> sessions;
  mfr_status status = MFR_OK;
};

namespace mfr::abi {

enum class HandleKind { Context, Session, ImportResult, Batch, Server, Validation };

void register_handle(const void* p, HandleKind kind);
// Returns false when `p` was not registered as `kind` (the handle then stays registered).
bool unregister_handle(const void* p, HandleKind kind);
bool is_live(const void* p, HandleKind kind) noexcept;
// Fails with MFR_ERR_INVALID_HANDLE, naming the kind, unless `p` is a live handle of `kind`.
void check_handle(const void* p, HandleKind kind);

mfr_context& context(mfr_context* p);
mfr_session& session(mfr_session* p);
const mfr_session& session(const mfr_session* p);
const mfr_import_result& import_result(const mfr_import_result* p);

}  // namespace mfr::abi

namespace mfr::abi {
// Copies of `count` session handles, ready for export: each handle checked (the message names
// the index of a bad one), each session with an identifier system, and a start unless imported;
// beside them what each received (pointers into the handles, which outlive the export).
struct SessionsForExport {
  std::vector<mfr::Session> sessions;
  std::vector<const mfr::codec::Received*> received;  // by the same index
};
SessionsForExport sessions_for_export(const mfr_session* const* sessions, size_t count);

// Sends a line to the host's log callback (never patient data: callers pass counts and codes).
void log(const mfr_context& ctx, mfr_log_level level, const std::string& message) noexcept;
}  // namespace mfr::abi
