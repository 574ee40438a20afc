// mfr.hpp — header-only C++17 RAII wrapper over mfr.h. No dependency beyond mfr.h and the
// standard library (and <dlfcn.h> for mfr::Api::load on POSIX).
//
// Failures throw mfr::Error carrying the mfr_status and the library's sentence. Handles are
// move-only and freed by their destructors. Works both for hosts that link libmfr-fhir
// (mfr::Api::linked()) and for hosts that dlopen() it (mfr::Api::load(path)):
//
//   mfr::Api api = mfr::Api::load("libmfr-fhir.so.1");
//   mfr::Context ctx(api, "https://clinic.example/fhir/sessions");
//   mfr::Session s = ctx.session_from_json(R"({"id":"S-1","patient":"Patient/p1", ...})");
//   std::string bundle = ctx.export_sessions({&s}, MFR_FORMAT_BUNDLE_TRANSACTION);
#ifndef MFR_MFR_HPP
#define MFR_MFR_HPP

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mfr/mfr.h"

#if !defined(_WIN32)
#include <dlfcn.h>
#endif

namespace mfr {

class Error : public std::runtime_error {
 public:
  Error(mfr_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  mfr_status status() const noexcept { return status_; }

 private:
  mfr_status status_;
};

// The plugin's function table: from the linked library, or from a dlopen()ed one.
class Api {
 public:
  // The library this program is linked with.
  static Api linked() { return Api(::mfr_plugin_entry(MFR_ABI_VERSION), nullptr, "linked"); }

#if !defined(_WIN32)
  // Loads the plugin at `path` (a file name alone searches the system's library path).
  // Throws Error(MFR_ERR_NOT_FOUND) when it cannot be loaded, Error(MFR_ERR_ABI_MISMATCH)
  // when it lacks the entry symbol or does not serve this header's ABI.
  static Api load(const std::string& path) {
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = ::dlerror();
      throw Error(MFR_ERR_NOT_FOUND, "Cannot load the plugin \"" + path + "\": " + (why ? why : "unknown reason") + ".");
    }
    auto entry = reinterpret_cast<mfr_plugin_entry_fn>(::dlsym(handle, MFR_PLUGIN_ENTRY_SYMBOL));
    if (!entry) {
      ::dlclose(handle);
      throw Error(MFR_ERR_ABI_MISMATCH, "\"" + path + "\" is not an mfr-fhir plugin: it has no " MFR_PLUGIN_ENTRY_SYMBOL " symbol.");
    }
    const mfr_api* table = entry(MFR_ABI_VERSION);
    if (!table) {
      auto last = reinterpret_cast<const char* (*)(void)>(::dlsym(handle, "mfr_last_error"));
      std::string why = last ? last() : "";
      ::dlclose(handle);
      throw Error(MFR_ERR_ABI_MISMATCH, "The plugin \"" + path + "\" does not serve ABI version " +
                                            std::to_string(MFR_ABI_VERSION) + ". " + why);
    }
    // The handle stays open for the life of the process: function pointers into it escape.
    return Api(table, handle, path);
  }
#endif

  const mfr_api& operator*() const noexcept { return *table_; }
  const mfr_api* operator->() const noexcept { return table_; }
  const std::string& source() const noexcept { return source_; }

  // Throws Error with the library's last message when `status` is not MFR_OK.
  void check(mfr_status status) const {
    if (status != MFR_OK) throw Error(status, table_->last_error());
  }

