// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "sqlite_util.h"

#include <thread>

#include <sqlite3.h>

namespace layoffs::detail {

ErrorCode error_code_for_sqlite(int sqlite_code) noexcept {
  switch (sqlite_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::busy;
    case SQLITE_CORRUPT:
      return ErrorCode::corrupt;
    case SQLITE_NOTADB:
      return ErrorCode::not_a_database;
    case SQLITE_IOERR:
      return ErrorCode::io_error;
    case SQLITE_FULL:
      return ErrorCode::disk_full;
    case SQLITE_NOMEM:
      return ErrorCode::out_of_memory;
    case SQLITE_READONLY:
      return ErrorCode::read_only;
    case SQLITE_CONSTRAINT:
      return ErrorCode::constraint;
    case SQLITE_CANTOPEN:
      return ErrorCode::cannot_open;
    default:
      return ErrorCode::database;
  }
}

Error translate(const SQLite::Exception& e, std::string_view context) {
  int code = e.getExtendedErrorCode();
  if (code <= 0) {
    code = e.getErrorCode();
  }
  std::string message(context);
  message += ": ";
  message += e.what();
  // SQLiteCpp reports misuse (e.g. a bad column index) with code -1.
  const ErrorCode ours = code > 0 ? error_code_for_sqlite(code) : ErrorCode::database;
  return Error(ours, message, {}, {}, code > 0 ? code : 0);
}

namespace {

[[noreturn]] void throw_aborted(int code) {
  throw Error(error_code_for_sqlite(code),
              "the enclosing transaction was rolled back by an earlier error (" +
                  std::string(sqlite3_errstr(code)) + "); nothing in it was written",
              {}, {}, code);
}

}  // namespace

int TxState::savepoint(sqlite3* db, int level, bool release) noexcept {
  std::vector<sqlite3_stmt*>& cache = release ? releases : savepoints;
  const auto index = static_cast<std::size_t>(level - 1);
  if (cache.size() <= index) {
    try {
      cache.resize(index + 1, nullptr);
    } catch (...) {
      return SQLITE_NOMEM;
    }
  }
  if (cache[index] == nullptr) {
    const std::string sql =
        std::string(release ? "RELEASE layoffs_" : "SAVEPOINT layoffs_") + std::to_string(level);
    if (const int rc = sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT,
                                          &cache[index], nullptr);
        rc != SQLITE_OK) {
      sqlite3_finalize(cache[index]);
      cache[index] = nullptr;
      return rc;
    }
  }
  sqlite3_stmt* st = cache[index];
  const int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

void TxState::prepare(sqlite3* db) {
  if (sqlite3_prepare_v2(db, "ROLLBACK", -1, &rollback, nullptr) != SQLITE_OK) {
    const int code = sqlite3_extended_errcode(db);
    throw Error(error_code_for_sqlite(code),
                std::string("cannot prepare ROLLBACK: ") + sqlite3_errmsg(db), {}, {}, code);
  }
}

void TxState::reprepare(sqlite3* db) {
  sqlite3_stmt* fresh = nullptr;
  if (sqlite3_prepare_v2(db, "ROLLBACK", -1, &fresh, nullptr) != SQLITE_OK) {
    const int code = sqlite3_extended_errcode(db);
    throw Error(error_code_for_sqlite(code),
                std::string("cannot prepare ROLLBACK: ") + sqlite3_errmsg(db), {}, {}, code);
  }
  sqlite3_finalize(rollback);
  rollback = fresh;
}

void TxState::after_rollback(sqlite3* db) noexcept {
  if (!schema_changed) {
    return;
  }
  try {
    reprepare(db);
    rollback_stale = false;
  } catch (...) {
    rollback_stale = true;
  }
}

void TxState::retry_stale(sqlite3* db) noexcept {
  if (rollback_stale) {
    try {
      reprepare(db);
      rollback_stale = false;
    } catch (...) {
      // Still no memory: the next call tries again.
    }
  }
}

bool TxState::rollback_all(sqlite3* db) noexcept {
  if (sqlite3_get_autocommit(db)) {
    return true;
  }
  if (rollback != nullptr) {
    sqlite3_reset(rollback);
    sqlite3_step(rollback);
    sqlite3_reset(rollback);
    if (!sqlite3_get_autocommit(db)) {
      // An expired statement is prepared again first, which needs memory:
      // give back the page cache's and try once more.
      sqlite3_db_release_memory(db);
      sqlite3_step(rollback);
      sqlite3_reset(rollback);
    }
  }
  if (!sqlite3_get_autocommit(db)) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);  // last resort
  }
  return sqlite3_get_autocommit(db) != 0;
}

