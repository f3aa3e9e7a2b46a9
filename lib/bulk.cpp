// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Bulk loading (Tracker::transaction with Workload::bulk_load).
//
// Inserting a million events one by one into layoff_event keeps three
// secondary indexes up to date row by row, in company, date and (random)
// key order: each insert lands on another page of each index, and once the
// indexes outgrow the page cache nearly every insert reads and writes pages.
// Building an index afterwards sorts once and writes it in order, several
// times faster (docs/PERFORMANCE.md has the figures). So, once a bulk_load
// transaction has recorded more events than the file held before it, its
// indexes are dropped inside the transaction and created again before the
// commit. DDL is transactional in SQLite: a rollback restores them, and
// other connections read the old file, indexes included, until the commit.
//
// The one index the writes themselves need is the unique one on
// external_key (a keyed event that exists already is not recorded again).
// While it is gone, KeyTable answers that question from memory, and
// creating the unique index again at the end re-checks it.
#include <functional>
#include <string_view>

#include <sqlite3.h>

#include "tracker_impl.h"

namespace layoffs {

namespace {

std::uint64_t key_hash(std::string_view key) {
  const std::uint64_t h = std::hash<std::string_view>{}(key);
  return h == 0 ? 1 : h;  // 0 marks an empty slot
}

}  // namespace

// ---- KeyTable ---------------------------------------------------------------

void Tracker::Impl::KeyTable::reserve_one() {
  if ((size_ + 1) * 10 > hashes_.size() * 7) {
    grow();
  }
}

void Tracker::Impl::KeyTable::put(std::uint64_t hash, std::int64_t id) {
  reserve_one();
  put_reserved(hash, id);
}

void Tracker::Impl::KeyTable::put_reserved(std::uint64_t hash, std::int64_t id) noexcept {
  const std::size_t mask = hashes_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    if (hashes_[i] == hash) {
      ids_[i] = id;
      return;
    }
    if (hashes_[i] == 0) {
      hashes_[i] = hash;
      ids_[i] = id;
      ++size_;
      return;
    }
  }
}

std::int64_t Tracker::Impl::KeyTable::get(std::uint64_t hash) const {
  if (hashes_.empty()) {
    return 0;
  }
  const std::size_t mask = hashes_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    if (hashes_[i] == hash) {
      return ids_[i];
    }
    if (hashes_[i] == 0) {
      return 0;
    }
  }
}

void Tracker::Impl::KeyTable::clear() noexcept {
  hashes_ = {};
  ids_ = {};
  size_ = 0;
}

void Tracker::Impl::KeyTable::grow() {
  std::vector<std::uint64_t> hashes = std::move(hashes_);
  std::vector<std::int64_t> ids = std::move(ids_);
  const std::size_t capacity = hashes.empty() ? 1024 : hashes.size() * 2;
  hashes_.assign(capacity, 0);
  ids_.assign(capacity, 0);
  size_ = 0;
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    if (hashes[i] != 0) {
      put_reserved(hashes[i], ids[i]);
    }
  }
}

// ---- the bulk_load state ----------------------------------------------------

void Tracker::Impl::begin_bulk_load() {
  bulk = BulkLoad{};
  bulk.active = true;
  // The number of events now, cheaply (min and max of the rowid are two
  // seeks; deleted rows only make it larger, i.e. the indexes are dropped
  // later).
  auto& st = stmt("SELECT coalesce(max(id) - min(id) + 1, 0) FROM layoff_event");
  st.executeStep();
  const std::int64_t present = st.getColumn(0).getInt64();
  st.reset();
  bulk.threshold = std::max(options.bulk_load_min_events, present);
}

void Tracker::Impl::end_bulk_load() noexcept {
  bulk = BulkLoad{};  // frees the key table too
}

bool Tracker::Impl::transaction_live() const noexcept {
  return tx.depth > 0 && tx.aborted_code == 0 && !sqlite3_get_autocommit(db->getHandle());
}

void Tracker::Impl::maybe_defer_indexes() {
  // Never DDL outside the transaction: if SQLite already ended it (an
  // error the caller caught), a DROP INDEX would commit on its own.
  if (!bulk.active || bulk.deferred || bulk.done || bulk.recorded < bulk.threshold ||
      tx.depth != 1 || !transaction_live()) {
    return;
  }
  // Every key already in the table, so that a key absent from KeyTable is
  // absent from the table (read through the index, before it goes).
  {
    auto& st = stmt("SELECT id, external_key FROM layoff_event WHERE external_key IS NOT NULL");
    while (st.executeStep()) {
      const SQLite::Column key = st.getColumn(1);
      bulk.keys.put(
          key_hash(std::string_view(key.getText(), static_cast<std::size_t>(key.getBytes()))),
          st.getColumn(0).getInt64());
    }
    st.reset();
  }
  std::vector<std::pair<std::string, std::string>> indexes;
  {
    auto& st = stmt(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'layoff_event' "
        "AND sql IS NOT NULL ORDER BY rowid");
    while (st.executeStep()) {
      indexes.emplace_back(st.getColumn(0).getString(), st.getColumn(1).getString());
    }
    st.reset();
  }
  // A statement that used an index must be prepared again without it.
  statements->clear();
  bulk.rebuild = std::move(indexes);
  bulk.deferred = true;
  try {
    for (const auto& [name, sql] : bulk.rebuild) {
      std::string drop = "DROP INDEX \"";
      for (const char c : name) {
        drop += c;
        if (c == '"') {
          drop += '"';
        }
      }
      drop += '"';
      db->exec(drop);
    }
    tx.schema_changed = true;
    tx.reprepare(db->getHandle());
  } catch (...) {
    // Whatever was dropped must not be committed so.
    if (tx.aborted_code == 0) {
      tx.aborted_code = SQLITE_ABORT;
    }
    throw;
  }
  log->debug("bulk load: {} events recorded, {} indexes of layoff_event deferred to the commit",
             bulk.recorded, bulk.rebuild.size());
}

