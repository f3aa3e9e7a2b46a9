// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Plumbing shared by the benchmark cases: sizes from the environment, a
// deterministic random generator, thin RAII wrappers over the sqlite3 C API
// (used by the raw variants and by the data generators), and file helpers.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <sqlite3.h>

#include <layoffs/date.h>

namespace bench {

// Every size the benchmark uses. Defaults are the numbers; each can be
// overridden by an environment variable so CI can run a tiny smoke pass.
struct Sizes {
  // The query database (total_company_range, totals_by_month, totals_by_company)
  // and the import CSV's number of distinct companies.
  std::int64_t events = 1'000'000;  // LAYOFFS_BENCH_EVENTS
  std::int64_t companies = 10'000;  // LAYOFFS_BENCH_COMPANIES (rounded to trees of 25)
  // record_batch
  std::int64_t batch_events = 100'000;   // LAYOFFS_BENCH_BATCH_EVENTS
  std::int64_t batch_size = 1'000;       // LAYOFFS_BENCH_BATCH_SIZE (events per transaction)
  std::int64_t batch_companies = 2'000;  // LAYOFFS_BENCH_BATCH_COMPANIES (also record_single)
  // record_single
  std::int64_t single_events = 2'000;  // LAYOFFS_BENCH_SINGLE_EVENTS
  // import_csv
  std::int64_t csv_rows = 1'000'000;  // LAYOFFS_BENCH_CSV_ROWS
  // import_real: files of the sizes users have, made from the real files in
  // ../shared/data.
  std::int64_t real_fyi_rows = 4'277;     // LAYOFFS_BENCH_REAL_FYI_ROWS
  std::int64_t real_warn_rows = 100'000;  // LAYOFFS_BENCH_REAL_WARN_ROWS
  // Where generated data is cached (LAYOFFS_BENCH_DATA_DIR).
  std::string data_dir;

  static const Sizes& get();
};

// splitmix64: tiny, fast and, unlike the <random> distributions, gives the
// same numbers with every standard library, so the data is the same anywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); the modulo bias is irrelevant for n far below 2^64.
  std::int64_t below(std::int64_t n) noexcept {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }
  // Uniform in [0, 1).
  double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// ---- The sqlite3 C API, thinly wrapped --------------------------------

// Throws std::runtime_error with the connection's message.
[[noreturn]] void sqlite_fail(sqlite3* db, std::string_view what);

// One connection. Closed (sqlite3_close_v2) on destruction.
class RawDb {
 public:
  RawDb(const std::string& path, int flags);
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb();
  sqlite3* get() const noexcept { return db_; }
  void exec(const char* sql);
  std::int64_t query_int(const char* sql);

  // Exactly the settings Tracker::open gives every connection
  // (lib/connection_settings.h), a busy timeout and WAL.
  void configure_like_library();

 private:
  sqlite3* db_ = nullptr;
};

// One prepared statement (SQLITE_PREPARE_PERSISTENT: it is kept and reused).
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql);
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(st_); }
  sqlite3_stmt* get() const noexcept { return st_; }
  operator sqlite3_stmt*() const noexcept { return st_; }
  // sqlite3_step; true for SQLITE_ROW, false for SQLITE_DONE, throws otherwise.
  bool step();
  // Steps to completion (an INSERT or UPDATE) and resets.
  void run();
  void reset() noexcept { sqlite3_reset(st_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

// Binds text that outlives the statement's next step, without copying it.
inline void bind_static(sqlite3_stmt* st, int i, std::string_view s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
}
inline void bind_static_or_null(sqlite3_stmt* st, int i, std::string_view s) {
  if (s.empty()) {
    sqlite3_bind_null(st, i);
  } else {
    bind_static(st, i, s);
  }
}

// "YYYY-MM-DD" of the first day, into `out` (11 bytes with the NUL).
void format_iso(const layoffs::Date& d, char* out) noexcept;

// ---- Files ----------------------------------------------------------

bool file_exists(const std::string& path);
void copy_file(const std::string& from, const std::string& to);
// Removes a database file with its -wal, -shm and -journal.
void remove_db(const std::string& path);
void make_dirs(const std::string& path);
// A directory for this process's scratch databases, under the data directory;
// removed by remove_work_dir().
const std::string& work_dir();
void remove_work_dir();

// A digest of the rows of a database's tables (ordered by key, volatile
// timestamps left out), to check that the library and raw variants wrote the
// same thing.
std::string fingerprint(const std::string& path);

}  // namespace bench
