// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The private state behind layoffs::Tracker, shared by the files that
// implement its parts (tracker.cpp: open and companies; events.cpp: writes of
// events, event_checks.cpp: checking their fields; claims.cpp: claims and
// reconciliation; queries.cpp: reads and totals).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <layoffs/tracker.h>

#include "interval.h"
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
  // A string literal: found by its address (see StatementCache::get).
  SQLite::Statement& stmt(const char* literal) { return statements->get(literal); }

  // The current UTC time as the schema's DEFAULTs write it
  // (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), formatted at most once a second.
  class Timestamps {
   public:
    // Valid until the next call.
    const char* now();

   private:
    std::int64_t second_ = -1;
    char text_[32] = {};
  };
  Timestamps timestamps;

  // Called as each public call begins, outside any caller's transaction: if
  // an earlier call could not end its transaction (a ROLLBACK or COMMIT that
  // itself failed, e.g. out of memory), end it now, or throw a typed error
  // rather than run inside a stale transaction.
  void recover();

  // ---- bulk loading (bulk.cpp): see Tracker::transaction, Workload::bulk_load.
  // Exact lookups of external keys while layoff_event's indexes are dropped:
  // an open-addressing table from a 64-bit hash of the key to the id of the
  // last event recorded with a key of that hash. Entries are hints, checked
  // against the row (a rolled-back savepoint can leave a stale one); a key
  // absent from the table is absent from layoff_event.
  class KeyTable {
   public:
    void put(std::uint64_t hash, std::int64_t id);
    // Makes room for one more entry, so that put_reserved cannot fail.
    void reserve_one();
    // REQUIRES: room (reserve_one(), or a slot already holding `hash`).
    void put_reserved(std::uint64_t hash, std::int64_t id) noexcept;
    // The id stored for `hash`, or 0.
    std::int64_t get(std::uint64_t hash) const;
    void clear() noexcept;
    std::size_t size() const noexcept { return size_; }

   private:
    void grow();
    std::vector<std::uint64_t> hashes_;  // 0: empty slot
    std::vector<std::int64_t> ids_;
    std::size_t size_ = 0;
  };
  struct BulkLoad {
    bool active = false;         // inside an outermost bulk_load transaction
    bool deferred = false;       // layoff_event's indexes are dropped
    bool done = false;           // they were rebuilt early: do not drop them again
    std::int64_t recorded = 0;   // events inserted in the transaction
    std::int64_t threshold = 0;  // drop the indexes once `recorded` reaches it
    std::vector<std::pair<std::string, std::string>> rebuild;  // dropped indexes: name, CREATE
    KeyTable keys;
  };
  BulkLoad bulk;
  // REQUIRES: inside the outermost transaction, just begun.
  void begin_bulk_load();
  // Clears the state (the transaction has ended, either way).
  void end_bulk_load() noexcept;
  // REQUIRES: tx.depth == 1. Drops the indexes if it is time to.
  void maybe_defer_indexes();
  // Builds the dropped indexes again (idempotent). A failure aborts the
  // transaction: it must never commit without them.
  void rebuild_indexes();
  // Before inserting an event with this key: makes room in the KeyTable.
  void bulk_will_record(const std::string& key);
  // An event was inserted (inside a bulk_load transaction).
  void bulk_recorded(EventId id, const std::string& key) noexcept;
  // Inside a write transaction that SQLite has not ended and that is not
  // doomed (TxState::aborted_code).
  bool transaction_live() const noexcept;
  // Called by record() and record_batch() before they write: drops the
  // indexes when it is time, or builds them again for an event without a key.
  void before_bulk_write(bool keyless);
  // find_by_key while the indexes are dropped.
  std::optional<EventId> bulk_find_key(const std::string& key);

  // Whether a public call may run while layoff_event's indexes are dropped
  // (it only records keyed events, reads by key or by id, or touches
  // companies); any other call rebuilds them first.
  enum class Indexes { needed, not_needed };

  // Held for the whole of each public call: takes the mutex and, on the way
  // out (normal or exception), resets every cached statement.
  class Call {
   public:
    explicit Call(Impl& impl, Indexes indexes = Indexes::needed) : impl_(impl), lock_(impl.mutex) {
      impl.recover();
      if (indexes == Indexes::needed && impl.bulk.deferred) {
        impl.rebuild_indexes();
      }
    }
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
    explicit ReadCall(Impl& impl, Indexes indexes = Indexes::needed);
    ReadCall(const ReadCall&) = delete;
    ReadCall& operator=(const ReadCall&) = delete;
    ~ReadCall();

   private:
    Call call_;
    Impl& impl_;
    bool began_ = false;
  };

  // Nesting depth of Tracker::read (REQUIRES: mutex): no writes inside.
  int read_depth = 0;

  // REQUIRES: mutex held. Throws read_only for a read-only Tracker, or
  // inside Tracker::read.
  void require_writable(std::string_view operation) const;

  // ---- companies (tracker.cpp)
  std::optional<CompanyId> lookup_company(std::string_view name_or_alias);
  void require_company(CompanyId id, std::string_view field);
  // The top-level ancestor of a company. Throws corrupt (naming the company
  // and pointing to 'layoffs check') if the parent links above it go round
  // in a cycle, which only a file edited by hand can hold.
  CompanyId root_of(CompanyId id);
  Error parent_cycle(CompanyId id);
  std::optional<CompanyId> parent_of(CompanyId id);
  Company load_company(CompanyId id);
  CompanyId insert_company(const NewCompany& company);

  // ---- events (events.cpp)
  EventId record_in_transaction(const NewEvent& event, std::string_view prefix);
  Event load_event(EventId id);

  // ---- counted bounds (bounds.cpp)
  // After a write that changed the inclusions, headcounts or statuses of the
  // events in `touched` (some may be gone): recomputes the counted figures of
  // their inclusion trees (detail::counted_figures), refuses an includer
  // with less room than what it includes needs (invalid_inclusion naming
  // `field` and both figures) and brings event_counted_bounds up to date.
  // REQUIRES: inside a write transaction.
  void refresh_counted_bounds(const std::vector<std::int64_t>& touched, std::string_view field);
  // The rows event_counted_bounds should hold, as "id|low|high|estimate",
  // against the rows it holds: the problems check() lists.
  std::vector<std::string> counted_bounds_problems();

  // ---- queries (queries.cpp)
  Total total(const Filter& filter);
  // The ids of the events the filter selects, in date order.
  std::vector<std::int64_t> selected_ids(const Filter& filter);
  // Calls `row` for each event the filter selects, in date order, with the
  // columns `columns` (a fixed SQL list over `e`, the event, and `c`, its
  // company: NULL columns only in a file edited with foreign keys off) of one
  // statement.
  void for_each_selected(const Filter& filter, std::string_view columns,
                         const std::function<void(SQLite::Statement&)>& row);

  // Who includes whom and which events do not count, for totals:
  // event_inclusion and the events that are not active are small next to
  // layoff_event, so they are read once and kept until the database changes
  // (another connection's commit moves PRAGMA data_version; our own writes
  // move sqlite3_total_changes64; our rollbacks move tx.epoch).
  //
  // Events that are not active are transparent to inclusions: includer_of
  // and children link active events only, each to its nearest active
  // includer (walking up through inactive ones) and to its nearest active
  // included events (walking down through inactive ones).
  struct InclusionIndex {
    std::unordered_map<std::int64_t, std::int64_t>
        includer_of;  // active -> nearest active includer
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> children;  // the inverse
    std::unordered_map<std::int64_t, EventStatus> inactive;  // events that are not active
    // The figure each event in an inclusion counts with (see
    // event_counted_bounds in migrations/0003), filled one inclusion tree
    // at a time by Impl::load_figures, for the trees a call touches: a
    // query over one company reads the own figures of its few trees, not
    // of every event in an inclusion in the database.
    std::unordered_map<std::int64_t, detail::Interval> figures;
    std::unordered_set<std::int64_t> loaded;  // the ids whose tree load_figures has done
    // One bit per event id, set for the events in any of the above, so
    // that the ~99% of rows that take part in none cost one bit test
    // instead of hash lookups. Empty when the ids are too large for it
    // (then every row is looked up).
    std::vector<bool> involved;
    // The filings (kind = 'filing'), one bit per id, or by id when the ids
    // are too large for bits; for Total::unmatched_filings.
    std::vector<bool> filing_bits;
    std::unordered_set<std::int64_t> filing_ids;
    bool is_filing(std::int64_t id) const noexcept {
      if (id >= 0 && static_cast<std::uint64_t>(id) < filing_bits.size()) {
        return filing_bits[static_cast<std::size_t>(id)];
      }
      return !filing_ids.empty() && filing_ids.count(id) != 0;
    }
    bool any() const noexcept { return !includer_of.empty() || !inactive.empty(); }
    bool may_be_involved(std::int64_t id) const noexcept {
      return involved.empty() || (id >= 0 && static_cast<std::uint64_t>(id) < involved.size() &&
                                  involved[static_cast<std::size_t>(id)]);
    }
  };
  // REQUIRES: mutex held, inside a read or write transaction.
  const InclusionIndex& inclusion_index();
  // Fills inclusions.figures for every tree holding one of `ids` (active
  // events; ids in no inclusion count with their own figure). REQUIRES: as
  // inclusion_index(), called after it in the same call.
  void load_figures(std::span<const std::int64_t> ids);
  // The figure `id` counts with, if it has one other than its own row's
  // (loading its tree first); nullptr for events in no inclusion tree.
  const detail::Interval* counted_figure(std::int64_t id);
  InclusionIndex inclusions;
  using InclusionStamp = std::tuple<std::int64_t, std::int64_t, std::int64_t>;
  std::optional<InclusionStamp> inclusions_stamp;
};

namespace detail {

// The fixed SQL fragment "WITH RECURSIVE <name>(id) AS (...) ": the company
// bound to parameter `param` ("?" or "?1") and every company below it.
// UNION (not UNION ALL) stops even on a hand-made parent cycle. Only fixed
// names go in here; values are always bound.
std::string company_subtree_cte(std::string_view name, std::string_view param);
// Likewise: the event bound to `param` and every event inside it, down the
// inclusions.
std::string inclusion_descent_cte(std::string_view name, std::string_view param);

}  // namespace detail

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
