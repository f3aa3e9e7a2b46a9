// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "bench_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <utility>
#include <vector>

#include "connection_settings.h"  // lib/: the library's connection settings

namespace bench {

namespace {

std::int64_t env_size(const char* name, std::int64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') {
    return fallback;
  }
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || value < 1) {
    std::cerr << "layoffs_bench: " << name << "=" << text << " is not a positive integer\n";
    std::exit(2);
  }
  return value;
}

}  // namespace

const Sizes& Sizes::get() {
  static const Sizes sizes = [] {
    Sizes s;
    s.events = env_size("LAYOFFS_BENCH_EVENTS", s.events);
    s.companies = env_size("LAYOFFS_BENCH_COMPANIES", s.companies);
    s.batch_events = env_size("LAYOFFS_BENCH_BATCH_EVENTS", s.batch_events);
    s.batch_size = env_size("LAYOFFS_BENCH_BATCH_SIZE", s.batch_size);
    s.batch_companies = env_size("LAYOFFS_BENCH_BATCH_COMPANIES", s.batch_companies);
    s.single_events = env_size("LAYOFFS_BENCH_SINGLE_EVENTS", s.single_events);
    s.csv_rows = env_size("LAYOFFS_BENCH_CSV_ROWS", s.csv_rows);
    s.real_fyi_rows = env_size("LAYOFFS_BENCH_REAL_FYI_ROWS", s.real_fyi_rows);
    s.real_warn_rows = env_size("LAYOFFS_BENCH_REAL_WARN_ROWS", s.real_warn_rows);
    const char* dir = std::getenv("LAYOFFS_BENCH_DATA_DIR");
    s.data_dir = dir != nullptr && *dir != '\0' ? dir : LAYOFFS_BENCH_DEFAULT_DATA_DIR;
    return s;
  }();
  return sizes;
}

// ---- sqlite3 ------------------------------------------------------------

void sqlite_fail(sqlite3* db, std::string_view what) {
  std::string message(what);
  if (db != nullptr) {
    message += ": ";
    message += sqlite3_errmsg(db);
  }
  throw std::runtime_error(message);
}

RawDb::RawDb(const std::string& path, int flags) {
  // Each raw connection is used by one thread at a time, so it needs no
  // SQLite mutex (the library opens its connections so too).
  if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    const std::string message = "cannot open '" + path + "': " + sqlite3_errmsg(db_);
    sqlite3_close_v2(db_);
    throw std::runtime_error(message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

RawDb::~RawDb() {
  sqlite3_close_v2(db_);
}

void RawDb::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    sqlite_fail(db_, sql);
  }
}

std::int64_t RawDb::query_int(const char* sql) {
  Stmt st(db_, sql);
  if (!st.step()) {
    throw std::runtime_error(std::string("no row: ") + sql);
  }
  return sqlite3_column_int64(st, 0);
}

void RawDb::configure_like_library() {
  // The library's own settings, from the same function it calls
  // (lib/connection_settings.h), then what Tracker::open adds: a busy
  // timeout (the library's is a handler of its own with the same effect for
  // one connection) and WAL (the files are the library's, already in WAL).
  sqlite3_busy_timeout(db_, 5000);
  if (layoffs::detail::configure_connection(db_) != SQLITE_OK ||
      layoffs::detail::configure_durability(db_) != SQLITE_OK) {
    sqlite_fail(db_, "configure the connection like the library");
  }
  exec("PRAGMA journal_mode = WAL");
}

Stmt::Stmt(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st_, nullptr) != SQLITE_OK) {
    sqlite_fail(db, std::string("prepare ") + sql);
  }
}

bool Stmt::step() {
  const int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  sqlite3_reset(st_);
  sqlite_fail(db_, sqlite3_sql(st_));
}

void Stmt::run() {
  while (step()) {
  }
  sqlite3_reset(st_);
}

void format_iso(const layoffs::Date& d, char* out) noexcept {
  const int y = d.year();
  const unsigned m = d.month();
  const unsigned day = d.day();
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + day / 10);
  out[9] = static_cast<char>('0' + day % 10);
  out[10] = '\0';
}

// ---- files ------------------------------------------------------------

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

void copy_file(const std::string& from, const std::string& to) {
  remove_db(to);
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
}

void remove_db(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
  }
}

void make_dirs(const std::string& path) {
  std::filesystem::create_directories(path);
}

const std::string& work_dir() {
  static const std::string dir = [] {
    const std::string d = Sizes::get().data_dir + "/work-" + std::to_string(::getpid());
    make_dirs(d);
    return d;
  }();
  return dir;
}

void remove_work_dir() {
  std::error_code ec;
  std::filesystem::remove_all(Sizes::get().data_dir + "/work-" + std::to_string(::getpid()), ec);
}

std::string fingerprint(const std::string& path) {
  // Every table of the schema with every column but created_at/updated_at
  // (wall-clock timestamps), rows in rowid order, found at run time: a
  // migration that adds a table or a column is in the fingerprint without a
  // change here, so a raw writer that does not keep up fails the check.
  RawDb db(path, SQLITE_OPEN_READONLY);
  std::vector<std::pair<std::string, std::string>> tables;
  {
    Stmt names(db.get(),
               "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
               "ORDER BY name");
    while (names.step()) {
      const std::string table = reinterpret_cast<const char*>(sqlite3_column_text(names, 0));
      Stmt columns(db.get(), "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid");
      bind_static(columns, 1, table);
      std::string list, order;
      while (columns.step()) {
        const std::string column = reinterpret_cast<const char*>(sqlite3_column_text(columns, 0));
        if (column == "created_at" || column == "updated_at") {
          continue;
        }
        list += (list.empty() ? "\"" : ", \"") + column + "\"";
        if (sqlite3_column_int(columns, 1) > 0) {
          order += (order.empty() ? "\"" : ", \"") + column + "\"";
        }
      }
      tables.emplace_back(table, "SELECT " + list + " FROM \"" + table + "\" ORDER BY " +
                                     (order.empty() ? list : order));
    }
  }
  std::string out;
  for (const auto& [table, sql] : tables) {
    Stmt st(db.get(), sql.c_str());
    std::uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a
    const auto mix = [&](const unsigned char* p, int n) {
      for (int i = 0; i < n; ++i) {
        hash = (hash ^ p[i]) * 0x100000001b3ull;
      }
      hash = (hash ^ 0xff) * 0x100000001b3ull;  // field separator
    };
    std::int64_t rows = 0;
    while (st.step()) {
      ++rows;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) {
          mix(reinterpret_cast<const unsigned char*>("\x01NULL"), 5);
        } else {
          const unsigned char* text = sqlite3_column_text(st, c);
          mix(text, sqlite3_column_bytes(st, c));
        }
      }
    }
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s=%lld/%016llx ", table.c_str(), static_cast<long long>(rows),
                  static_cast<unsigned long long>(hash));
    out += buf;
  }
  return out;
}

}  // namespace bench
