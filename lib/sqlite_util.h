// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sqlite3.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <layoffs/error.h>

namespace layoffs::detail {

// Maps an SQLite result code to our ErrorCode.
ErrorCode error_code_for_sqlite(int sqlite_code) noexcept;

// Turns an SQLiteCpp exception into a layoffs::Error with `context` in front.
Error translate(const SQLite::Exception& e, std::string_view context);

// The transaction state of one connection, shared by its WriteTransactions.
// Non-copyable: it owns a prepared statement.
struct TxState {
  TxState() = default;
  TxState(const TxState&) = delete;
  TxState& operator=(const TxState&) = delete;
  ~TxState() {
    sqlite3_finalize(rollback);
    for (sqlite3_stmt* st : savepoints) {
      sqlite3_finalize(st);
    }
    for (sqlite3_stmt* st : releases) {
      sqlite3_finalize(st);
    }
  }
  // Prepares `rollback` on `db`. Call once, right after opening.
  void prepare(sqlite3* db);
  // Ends whatever transaction the connection is in, with the ROLLBACK
  // prepared at open: preparing one at the moment of failure needs memory,
  // which under out-of-memory left the connection inside its transaction.
  // Returns true if the connection is out of any transaction afterwards.
  bool rollback_all(sqlite3* db) noexcept;
  // Prepares `rollback` again. A schema change (DROP or CREATE INDEX)
  // expires every prepared statement, and stepping an expired one prepares
  // it again first, which needs the memory a ROLLBACK after out-of-memory
  // does not have. Call after each schema change in a transaction; keeps the
  // old statement if this fails (and throws).
  void reprepare(sqlite3* db);
  // After a rollback (whole or to a savepoint) that undid a schema change,
  // which expires every prepared statement again: prepares `rollback` once
  // more, or marks it stale (retried by retry_stale) if that fails.
  void after_rollback(sqlite3* db) noexcept;
  // Outside any transaction: prepares a stale `rollback` again.
  void retry_stale(sqlite3* db) noexcept;

  sqlite3_stmt* rollback = nullptr;
  // "SAVEPOINT layoffs_n" and "RELEASE layoffs_n" for n = index + 1,
  // prepared on first use: an import opens a savepoint for each row that
  // brings a new company (and ensure_company another inside it), and
  // parsing four statements for each cost more than the rows' INSERTs.
  std::vector<sqlite3_stmt*> savepoints, releases;
  // Runs SAVEPOINT (release = false) or RELEASE of savepoint `level` (> 0)
  // through those statements; returns the SQLite result code.
  int savepoint(sqlite3* db, int level, bool release) noexcept;
  int depth = 0;  // open WriteTransactions
  // Changes whenever a top-level transaction begins or any level rolls back:
  // caches of row ids are valid only while it stays the same.
  std::uint64_t epoch = 0;
  // Set when SQLite itself ended the outermost transaction while savepoints
  // were open (it does on SQLITE_IOERR, SQLITE_FULL, SQLITE_NOMEM): every
  // further write in it, and its commit, must fail with this code.
  int aborted_code = 0;
  // The current transaction changed the schema (a bulk load's DROP/CREATE
  // INDEX); a rollback of it must prepare `rollback` again.
  bool schema_changed = false;
  // `rollback` is expired and could not be prepared again yet.
  bool rollback_stale = false;
};

// Ends the read transaction of a public read call (see Tracker::Impl::ReadCall).
void end_read_transaction(sqlite3* db, TxState& state) noexcept;

// For a write of one statement made inside an open transaction without a
// savepoint of its own (SQLite undoes a failed statement by itself):
// require_live_transaction throws the aborted error if SQLite already ended
// the transaction (the statement would otherwise commit on its own), and
// note_failed_statement, called when the statement failed, records that
// SQLite ended the transaction, if it did.
void require_live_transaction(SQLite::Database& db, const TxState& state);
void note_failed_statement(SQLite::Database& db, TxState& state) noexcept;

// A write transaction: BEGIN IMMEDIATE on construction (waiting up to the busy
// timeout for the write lock), ROLLBACK in the destructor unless commit() was
// called. SQLiteCpp's Transaction is deferred, which can fail with
// SQLITE_BUSY on the first write without waiting; we never use it.
//
// Nesting: given a depth counter (the connection's), a WriteTransaction
// opened inside another one is a SAVEPOINT: commit() releases it, and the
// destructor rolls back to it and releases it, leaving the outer transaction
// open and intact. (SQLiteCpp's Savepoint leaves a transaction open after a
// rollback; this does not.)
class WriteTransaction {
 public:
  explicit WriteTransaction(SQLite::Database& db, TxState* state = nullptr);
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();
  void commit();

