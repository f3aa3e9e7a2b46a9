// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The "raw" variants: what a competent C++ developer writes instead of using
// the library, straight on the sqlite3 C API over the identical schema. They
// are meant to be fast and honest, never strawmen: statements are prepared
// once and reused, text is bound without copies, tag ids are cached in hash
// maps, and the query code implements the same counting rules
// (docs/ARCHITECTURE.md, "Honest totals") so it returns the same answers.
//
// What they deliberately do not do is what the library adds on top: input
// validation (dates, URLs, UTF-8, lengths), duplicate detection, per-call
// read transactions, error translation. That is the library's value, and the
// targets in issue 5 are the price we accept for it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <layoffs/model.h>
#include <layoffs/query.h>

#include "bench_support.h"

namespace bench {

// Writes NewEvents as rows: layoff_event, its departments, reasons, sources
// and inclusions, exactly the rows Tracker::record writes for them.
class RawEventWriter {
 public:
  explicit RawEventWriter(sqlite3* db);
  // BEGIN IMMEDIATE, like the library; the id caches last one transaction,
  // as the library's do (another connection may change the tables between).
  void begin() {
    departments_.clear();
    reasons_.clear();
    begin_.run();
  }
  void commit() { commit_.run(); }
  std::int64_t write(const layoffs::NewEvent& e);

 private:
  std::int64_t department_id(const std::string& name);
  std::int64_t reason_id(const layoffs::Reason& reason);

  sqlite3* db_;
  Stmt begin_, commit_, event_, find_department_, add_department_, event_department_, find_reason_,
      add_reason_, event_reason_, source_, event_source_, inclusion_;
  // name as given -> id. Departments and reasons are a small vocabulary, so
  // after the first few events every lookup is a hash hit.
  std::unordered_map<std::string, std::int64_t> departments_, reasons_;
  std::string locations_;  // reused buffer
  // created_at/updated_at bound as the library binds them: the text their
  // DEFAULT would compute, formatted once a second.
  char now_[32] = "";
  std::int64_t now_second_ = -1;
};

// The queries of the query cases, on one connection with statements prepared
// once. Results use the library's value types only so they can be compared.
class RawQueries {
 public:
  // How the raw code learns which selected events take part in inclusions:
  //  per_row  - two correlated subqueries per selected row (what the library
  //             once did);
  //  preload  - one scan of event_inclusion into a hash map per query, then a
  //             plain covering-index scan of the events;
  //  cached   - what the library does now: who includes whom in a hash map
  //             plus one bit per event id, kept across calls and read again
  //             only when PRAGMA data_version or sqlite3_total_changes64
  //             moved (a commit by any connection, or a write on this one).
  // All are exact (the benchmark checks they agree with the library).
  enum class Inclusions { per_row, preload, cached };

  explicit RawQueries(sqlite3* db);

  // total() of one company with its subsidiaries over [from, to] (ISO dates).
  layoffs::Total total_company_range(std::int64_t company, const char* from, const char* to,
                                     Inclusions how);
  // totals_by(month) of one company with its subsidiaries, all dates.
  std::vector<layoffs::GroupTotal> totals_by_month(std::int64_t company, Inclusions how);
  // totals_by(top_company) over every event.
  std::vector<layoffs::GroupTotal> totals_by_top_company(Inclusions how);

 private:
  struct Interval {
    std::int64_t low = 0;
    std::int64_t high = 0;
    bool bounded = true;
    std::int64_t estimate = 0;
    bool approximate = false;
    bool unknown = false;
  };
  struct Involvement {
    std::int64_t includer = 0;  // 0: none
    bool has_children = false;
  };
  struct Involved {
    std::int64_t id, key;
    Interval iv;
    Involvement inv;
  };

  static Interval interval_at(sqlite3_stmt* st, int first_column);
  static void add(layoffs::Total& t, const Interval& c);
  static Interval remainder(const Interval& outer, const std::vector<Interval>& removed);

  // Streams `select` (columns: id, company_id, announced_on, low, high,
  // estimate, kind[, includer, has_children]) into per-key totals.
  template <class KeyOf>
  std::unordered_map<std::int64_t, layoffs::Total> run(Stmt& select, Inclusions how, KeyOf key_of);
  void load_inclusions();
  // For Inclusions::cached: reloads involvement_ and involved_ unless the
  // stamp is unchanged.
  void refresh_inclusions();

  Stmt range_per_row_, range_preload_, month_per_row_, month_preload_, all_per_row_, all_preload_,
      children_, inclusions_, companies_;
  std::unordered_map<std::int64_t, Involvement> involvement_;  // preload and cached
  // Events that are not active ('s'uperseded, 'r'etracted): selected, never
  // counted. Few, read through the partial index on status (every strategy;
  // kept across calls by cached).
  std::unordered_map<std::int64_t, char> inactive_;
  void load_inactive();
  std::vector<bool> involved_;  // cached: bit per event id, set if in an inclusion
  sqlite3* db_;
  Stmt data_version_, inactive_stmt_;
  std::int64_t stamp_version_ = -1, stamp_changes_ = -1;  // cached: when involvement_ was read
};

// Opens connections as the library does: the library's own settings
// (lib/connection_settings.h: DBCONFIG, trusted_schema, foreign_keys,
// temp_store, synchronous), a busy timeout, WAL.
void configure_like_library(sqlite3* db);

struct RawImportSummary {
  std::int64_t rows_read = 0, imported = 0, duplicates = 0, rejected = 0;
};
// import_csv/raw_normalized (raw_import.cpp): a layoffs.fyi CSV (the Kaggle
// form) into the library's schema, the same rows io::import_file writes, in
// one transaction; layoff_event's indexes are dropped and built again once
// `bulk_min_events` rows (or as many as the table held) were inserted, as
// the library's bulk load does.
RawImportSummary raw_import_normalized(sqlite3* db, const std::string& path,
                                       std::int64_t bulk_min_events = 20'000);

// The flat table `sqlite3 .import` would create for the CSV (every column TEXT).
void create_flat_table(sqlite3* db);
// Loads a CSV with no quoted fields into it in one transaction: read lines,
// split on commas, insert with one prepared statement. Returns the rows loaded.
std::int64_t raw_import_csv(sqlite3* db, const std::string& path);

}  // namespace bench
