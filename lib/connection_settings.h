// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The settings of every connection the library opens, on the bare sqlite3
// handle. One place, so that the benchmark's hand-written code
// (tests/bench/raw*.cpp) opens its connections with exactly these too.
#pragma once

#include <sqlite3.h>

namespace layoffs::detail {

// Settings that live on the connection only and write nothing to the file,
// so they are safe before the file is vetted. Returns an SQLite result code.
inline int configure_connection(sqlite3* h) noexcept {
  // A file handed to us is untrusted input: no schema-embedded functions with
  // side effects, no writable sqlite_schema, no extensions.
  sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_FKEY, 1, nullptr);
  // Statement and savepoint journals (one per write inside a
  // Tracker::transaction) stay in memory: SQLite fixes where they go when a
  // transaction begins, and on disk they spill to a temporary file past
  // 64 KiB, a few pwrite calls per imported row. (A bulk load's index
  // builds switch to FILE for their sorts only: lib/bulk.cpp.)
  return sqlite3_exec(h,
                      "PRAGMA trusted_schema = OFF; PRAGMA foreign_keys = ON; "
                      "PRAGMA temp_store = MEMORY",
                      nullptr, nullptr, nullptr);
}

// Once the file is known to be ours: WAL commits without fsync (a crash can
// lose the last commits, never corrupt the file).
inline int configure_durability(sqlite3* h) noexcept {
  return sqlite3_exec(h, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
}

}  // namespace layoffs::detail
