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
      return ErrorCode::not_found;
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

WriteTransaction::WriteTransaction(SQLite::Database& db, TxState* state) : db_(db), state_(state) {
  level_ = state_ ? state_->depth : 0;
  if (state_ && level_ == 0) {
    ++state_->epoch;
  }
  try {
    if (level_ == 0) {
      db_.exec("BEGIN IMMEDIATE");
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
  // nothing left to roll back and the statements below fail harmlessly.
  if (sqlite3_get_autocommit(db_.getHandle())) {
    return;
  }
  if (level_ == 0) {
    (void)db_.tryExec("ROLLBACK");
  } else {
    const std::string name = "layoffs_" + std::to_string(level_);
    if (db_.tryExec(("ROLLBACK TO " + name).c_str()) == SQLITE_OK) {
      (void)db_.tryExec(("RELEASE " + name).c_str());
    }
  }
}

void WriteTransaction::commit() {
  try {
    if (level_ == 0) {
      db_.exec("COMMIT");
    } else {
      db_.exec("RELEASE layoffs_" + std::to_string(level_));
    }
    done_ = true;
  } catch (const SQLite::Exception& e) {
    // A COMMIT that failed (e.g. I/O error) may leave the transaction open;
    // the destructor rolls it back.
    throw translate(e, "cannot commit");
  }
}

SQLite::Statement& StatementCache::get(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  } else {
    // A statement left mid-step by an exception is reset here, so a cached
    // statement never holds a read transaction open between calls.
    it->second->tryReset();
    it->second->clearBindings();
  }
  return *it->second;
}

void StatementCache::reset_all() noexcept {
  // Bound the cache: filters with long IN-lists make distinct SQL texts.
  if (cache_.size() > 512) {
    cache_.clear();
    return;
  }
  for (auto& entry : cache_) {
    entry.second->tryReset();
  }
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

void bind_text_or_null(SQLite::Statement& st, int index, std::string_view text) {
  if (text.empty()) {
    st.bind(index);
  } else {
    st.bind(index, std::string(text));
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