void end_read_transaction(sqlite3* db, TxState& state) noexcept {
  // A read transaction has nothing to undo; ROLLBACK ends it like COMMIT,
  // and is already prepared.
  (void)state.rollback_all(db);
}

void require_live_transaction(SQLite::Database& db, const TxState& state) {
  if (state.aborted_code != 0 || sqlite3_get_autocommit(db.getHandle())) {
    throw_aborted(state.aborted_code != 0 ? state.aborted_code : SQLITE_ABORT);
  }
}

void note_failed_statement(SQLite::Database& db, TxState& state) noexcept {
  if (sqlite3_get_autocommit(db.getHandle())) {
    ++state.epoch;
    if (state.aborted_code == 0) {
      const int code = sqlite3_extended_errcode(db.getHandle());
      state.aborted_code = code != SQLITE_OK ? code : SQLITE_ABORT;
    }
  }
}

WriteTransaction::WriteTransaction(SQLite::Database& db, TxState* state) : db_(db), state_(state) {
  level_ = state_ ? state_->depth : 0;
  if (state_ && level_ == 0) {
    ++state_->epoch;
    state_->aborted_code = 0;
  }
  if (level_ > 0 && (state_->aborted_code != 0 || sqlite3_get_autocommit(db_.getHandle()))) {
    // SQLite already ended the outer transaction: a SAVEPOINT now would
    // start a new transaction that commits on its own.
    throw_aborted(state_->aborted_code != 0 ? state_->aborted_code : SQLITE_ABORT);
  }
  try {
    if (level_ == 0) {
      db_.exec("BEGIN IMMEDIATE");
    } else if (state_) {
      if (const int rc = state_->savepoint(db_.getHandle(), level_, false); rc != SQLITE_OK) {
        throw SQLite::Exception(db_.getHandle(), rc);
      }
    } else {
      db_.exec("SAVEPOINT layoffs_" + std::to_string(level_));
    }
  } catch (const SQLite::Exception& e) {
    throw translate(e, "cannot start a write transaction");
  }
  if (state_) {
    ++state_->depth;
  }
}

