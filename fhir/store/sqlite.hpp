#pragma once
// A thin RAII layer over the SQLite C API, internal to fhir/store: one connection and its
// mutex (the Store's thread-safety rule lives here), prepared statements, transactions.
// Errors become std::runtime_error sentences that name the statement and SQLite's reason.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace mfr::store::detail {

class Database {
 public:
  // Opens (creating) the file; an empty path opens a private in-memory database.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  sqlite3* handle() const noexcept { return db_; }
  // Every use of the connection holds this lock: one connection, many threads.
  std::mutex& mutex() noexcept { return mutex_; }
  // The database file; empty in memory.
  const std::string& path() const noexcept { return path_; }
  std::int64_t changes() const noexcept;
  std::int64_t last_insert_rowid() const noexcept;

  // Prepared statements kept for reuse (preparing costs more than running most of ours); used by
  // Statement with the mutex held.
  sqlite3_stmt* take_prepared(const std::string& sql);
  void give_back(const std::string& sql, sqlite3_stmt* stmt) noexcept;

 private:
  sqlite3* db_ = nullptr;
  std::unordered_multimap<std::string, sqlite3_stmt*> prepared_;
  std::mutex mutex_;
  std::string path_;
};

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds by 1-based index; returns *this so binds chain.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_null(int index);
  Statement& bind_optional(int index, const std::optional<std::string>& text);  // null when empty

  // Steps once: true when a row is ready, false when done.
  bool step();
  // Runs to completion (for statements that return no rows).
  void run();
  void reset();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when left by an exception. IMMEDIATE takes the
// write lock up front so two processes claiming outbox rows cannot both read the same row.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace mfr::store::detail