 private:
  Api(const mfr_api* table, void* handle, std::string source) : table_(table), handle_(handle), source_(std::move(source)) {
    if (!table_) throw Error(MFR_ERR_ABI_MISMATCH, "The linked library does not serve this header's ABI.");
  }
  const mfr_api* table_;
  void* handle_;
  std::string source_;
};

// A library-owned buffer taken into a std::string and freed.
inline std::string take_buffer(const Api& api, char* buffer, size_t len) {
  if (!buffer) return {};
  std::string out(buffer, len);
  api->free(buffer);
  return out;
}

// Self-diagnosis: this build as JSON (mfr_build_info).
inline std::string build_info(const Api& api) {
  char* buf = nullptr;
  size_t len = 0;
  api.check(api->build_info(&buf, &len));
  return take_buffer(api, buf, len);
}

// The self-test report (mfr_selftest). Does not throw for a failed part: `status` (may be null)
// receives MFR_OK, MFR_ERR_IO or MFR_ERR_INTERNAL and the report says which part failed.
inline std::string selftest(const Api& api, mfr_status* status = nullptr) {
  char* buf = nullptr;
  size_t len = 0;
  const mfr_status st = api->selftest(&buf, &len);
  if (!buf) api.check(st);
  if (status) *status = st;
  return take_buffer(api, buf, len);
}

class Session {
 public:
  Session(const Api& api, mfr_session* handle, bool owned) : api_(&api), handle_(handle), owned_(owned) {}
  Session(Session&& o) noexcept : api_(o.api_), handle_(std::exchange(o.handle_, nullptr)), owned_(o.owned_) {}
  Session& operator=(Session&& o) noexcept {
    if (this != &o) {
      reset();
      api_ = o.api_;
      handle_ = std::exchange(o.handle_, nullptr);
      owned_ = o.owned_;
    }
    return *this;
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() { reset(); }

  Session& patient(const std::string& ref) { check((*api_)->session_set_patient(handle_, ref.c_str())); return *this; }
  Session& practitioner(const std::string& ref) { check((*api_)->session_set_practitioner(handle_, ref.c_str())); return *this; }
  Session& encounter(const std::string& ref) { check((*api_)->session_set_encounter(handle_, ref.c_str())); return *this; }
  Session& period(const std::string& start, const std::string& end = {}) {
    check((*api_)->session_set_period(handle_, start.c_str(), end.empty() ? nullptr : end.c_str()));
    return *this;
  }
  Session& status(mfr_session_status s) { check((*api_)->session_set_status(handle_, s)); return *this; }
  Session& region(mfr_region r) { check((*api_)->session_add_region(handle_, r)); return *this; }
  Session& note(const std::string& text) { check((*api_)->session_set_note(handle_, text.c_str())); return *this; }
  Session& course(int32_t number, int32_t planned) { check((*api_)->session_set_course(handle_, number, planned)); return *this; }
  Session& finding(const mfr_finding& f) { check((*api_)->session_add_finding(handle_, &f)); return *this; }

  // Borrowed strings: valid until this session changes or dies.
  // The out-first calls, or a first-release plugin's table slots when it has no twins.
  mfr_session_info info() const {
    mfr_session_info i = MFR_SESSION_INFO_INIT;
    check(MFR_API_HAS(&**api_, session_info_get) ? (*api_)->session_info_get(&i, handle_)
                                                 : (*api_)->session_get_info(handle_, &i));
    return i;
  }
  std::vector<mfr_finding> findings() const {
    const mfr_finding init = MFR_FINDING_INIT;
    std::vector<mfr_finding> out(info().finding_count, init);
    const bool twin = MFR_API_HAS(&**api_, session_finding_get);
    for (size_t i = 0; i < out.size(); ++i)
      check(twin ? (*api_)->session_finding_get(&out[i], handle_, i) : (*api_)->session_get_finding(handle_, i, &out[i]));
    return out;
  }
  std::string to_json() const {
    char* buf = nullptr;
    size_t len = 0;
    check((*api_)->session_to_json(&buf, &len, handle_));
    return take_buffer(*api_, buf, len);
  }
  Session clone() const {
    mfr_session* copy = nullptr;
    check((*api_)->session_clone(&copy, handle_));
    return Session(*api_, copy, true);
  }

  mfr_session* get() const noexcept { return handle_; }

 private:
  void check(mfr_status s) const { api_->check(s); }
  void reset() noexcept {
    if (handle_ && owned_) (*api_)->session_free(handle_);
    handle_ = nullptr;
  }
  const Api* api_;
  mfr_session* handle_;
  bool owned_;
};

class ImportResult {
 public:
  ImportResult(const Api& api, mfr_import_result* handle, mfr_status status) : api_(&api), handle_(handle), status_(status) {}
  ImportResult(ImportResult&& o) noexcept : api_(o.api_), handle_(std::exchange(o.handle_, nullptr)), status_(o.status_) {}
  ImportResult(const ImportResult&) = delete;
  ImportResult& operator=(const ImportResult&) = delete;
  ~ImportResult() {
    if (handle_) (*api_)->import_result_free(handle_);
  }