void Tracker::Impl::rebuild_indexes() {
  if (!transaction_live()) {
    // The transaction that dropped them has ended (SQLite rolled it back,
    // indexes included) or must not commit: nothing to build, and DDL now
    // would run on its own.
    bulk.deferred = false;
    bulk.done = true;
    bulk.keys.clear();
    return;
  }
  try {
    statements->clear();
    // Let CREATE INDEX sort with a helper thread (PRAGMA threads; 0, the
    // default, again afterwards), and on disk: with temp_store=MEMORY the
    // sorter never spills, and the sorts of a million events' indexes would
    // take over 100 MiB. The sorter reads temp_store when its statement
    // runs, so switching here changes the sorts only. The statement and
    // savepoint journals of the transaction stay in memory (SQLite fixes
    // that when the transaction begins): on disk, every page each row's
    // savepoint touches would be written to a temporary file once the
    // journal passed 64 KiB, i.e. a few pwrite calls per imported row
    // (tests/io/import_io_test.cpp counts them).
    db->exec("PRAGMA threads = 2");
    // Best effort: should SQLite refuse (a TEMP table is open), the sorts
    // stay in memory, which costs memory only.
    (void)db->tryExec("PRAGMA temp_store = FILE");
    struct Restore {
      SQLite::Database& db;
      ~Restore() {
        (void)db.tryExec("PRAGMA threads = 0");
        (void)db.tryExec("PRAGMA temp_store = MEMORY");
      }
    } restore{*db};
    auto& exists = stmt("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?");
    for (const auto& [name, sql] : bulk.rebuild) {
      exists.bind(1, name);
      const bool there = exists.executeStep();
      exists.reset();
      if (!there) {
        tx.schema_changed = true;
        db->exec(sql);
      }
    }
    tx.reprepare(db->getHandle());
  } catch (const Error&) {
    if (tx.aborted_code == 0) {
      tx.aborted_code = SQLITE_ABORT;
    }
    throw;
  } catch (const SQLite::Exception& e) {
    // Never let this transaction commit without its indexes.
    const int code = e.getExtendedErrorCode();
    if (tx.aborted_code == 0) {
      tx.aborted_code = code > 0 ? code : SQLITE_ABORT;
    }
    throw detail::translate(e, "cannot build the indexes of layoff_event again");
  }
  if (bulk.deferred) {
    log->debug("bulk load: indexes of layoff_event built again ({} events recorded)",
               bulk.recorded);
  }
  bulk.deferred = false;
  bulk.done = true;
  bulk.keys.clear();
}

void Tracker::Impl::bulk_will_record(const std::string& key) {
  if (bulk.deferred && !key.empty()) {
    bulk.keys.reserve_one();
  }
}

void Tracker::Impl::bulk_recorded(EventId id, const std::string& key) noexcept {
  if (!bulk.active) {
    return;
  }
  ++bulk.recorded;
  if (bulk.deferred && !key.empty()) {
    // Room was made by bulk_will_record: nothing here can fail after the
    // row is written.
    bulk.keys.put_reserved(key_hash(key), static_cast<std::int64_t>(id.value()));
  }
}

std::optional<EventId> Tracker::Impl::bulk_find_key(const std::string& key) {
  const std::int64_t hint = bulk.keys.get(key_hash(key));
  if (hint == 0) {
    return std::nullopt;
  }
  auto& st = stmt("SELECT external_key FROM layoff_event WHERE id = ?");
  st.bind(1, hint);
  const bool same = st.executeStep() && st.getColumn(0).getString() == key;
  st.reset();
  if (same) {
    return EventId(hint);
  }
  // Another key with the same hash, or a row a rolled-back savepoint took
  // away: ask the table (a scan, but this is rare).
  auto& scan = stmt("SELECT id FROM layoff_event WHERE external_key = ?");
  scan.bind(1, key);
  std::optional<EventId> found;
  if (scan.executeStep()) {
    found = EventId(scan.getColumn(0).getInt64());
  }
  scan.reset();
  return found;
}

}  // namespace layoffs
