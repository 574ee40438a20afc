#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace mfr::store::detail {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view doing) {
  throw std::runtime_error("SQLite store: " + std::string(doing) + " failed: " +
                           (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Database::Database(const std::string& path) {
  const std::string name = path.empty() ? ":memory:" : path;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(name.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("SQLite store: cannot open '" + path + "': " + reason);
  }
  sqlite3_extended_result_codes(db_, 1);
  // The file as SQLite resolved it: "" for ":memory:" and other databases without one.
  const char* file = sqlite3_db_filename(db_, "main");
  path_ = file ? file : "";
}

Database::~Database() {
  for (auto& [sql, stmt] : prepared_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

sqlite3_stmt* Database::take_prepared(const std::string& sql) {
  const auto it = prepared_.find(sql);
  if (it == prepared_.end()) return nullptr;
  sqlite3_stmt* stmt = it->second;
  prepared_.erase(it);
  return stmt;
}

void Database::give_back(const std::string& sql, sqlite3_stmt* stmt) noexcept {
  // A bound: searches build their SQL from the parameters given, so texts vary.
  constexpr std::size_t kMaxPrepared = 64;
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (prepared_.size() >= kMaxPrepared) {
    sqlite3_finalize(stmt);
    return;
  }
  try {
    prepared_.emplace(sql, stmt);
  } catch (...) {
    sqlite3_finalize(stmt);
  }
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string reason = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw std::runtime_error("SQLite store: '" + text.substr(0, 60) + "' failed: " + reason);
  }
}

std::int64_t Database::changes() const noexcept { return sqlite3_changes(db_); }
std::int64_t Database::last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }

Statement::Statement(Database& db, std::string_view sql) : db_(db), sql_(sql) {
  stmt_ = db.take_prepared(sql_);
  if (stmt_) return;
  if (sqlite3_prepare_v3(db.handle(), sql_.data(), static_cast<int>(sql_.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                         nullptr) != SQLITE_OK)
    fail(db.handle(), "preparing '" + sql_.substr(0, 60) + "'");
}

Statement::~Statement() {
  if (stmt_) db_.give_back(sql_, stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_.handle(), "binding");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // An empty string_view may have a null data(), which SQLite would bind as NULL, not ''.
  if (sqlite3_bind_text(stmt_, index, text.data() ? text.data() : "", static_cast<int>(text.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    fail(db_.handle(), "binding");
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_.handle(), "binding");
  return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_.handle(), "running '" + sql_.substr(0, 60) + "'");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace mfr::store::detail