  // MFR_OK, MFR_ERR_INVALID_DATA (some resources rejected) or MFR_ERR_PARSE.
  mfr_status status() const noexcept { return status_; }
  mfr_import_counts counts() const {
    mfr_import_counts c = MFR_IMPORT_COUNTS_INIT;
    api_->check(MFR_API_HAS(&**api_, import_result_counts_get) ? (*api_)->import_result_counts_get(&c, handle_)
                                                               : (*api_)->import_result_counts(handle_, &c));
    return c;
  }
  size_t size() const { return counts().sessions; }
  // A non-owning view of session `i`, valid while this result lives.
  Session session(size_t i) const {
    const mfr_session* s = nullptr;
    api_->check((*api_)->import_result_session(&s, handle_, i));
    return Session(*api_, const_cast<mfr_session*>(s), false);
  }
  std::string outcome() const {
    char* buf = nullptr;
    size_t len = 0;
    api_->check((*api_)->import_result_outcome(&buf, &len, handle_));
    return take_buffer(*api_, buf, len);
  }
  // The issues as structs (mfr_import_result_issue): strings borrowed, valid while this result
  // lives. Throws Error(MFR_ERR_UNSUPPORTED) with a plugin older than these accessors.
  std::vector<mfr_issue> issues() const {
    if (!MFR_API_HAS(&**api_, import_result_issue))
      throw Error(MFR_ERR_UNSUPPORTED, "The plugin is older than mfr_import_result_issue(); read outcome() instead.");
    size_t n = 0;
    api_->check((*api_)->import_result_issue_count(&n, handle_));
    const mfr_issue init = MFR_ISSUE_INIT;
    std::vector<mfr_issue> out(n, init);
    for (size_t i = 0; i < n; ++i) api_->check((*api_)->import_result_issue(&out[i], handle_, i));
    return out;
  }

 private:
  const Api* api_;
  mfr_import_result* handle_;
  mfr_status status_;
};

// The issues of a validation or of a session JSON text (mfr_validation), as structs and as an
// OperationOutcome. Empty (no issues) until a call fills it; move-only, freed when destroyed.
class Validation {
 public:
  Validation() = default;
  Validation(const Api& api, mfr_validation* handle, mfr_status status) : api_(&api), handle_(handle), status_(status) {}
  Validation(Validation&& o) noexcept : api_(o.api_), handle_(std::exchange(o.handle_, nullptr)), status_(o.status_) {}
  Validation& operator=(Validation&& o) noexcept {
    if (this != &o) {
      reset();
      api_ = o.api_;
      handle_ = std::exchange(o.handle_, nullptr);
      status_ = o.status_;
    }
    return *this;
  }
  Validation(const Validation&) = delete;
  Validation& operator=(const Validation&) = delete;
  ~Validation() { reset(); }