 private:
  SQLite::Database& db_;
  TxState* state_;
  int level_ = 0;  // 0: the outermost transaction; n > 0: savepoint layoffs_n
  bool done_ = false;
};

// Prepared statements kept for the life of the connection. get() returns a
// reset statement with its bindings cleared. Statements are owned by the
// cache and must not outlive the Database (the cache is destroyed first).
class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  SQLite::Statement& get(const std::string& sql);
  // The same for a string literal, found by its address instead of hashing
  // its text (the SQL of every write is a literal; this saves hashing a few
  // hundred bytes per statement). REQUIRES: `literal` has static storage
  // and never changes.
  SQLite::Statement& get(const char* literal);
  // Resets every cached statement handed out since the last call that is
  // not done. Called at the end of each public call: a
  // statement left mid-step would keep a read transaction (an old snapshot)
  // open on the connection, and a later BEGIN IMMEDIATE would then fail with
  // SQLITE_BUSY_SNAPSHOT instead of waiting.
  void reset_all() noexcept;
  void clear() noexcept {
    in_use_.clear();
    raw_in_use_.clear();
    by_literal_.clear();
    cache_.clear();
    raw_.clear();
  }
  // The same statement on the sqlite3 C API, reset and with its bindings
  // cleared, for the loops that read every row of a large selection (the
  // totals): SQLiteCpp's getColumn() builds a Column holding a shared_ptr
  // copy of the statement for each value read, and checks the row and the
  // index each time, which cost a third of totals_by(month)'s own time.
  // Owned by the cache like the others; step it with step_row().
  sqlite3_stmt* get_raw(const std::string& sql);

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* st) const noexcept { sqlite3_finalize(st); }
  };
  SQLite::Database& db_;
  // `listed`: handed out since the last reset_all(), so in in_use_ (once).
  struct Cached {
    std::unique_ptr<SQLite::Statement> statement;
    bool listed = false;
  };
  struct CachedRaw {
    std::unique_ptr<sqlite3_stmt, Finalize> statement;
    bool listed = false;
  };
  SQLite::Statement& hand_out(Cached& c);
  sqlite3_stmt* hand_out(CachedRaw& c);

  std::unordered_map<std::string, Cached> cache_;
  std::unordered_map<const char*, Cached*> by_literal_;  // into cache_
  std::unordered_map<std::string, CachedRaw> raw_;
  // What reset_all() looks at: only these can have been stepped since.
  std::vector<Cached*> in_use_;
  std::vector<CachedRaw*> raw_in_use_;
};

// sqlite3_step for a statement from StatementCache::get_raw: true for a
// row, false when done; any error becomes the SQLite::Exception SQLiteCpp
// would throw (with the connection's message), which guarded() translates.
bool step_row(sqlite3* db, sqlite3_stmt* st);

// The busy handler of every connection: waits for a lock up to `timeout`,
// like sqlite3_busy_timeout, but retries every 0.5-2 ms (randomized) instead
// of backing off to 100 ms sleeps. With the default backoff, a writer that
// commits in a loop re-takes the lock before a sleeping waiter wakes, and the
// waiter can starve past its timeout; short jittered retries give every
// waiter a fair chance (8 writers on one file for 3 s: worst wait 0.04 s,
// against 0.73 s with the default handler, at ~10% less throughput). Must
// outlive the connection it is installed on.
class BusyWaiter {
 public:
  explicit BusyWaiter(std::chrono::milliseconds timeout);
  void install(sqlite3* db);

 private:
  static int on_busy(void* self, int count) noexcept;

  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point started_;
  std::uint64_t rng_;
};

// Binding helpers for the types SQLiteCpp 3.2.1 lacks or gets wrong.
void bind_text_or_null(SQLite::Statement& st, int index, std::string_view text);
// The same for a std::string, bound without the temporary copy the
// string_view form makes (SQLite copies the text once either way).
void bind_text_or_null(SQLite::Statement& st, int index, const std::string& text);
// Binds a string literal (static, NUL-terminated, e.g. a to_string() of an
// enum) without copying it.
void bind_literal(SQLite::Statement& st, int index, std::string_view literal);
void bind_optional(SQLite::Statement& st, int index, const std::optional<std::int64_t>& v);
void bind_optional(SQLite::Statement& st, int index, const std::optional<double>& v);

// Reading: SQLiteCpp returns "" or 0 for NULL, so check isNull first.
std::optional<std::int64_t> column_optional_int(const SQLite::Statement& st, int index);
std::optional<double> column_optional_double(const SQLite::Statement& st, int index);
std::string column_text(const SQLite::Statement& st, int index);  // "" for NULL

// Runs a one-value query (e.g. a PRAGMA) and returns its integer.
std::int64_t query_int(SQLite::Database& db, const char* sql);

}  // namespace layoffs::detail