WriteTransaction::~WriteTransaction() {
  if (state_) {
    --state_->depth;
  }
  if (done_) {
    return;
  }
  if (state_) {
    ++state_->epoch;  // rows inserted since the transaction or savepoint began are gone
  }
  // Never throw from a destructor. If SQLite already ended the transaction
  // itself (it does on SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM), there is
  // nothing left to roll back; an enclosing Tracker::transaction must then
  // fail too, so remember why.
  if (sqlite3_get_autocommit(db_.getHandle())) {
    if (state_ && level_ > 0 && state_->aborted_code == 0) {
      const int code = sqlite3_extended_errcode(db_.getHandle());
      state_->aborted_code = code != SQLITE_OK ? code : SQLITE_ABORT;
    }
    if (state_ && level_ == 0) {
      state_->after_rollback(db_.getHandle());
      state_->schema_changed = false;
    }
    return;
  }
  if (level_ == 0) {
    if (state_) {
      // If this fails (no memory for an expired ROLLBACK), the next call's
      // recover() ends the transaction and prepares the ROLLBACK again.
      if (state_->rollback_all(db_.getHandle())) {
        state_->after_rollback(db_.getHandle());
        state_->schema_changed = false;
      }
    } else {
      (void)db_.tryExec("ROLLBACK");
    }
    return;
  }
  const std::string name = "layoffs_" + std::to_string(level_);
  if (db_.tryExec(("ROLLBACK TO " + name).c_str()) == SQLITE_OK &&
      db_.tryExec(("RELEASE " + name).c_str()) == SQLITE_OK) {
    state_->after_rollback(db_.getHandle());
    return;
  }
  // The savepoint could not be undone alone (e.g. out of memory): undo the
  // whole transaction, so the failed write's rows cannot be committed with
  // the rest, and make the enclosing transaction fail.
  const int code = sqlite3_extended_errcode(db_.getHandle());
  state_->aborted_code = code != SQLITE_OK ? code : SQLITE_ABORT;
  (void)state_->rollback_all(db_.getHandle());
  state_->after_rollback(db_.getHandle());
}

void WriteTransaction::commit() {
  if (state_ && (state_->aborted_code != 0 || sqlite3_get_autocommit(db_.getHandle()))) {
    throw_aborted(state_->aborted_code != 0 ? state_->aborted_code : SQLITE_ABORT);
  }
  try {
    if (level_ == 0) {
      db_.exec("COMMIT");
      if (state_) {
        state_->schema_changed = false;  // `rollback` was prepared after each change
      }
    } else if (const int rc = state_->savepoint(db_.getHandle(), level_, true); rc != SQLITE_OK) {
      throw SQLite::Exception(db_.getHandle(), rc);
    }
    done_ = true;
  } catch (const SQLite::Exception& e) {
    // A COMMIT that failed (e.g. I/O error) may leave the transaction open;
    // the destructor rolls it back.
    throw translate(e, "cannot commit");
  }
}

SQLite::Statement& StatementCache::hand_out(Cached& c) {
  if (!c.listed) {
    in_use_.push_back(&c);
    c.listed = true;
  }
  return *c.statement;
}

sqlite3_stmt* StatementCache::hand_out(CachedRaw& c) {
  if (!c.listed) {
    raw_in_use_.push_back(&c);
    c.listed = true;
  }
  return c.statement.get();
}

SQLite::Statement& StatementCache::get(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(sql, Cached{std::make_unique<SQLite::Statement>(db_, sql)}).first;
  } else {
    // A statement left mid-step by an exception is reset here, so a cached
    // statement never holds a read transaction open between calls.
    it->second.statement->tryReset();
    it->second.statement->clearBindings();
  }
  return hand_out(it->second);
}

SQLite::Statement& StatementCache::get(const char* literal) {
  if (const auto it = by_literal_.find(literal); it != by_literal_.end()) {
    it->second->statement->tryReset();
    it->second->statement->clearBindings();
    return hand_out(*it->second);
  }
  SQLite::Statement& st = get(std::string(literal));
  by_literal_.emplace(literal, &cache_.find(std::string(literal))->second);
  return st;
}

sqlite3_stmt* StatementCache::get_raw(const std::string& sql) {
  auto it = raw_.find(sql);
  if (it == raw_.end()) {
    sqlite3_stmt* st = nullptr;
    const int rc = sqlite3_prepare_v3(db_.getHandle(), sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT,
                                      &st, nullptr);
    std::unique_ptr<sqlite3_stmt, Finalize> owned(st);
    if (rc != SQLITE_OK) {
      throw SQLite::Exception(db_.getHandle(), rc);
    }
    it = raw_.emplace(sql, CachedRaw{std::move(owned)}).first;
  } else {
    // As get(): a statement left mid-step by an exception is reset here.
    sqlite3_reset(it->second.statement.get());
    sqlite3_clear_bindings(it->second.statement.get());
  }
  return hand_out(it->second);
}