  // MFR_OK, MFR_ERR_INVALID_DATA or MFR_ERR_PARSE.
  mfr_status status() const noexcept { return status_; }
  // Strings borrowed: valid while this object lives.
  std::vector<mfr_issue> issues() const {
    if (!handle_) return {};
    size_t n = 0;
    api_->check((*api_)->validation_issue_count(&n, handle_));
    const mfr_issue init = MFR_ISSUE_INIT;
    std::vector<mfr_issue> out(n, init);
    for (size_t i = 0; i < n; ++i) api_->check((*api_)->validation_issue(&out[i], handle_, i));
    return out;
  }
  std::string outcome() const {
    if (!handle_) return {};
    char* buf = nullptr;
    size_t len = 0;
    api_->check((*api_)->validation_outcome(&buf, &len, handle_));
    return take_buffer(*api_, buf, len);
  }

 private:
  void reset() noexcept {
    if (handle_) (*api_)->validation_free(std::exchange(handle_, nullptr));
  }
  const Api* api_ = nullptr;
  mfr_validation* handle_ = nullptr;
  mfr_status status_ = MFR_OK;
};

class Context {
 public:
  Context(const Api& api, const std::string& identifier_system, mfr_log_fn log = nullptr, void* user_data = nullptr,
          mfr_log_level level = MFR_LOG_WARNING)
      : api_(&api) {
    mfr_context_options o = MFR_CONTEXT_OPTIONS_INIT;
    o.identifier_system = identifier_system.c_str();
    o.log = log;
    o.user_data = user_data;
    o.log_level = level;
    api.check(api->context_open(&handle_, &o));
  }
  Context(Context&& o) noexcept : api_(o.api_), handle_(std::exchange(o.handle_, nullptr)) {}
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  ~Context() {
    if (handle_) (*api_)->context_close(handle_);
  }

  Session new_session(const std::string& id) const {
    mfr_session* s = nullptr;
    api_->check((*api_)->session_new(&s, handle_, id.c_str()));
    return Session(*api_, s, true);
  }

  // Throws Error whose message names the first problem; `outcome` (if given) receives the
  // whole OperationOutcome.
  Session session_from_json(std::string_view json, std::string* outcome = nullptr) const {
    mfr_session* s = nullptr;
    char* oo = nullptr;
    const mfr_status st = (*api_)->session_from_json(&s, &oo, handle_, json.data(), json.size());
    std::string text = take_buffer(*api_, oo, oo ? std::strlen(oo) : 0);
    if (outcome) *outcome = text;
    api_->check(st);
    return Session(*api_, s, true);
  }

  // The same, with the issues as structs (mfr_session_from_json_issues): `issues` receives them
  // before an Error for invalid session JSON is thrown. Throws Error(MFR_ERR_UNSUPPORTED) with a
  // plugin older than it.
  Session session_from_json(std::string_view json, Validation& issues) const {
    require_validation_api();
    mfr_session* s = nullptr;
    mfr_validation* v = nullptr;
    const mfr_status st = (*api_)->session_from_json_issues(&s, &v, handle_, json.data(), json.size());
    if (v) issues = Validation(*api_, v, st);
    api_->check(st);
    return Session(*api_, s, true);
  }

  std::string export_sessions(const std::vector<const Session*>& sessions, mfr_format format) const {
    std::vector<const mfr_session*> handles;
    for (const Session* s : sessions) handles.push_back(s->get());
    char* buf = nullptr;
    size_t len = 0;
    api_->check((*api_)->export_sessions(&buf, &len, handle_, handles.data(), handles.size(), format));
    return take_buffer(*api_, buf, len);
  }

  // Does not throw for rejected resources or malformed JSON: check status() and outcome().
  ImportResult import(std::string_view data, mfr_input input = MFR_INPUT_AUTO) const {
    mfr_import_result* r = nullptr;
    const mfr_status st = (*api_)->import(&r, handle_, data.data(), data.size(), input);
    if (!r) api_->check(st);
    return ImportResult(*api_, r, st);
  }

