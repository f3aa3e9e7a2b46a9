// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The private state behind layoffs::Tracker, shared by the files that
// implement its parts (tracker.cpp: open and companies; events.cpp: writes of
// events and claims; queries.cpp: reads and totals).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <layoffs/tracker.h>

#include "sqlite_util.h"

namespace layoffs {

struct Tracker::Impl {
  std::string path;
  Options options;
  std::shared_ptr<spdlog::logger> log;
  // Declared before db, so destroyed after it: the connection's busy handler.
  std::unique_ptr<detail::BusyWaiter> busy;
  std::unique_ptr<SQLite::Database> db;
  // Declared after db, so destroyed before it: statements never outlive
  // their connection.
  std::unique_ptr<detail::StatementCache> statements;
  // Serializes every public call (see the threading contract in tracker.h).
  std::recursive_mutex mutex;
  // The connection's transaction depth and epoch (REQUIRES: mutex).
  detail::TxState tx;
  // Ids known to exist, valid while tx.epoch stays `ids_epoch`: saves a
  // SELECT per department, reason and company of every recorded event.
  std::uint64_t ids_epoch = 0;
  std::unordered_map<std::string, std::int64_t> department_ids;                      // by name_key
  std::unordered_map<std::string, std::pair<std::int64_t, std::string>> reason_ids;  // id, category
  std::unordered_set<std::int64_t> company_ids;
  // REQUIRES: inside a write transaction. Clears the caches above if the
  // epoch moved.
  void check_id_caches() {
    if (ids_epoch != tx.epoch) {
      department_ids.clear();
      reason_ids.clear();
      company_ids.clear();
      ids_epoch = tx.epoch;
    }
  }

  SQLite::Statement& stmt(const std::string& sql) { return statements->get(sql); }

  // Called as each public call begins, outside any caller's transaction: if
  // an earlier call could not end its transaction (a ROLLBACK or COMMIT that
  // itself failed, e.g. out of memory), end it now, or throw a typed error
  // rather than run inside a stale transaction.
  void recover();

  // Held for the whole of each public call: takes the mutex and, on the way
  // out (normal or exception), resets every cached statement.
  class Call {
   public:
    explicit Call(Impl& impl) : impl_(impl), lock_(impl.mutex) { impl.recover(); }
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;
    ~Call() { impl_.statements->reset_all(); }

   private:
    Impl& impl_;
    std::lock_guard<std::recursive_mutex> lock_;
  };

  // A Call for a public read: it also holds one read transaction, so every
  // statement of the call sees the same committed state (a total must not
  // mix rows from before and after a concurrent write). Inside a caller's
  // write transaction it adds nothing.
  class ReadCall {
   public:
    explicit ReadCall(Impl& impl);
    ReadCall(const ReadCall&) = delete;
    ReadCall& operator=(const ReadCall&) = delete;
    ~ReadCall();

   private:
    Call call_;
    Impl& impl_;
    bool began_ = false;
  };

  // REQUIRES: mutex held. Throws read_only for a read-only Tracker.
  void require_writable(std::string_view operation) const;

  // ---- companies (tracker.cpp)
  std::optional<CompanyId> lookup_company(std::string_view name_or_alias);
  void require_company(CompanyId id, std::string_view field);
  // The top-level ancestor of a company.
  CompanyId root_of(CompanyId id);
  std::optional<CompanyId> parent_of(CompanyId id);
  Company load_company(CompanyId id);
  CompanyId insert_company(const NewCompany& company);

  // ---- events (events.cpp)
  EventId record_in_transaction(const NewEvent& event, std::string_view prefix);
  Event load_event(EventId id);

  // ---- queries (queries.cpp)
  Total total(const Filter& filter);

  // Who includes whom, for totals: event_inclusion is small next to
  // layoff_event, so it is read once and kept until the database changes
  // (another connection's commit moves PRAGMA data_version; our own writes
  // move sqlite3_total_changes64; our rollbacks move tx.epoch).
  struct InclusionIndex {
    std::unordered_map<std::int64_t, std::int64_t> includer_of;  // included -> including
    std::unordered_set<std::int64_t> includers;                  // events that include any
  };
  // REQUIRES: mutex held, inside a read or write transaction.
  const InclusionIndex& inclusion_index();
  InclusionIndex inclusions;
  using InclusionStamp = std::tuple<std::int64_t, std::int64_t, std::int64_t>;
  std::optional<InclusionStamp> inclusions_stamp;
};

// Wraps SQLiteCpp exceptions escaping a public call into layoffs::Error.
template <class F>
auto guarded(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    throw detail::translate(e, what);
  }
}

}  // namespace layoffs