bool step_row(sqlite3* db, sqlite3_stmt* st) {
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  throw SQLite::Exception(db, rc);
}

void StatementCache::reset_all() noexcept {
  // Bound the cache: filters with long IN-lists make distinct SQL texts.
  if (cache_.size() + raw_.size() > 512) {
    clear();
    return;
  }
  // Only the statements handed out since the last reset_all() can have been
  // stepped, and only one stepped but not run to its end holds a read
  // transaction (SQLiteCpp hides the handle: a statement it ran to
  // SQLITE_DONE isDone(); one stepped to a row, failed or not stepped since
  // its reset is not). Resetting every cached statement at the end of every
  // call was a tenth of the op-log fuzzer's time.
  for (Cached* c : in_use_) {
    if (!c->statement->isDone()) {
      c->statement->tryReset();
    }
    c->listed = false;
  }
  for (CachedRaw* c : raw_in_use_) {
    if (sqlite3_stmt_busy(c->statement.get()) != 0) {
      sqlite3_reset(c->statement.get());
    }
    c->listed = false;
  }
  in_use_.clear();
  raw_in_use_.clear();
}

BusyWaiter::BusyWaiter(std::chrono::milliseconds timeout)
    : timeout_(timeout),
      rng_(static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) |
           1) {}

void BusyWaiter::install(sqlite3* db) {
  sqlite3_busy_handler(db, &BusyWaiter::on_busy, this);
}

int BusyWaiter::on_busy(void* self, int count) noexcept {
  auto* w = static_cast<BusyWaiter*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (count == 0) {
    w->started_ = now;  // a new wait for a lock begins
  }
  if (now - w->started_ >= w->timeout_) {
    return 0;  // give up: the caller sees SQLITE_BUSY
  }
  // xorshift64: cheap jitter, no locking, no global state.
  w->rng_ ^= w->rng_ << 13;
  w->rng_ ^= w->rng_ >> 7;
  w->rng_ ^= w->rng_ << 17;
  const auto sleep = std::chrono::microseconds(500 + static_cast<long>(w->rng_ % 1500));
  std::this_thread::sleep_for(sleep);
  return 1;
}

void bind_literal(SQLite::Statement& st, int index, std::string_view literal) {
  // A literal's terminating NUL follows its last character.
  st.bindNoCopy(index, literal.data());
}

void bind_text_or_null(SQLite::Statement& st, int index, std::string_view text) {
  if (text.empty()) {
    st.bind(index);
  } else {
    st.bind(index, std::string(text));
  }
}

void bind_text_or_null(SQLite::Statement& st, int index, const std::string& text) {
  if (text.empty()) {
    st.bind(index);
  } else {
    st.bind(index, text);
  }
}

void bind_optional(SQLite::Statement& st, int index, const std::optional<std::int64_t>& v) {
  if (v) {
    st.bind(index, static_cast<int64_t>(*v));
  } else {
    st.bind(index);
  }
}

void bind_optional(SQLite::Statement& st, int index, const std::optional<double>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

std::optional<std::int64_t> column_optional_int(const SQLite::Statement& st, int index) {
  if (st.isColumnNull(index)) {
    return std::nullopt;
  }
  return st.getColumn(index).getInt64();
}

std::optional<double> column_optional_double(const SQLite::Statement& st, int index) {
  if (st.isColumnNull(index)) {
    return std::nullopt;
  }
  return st.getColumn(index).getDouble();
}

std::string column_text(const SQLite::Statement& st, int index) {
  if (st.isColumnNull(index)) {
    return {};
  }
  return st.getColumn(index).getString();
}

std::int64_t query_int(SQLite::Database& db, const char* sql) {
  SQLite::Statement st(db, sql);
  if (!st.executeStep()) {
    return 0;
  }
  return st.getColumn(0).getInt64();
}

}  // namespace layoffs::detail