  // Several named inputs read together (e.g. the NDJSON files of one Bulk Data export).
  struct Input {
    std::string name;
    std::string_view data;
    mfr_input input = MFR_INPUT_AUTO;
  };
  ImportResult import_many(const std::vector<Input>& inputs) const {
    std::vector<mfr_input_buffer> buffers;
    for (const Input& in : inputs) {
      mfr_input_buffer b = MFR_INPUT_BUFFER_INIT;
      b.name = in.name.c_str();
      b.data = in.data.data();
      b.len = in.data.size();
      b.input = in.input;
      buffers.push_back(b);
    }
    mfr_import_result* r = nullptr;
    const mfr_status st = (*api_)->import_many(&r, handle_, buffers.data(), buffers.size());
    if (!r) api_->check(st);
    return ImportResult(*api_, r, st);
  }

  // The OperationOutcome of validating `data`; `status` (may be null) receives MFR_OK,
  // MFR_ERR_INVALID_DATA or MFR_ERR_PARSE. Throws only for argument and handle errors.
  std::string validate(std::string_view data, mfr_strictness strictness, mfr_input input = MFR_INPUT_AUTO,
                       mfr_status* status = nullptr) const {
    char* buf = nullptr;
    size_t len = 0;
    const mfr_status st = (*api_)->validate(&buf, &len, handle_, data.data(), data.size(), input, strictness);
    if (!buf) api_->check(st);
    if (status) *status = st;
    return take_buffer(*api_, buf, len);
  }

  // The issues of validating `data` as structs (mfr_validate_issues); the result's status() is
  // MFR_OK, MFR_ERR_INVALID_DATA or MFR_ERR_PARSE. Throws only for argument and handle errors,
  // and Error(MFR_ERR_UNSUPPORTED) with a plugin older than it.
  Validation validate_issues(std::string_view data, mfr_strictness strictness, mfr_input input = MFR_INPUT_AUTO) const {
    require_validation_api();
    mfr_validation* v = nullptr;
    const mfr_status st = (*api_)->validate_issues(&v, handle_, data.data(), data.size(), input, strictness);
    if (!v) api_->check(st);
    return Validation(*api_, v, st);
  }

  // SVG charts; `options` may be null for the defaults.
  std::string chart_session(const Session& s, const mfr_chart_options* options = nullptr) const {
    char* buf = nullptr;
    size_t len = 0;
    api_->check((*api_)->chart_session(&buf, &len, s.get(), options));
    return take_buffer(*api_, buf, len);
  }
  std::string chart_course(const std::vector<const Session*>& sessions, const mfr_chart_options* options = nullptr) const {
    std::vector<const mfr_session*> handles;
    for (const Session* s : sessions) handles.push_back(s->get());
    char* buf = nullptr;
    size_t len = 0;
    api_->check((*api_)->chart_course(&buf, &len, handles.data(), handles.size(), options));
    return take_buffer(*api_, buf, len);
  }

  // Exchange (mfr_exchange_*): partners, the outbox, push, flush, fetch.
  // `path` empty: an in-memory store.
  void open_store(const std::string& path = {}) const { api_->check((*api_)->exchange_open_store(handle_, path.c_str())); }
  void add_partner(const mfr_partner_options& options) const { api_->check((*api_)->exchange_add_partner(handle_, &options)); }

  // What a push did. A push the partner refused or could not take is not an exception: the
  // Bundle is in the outbox either way; `status` and `message` say why it was not sent.
  struct PushOutcome {
    mfr_status status = MFR_OK;  // MFR_OK, or MFR_ERR_REFUSED/NETWORK/TLS/TIMEOUT/AUTH/INVALID_DATA
    std::string message;         // the library's sentence when status is not MFR_OK
    mfr_push_result result = MFR_PUSH_RESULT_INIT;
    std::string answer;          // the partner's answer as it came (transaction-response, OperationOutcome)
  };
  // Throws Error for argument, handle, partner-name and store errors.
  PushOutcome push(const std::string& partner, const std::vector<const Session*>& sessions,
                   mfr_push_mode mode = MFR_PUSH_SEND_NOW, uint32_t timeout_ms = 0) const {
    std::vector<const mfr_session*> handles;
    for (const Session* s : sessions) handles.push_back(s->get());
    PushOutcome o;
    char* answer = nullptr;
    o.status = (*api_)->exchange_push(&o.result, &answer, handle_, partner.c_str(), handles.data(), handles.size(), mode,
                                      timeout_ms);
    if (o.status != MFR_OK) o.message = (*api_)->last_error();
    o.answer = take_buffer(*api_, answer, answer ? std::strlen(answer) : 0);
    if (o.status != MFR_OK && o.status != MFR_ERR_REFUSED && o.status != MFR_ERR_NETWORK && o.status != MFR_ERR_TLS &&
        o.status != MFR_ERR_TIMEOUT && o.status != MFR_ERR_AUTH && o.status != MFR_ERR_INVALID_DATA)
      throw Error(o.status, o.message);
    return o;
  }
  mfr_flush_report flush(const std::string& partner) const {
    mfr_flush_report r = MFR_FLUSH_REPORT_INIT;
    api_->check((*api_)->exchange_flush(&r, handle_, partner.c_str()));
    return r;
  }
  // Does not throw for rejected resources: check status() and outcome(). Throws for exchange errors.
  ImportResult fetch(const std::string& partner, const std::string& patient_reference) const {
    mfr_import_result* r = nullptr;
    const mfr_status st = (*api_)->exchange_fetch(&r, handle_, partner.c_str(), patient_reference.c_str());
    if (!r) api_->check(st);
    return ImportResult(*api_, r, st);
  }
  mfr_outbox_counts outbox_counts() const {
    mfr_outbox_counts c = MFR_OUTBOX_COUNTS_INIT;
    api_->check((*api_)->exchange_outbox_counts(&c, handle_));
    return c;
  }
  // JSON array of rows, newest first; `partner` empty: all; `state` -1: all.
  std::string outbox_list(const std::string& partner = {}, int32_t state = -1) const {
    char* buf = nullptr;
    size_t len = 0;
    api_->check((*api_)->exchange_outbox_list(&buf, &len, handle_, partner.empty() ? nullptr : partner.c_str(), state));
    return take_buffer(*api_, buf, len);
  }
  void outbox_retry(int64_t id) const { api_->check((*api_)->exchange_outbox_retry(handle_, id)); }
  size_t outbox_purge_dead() const {
    size_t n = 0;
    api_->check((*api_)->exchange_outbox_purge_dead(&n, handle_));
    return n;
  }

  mfr_context* get() const noexcept { return handle_; }
  const Api& api() const noexcept { return *api_; }

 private:
  void require_validation_api() const {
    if (!MFR_API_HAS(&**api_, validation_outcome))
      throw Error(MFR_ERR_UNSUPPORTED, "The plugin is older than mfr_validate_issues(); read the OperationOutcome instead.");
  }
  const Api* api_;
  mfr_context* handle_ = nullptr;
};

// The FHIR server for partner clinics (mfr_server_start); stopped when destroyed.
class Server {
 public:
  Server(const Context& ctx, const mfr_server_options& options) : api_(&ctx.api()) {
    api_->check((*api_)->server_start(&handle_, ctx.get(), &options));
  }
  Server(Server&& o) noexcept : api_(o.api_), handle_(std::exchange(o.handle_, nullptr)) {}
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server() { stop(); }

  uint16_t port() const {
    uint16_t p = 0;
    api_->check((*api_)->server_port(&p, handle_));
    return p;
  }
  // Stops within about two seconds; a second call does nothing.
  void stop() noexcept {
    if (handle_) (*api_)->server_stop(std::exchange(handle_, nullptr));
  }

 private:
  const Api* api_;
  mfr_server* handle_ = nullptr;
};

}  // namespace mfr

#endif  // MFR_MFR_HPP
