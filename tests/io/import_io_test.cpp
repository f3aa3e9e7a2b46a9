// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// What an import asks of the disk. A VFS shim around the default one counts
// every file SQLite opens and every write, by the kind of file (main
// database, WAL, statement/savepoint sub-journal, sort temporaries, ...).
//
// The regression this pins (issue 12): an import ran in one transaction
// with temp_store=FILE, so the sub-journal of each row's savepoint spilled to
// a temporary file once it passed 64 KiB, and from then on every page each
// row touched was written there first: 14,676 pwrite64 calls for the
// 2,361-row layoffs.fyi file (6 a row; 23 a row for a 4,277-row file), 95%
// of all the import's system calls. Savepoint journals now stay in memory;
// only the index builds of a bulk load sort on disk.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <layoffs/layoffs.h>

#include "import.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

enum Kind { main_db, main_journal, wal, subjournal, temp_journal, temp_db, other, kinds };

const char* kind_name(int k) {
  static const std::array<const char*, kinds> names = {
      "main db", "main journal", "WAL", "sub-journal", "temp journal (sorts)", "temp db", "other"};
  return names.at(static_cast<std::size_t>(k));
}

Kind kind_of(int flags) {
  if (flags & SQLITE_OPEN_MAIN_DB)
    return main_db;
  if (flags & SQLITE_OPEN_MAIN_JOURNAL)
    return main_journal;
  if (flags & SQLITE_OPEN_WAL)
    return wal;
  if (flags & SQLITE_OPEN_SUBJOURNAL)
    return subjournal;
  if (flags & SQLITE_OPEN_TEMP_JOURNAL)
    return temp_journal;
  if (flags & (SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TRANSIENT_DB))
    return temp_db;
  return other;
}

struct Counts {
  std::array<std::atomic<long>, kinds> opens{};
  std::array<std::atomic<long>, kinds> writes{};
  long total_writes() const {
    long n = 0;
    for (const auto& w : writes)
      n += w.load();
    return n;
  }
  std::string describe() const {
    std::string s;
    for (int k = 0; k < kinds; ++k) {
      s += std::string(kind_name(k)) + ": " + std::to_string(opens[static_cast<std::size_t>(k)]) +
           " opened, " + std::to_string(writes[static_cast<std::size_t>(k)]) + " writes\n";
    }
    return s;
  }
};

Counts g_counts;
sqlite3_vfs* g_base = nullptr;

struct File {
  sqlite3_file base;  // first: SQLite sees this
  Kind kind;
  sqlite3_file* real;  // the base VFS's file, allocated right after this struct
};

sqlite3_file* real(sqlite3_file* f) {
  return reinterpret_cast<File*>(f)->real;
}

int x_close(sqlite3_file* f) {
  return real(f)->pMethods->xClose(real(f));
}
int x_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
  return real(f)->pMethods->xRead(real(f), p, n, off);
}
int x_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
  ++g_counts.writes[static_cast<std::size_t>(reinterpret_cast<File*>(f)->kind)];
  return real(f)->pMethods->xWrite(real(f), p, n, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real(f)->pMethods->xTruncate(real(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  return real(f)->pMethods->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real(f)->pMethods->xFileSize(real(f), size);
}
int x_lock(sqlite3_file* f, int l) {
  return real(f)->pMethods->xLock(real(f), l);
}
int x_unlock(sqlite3_file* f, int l) {
  return real(f)->pMethods->xUnlock(real(f), l);
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int x_sector_size(sqlite3_file* f) {
  return real(f)->pMethods->xSectorSize(real(f));
}
int x_device_characteristics(sqlite3_file* f) {
  return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int x_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  return real(f)->pMethods->xShmMap(real(f), pg, sz, extend, p);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
  real(f)->pMethods->xShmBarrier(real(f));
}
int x_shm_unmap(sqlite3_file* f, int del) {
  return real(f)->pMethods->xShmUnmap(real(f), del);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** p) {
  return real(f)->pMethods->xFetch(real(f), off, n, p);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return real(f)->pMethods->xUnfetch(real(f), off, p);
}

// Version 3 methods; a real file of an older version gets its own version
// (SQLite then calls none of the newer methods).
sqlite3_io_methods g_methods[4];

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  File* file = reinterpret_cast<File*>(f);
  file->base.pMethods = nullptr;
  file->kind = kind_of(flags);
  file->real = reinterpret_cast<sqlite3_file*>(file + 1);
  const int rc = g_base->xOpen(g_base, name, file->real, flags, out_flags);
  if (file->real->pMethods != nullptr) {
    ++g_counts.opens[static_cast<std::size_t>(file->kind)];
    const int v = std::min(file->real->pMethods->iVersion, 3);
    file->base.pMethods = &g_methods[v];
  }
  return rc;
}

sqlite3_vfs g_vfs;

// Makes the counting VFS the default for the connections opened during its
// life (the library opens its connections with the default VFS).
class CountingVfs {
 public:
  CountingVfs() {
    g_base = sqlite3_vfs_find(nullptr);
    for (int v = 1; v <= 3; ++v) {
      sqlite3_io_methods& m = g_methods[v];
      m = sqlite3_io_methods{};
      m.iVersion = v;
      m.xClose = x_close;
      m.xRead = x_read;
      m.xWrite = x_write;
      m.xTruncate = x_truncate;
      m.xSync = x_sync;
      m.xFileSize = x_file_size;
      m.xLock = x_lock;
      m.xUnlock = x_unlock;
      m.xCheckReservedLock = x_check_reserved_lock;
      m.xFileControl = x_file_control;
      m.xSectorSize = x_sector_size;
      m.xDeviceCharacteristics = x_device_characteristics;
      if (v >= 2) {
        m.xShmMap = x_shm_map;
        m.xShmLock = x_shm_lock;
        m.xShmBarrier = x_shm_barrier;
        m.xShmUnmap = x_shm_unmap;
      }
      if (v >= 3) {
        m.xFetch = x_fetch;
        m.xUnfetch = x_unfetch;
      }
    }
    g_vfs = *g_base;  // every other method is the base VFS's own
    g_vfs.zName = "layoffs_counting";
    g_vfs.pNext = nullptr;
    g_vfs.szOsFile = static_cast<int>(sizeof(File)) + g_base->szOsFile;
    g_vfs.xOpen = x_open;
    reset();
    EXPECT_EQ(sqlite3_vfs_register(&g_vfs, 1), SQLITE_OK);
  }
  ~CountingVfs() {
    sqlite3_vfs_register(g_base, 1);
    sqlite3_vfs_unregister(&g_vfs);
  }
  CountingVfs(const CountingVfs&) = delete;
  CountingVfs& operator=(const CountingVfs&) = delete;
  static void reset() {
    for (int k = 0; k < kinds; ++k) {
      g_counts.opens[static_cast<std::size_t>(k)] = 0;
      g_counts.writes[static_cast<std::size_t>(k)] = 0;
    }
  }
  static const Counts& counts() { return g_counts; }
};

const std::string kFyiFile = std::string(LAYOFFS_SHARED_DATA_DIR) + "/layoffs_fyi_2020_2023.csv";

long sub_journal_writes() {
  return CountingVfs::counts().writes[subjournal] + CountingVfs::counts().writes[temp_journal];
}

// The real layoffs.fyi file, imported as a user would (skip_bad: it has one
// bad row), into a new database: one transaction of savepoints, one a row.
TEST(ImportIo, RealFileWritesNoSavepointJournalToDisk) {
  CountingVfs vfs;
  TempDir dir;
  io::ImportSummary s;
  {
    Tracker t = Tracker::open(dir.file("t.db"));
    CountingVfs::reset();  // what the import alone writes
    io::ImportOptions o;
    o.skip_bad = true;
    s = io::import_file(t, kFyiFile, o);
  }
  ASSERT_GT(s.imported, 2000);
  const Counts& c = CountingVfs::counts();
  // Its statement and savepoint journals stayed in memory.
  EXPECT_EQ(c.opens[subjournal], 0) << c.describe();
  EXPECT_EQ(sub_journal_writes(), 0) << c.describe();
  // What remains is the WAL, the checkpoint into the main file and the
  // wal-index: well under one write per row (6.5 a row before).
  EXPECT_LT(c.total_writes(), s.rows_read / 2) << c.describe();
  EXPECT_GT(c.writes[wal], 0) << c.describe();
}

// The same with the indexes dropped after the first row and built again
// before the commit: the savepoints of the rows in between and the
// statement journal of CREATE UNIQUE INDEX also stay in memory.
TEST(ImportIo, BulkLoadWithDeferredIndexesWritesNoSavepointJournalToDisk) {
  CountingVfs vfs;
  TempDir dir;
  io::ImportSummary s;
  std::string content;
  {
    Tracker t = Tracker::open(dir.file("t.db"), {.bulk_load_min_events = 1});
    CountingVfs::reset();
    io::ImportOptions o;
    o.skip_bad = true;
    s = io::import_file(t, kFyiFile, o);
  }
  ASSERT_GT(s.imported, 2000);
  const Counts& c = CountingVfs::counts();
  EXPECT_EQ(c.opens[subjournal], 0) << c.describe();
  EXPECT_EQ(c.writes[subjournal], 0) << c.describe();
  EXPECT_LT(c.total_writes(), s.rows_read / 2) << c.describe();
  // The indexes are back: as many as a new database of the same schema has
  // (a number fixed here went stale when migration 0003 added three).
  const std::string indexes =
      "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
      "tbl_name = 'layoff_event' AND sql IS NOT NULL";
  { Tracker fresh = Tracker::open(dir.file("fresh.db")); }
  const auto expected = query(dir.file("fresh.db"), indexes);
  EXPECT_NE(expected, std::vector<std::string>{"0|"});
  EXPECT_EQ(query(dir.file("t.db"), indexes), expected);
}

// The temp_store the bulk load sets for its index builds does not outlive
// them: a later transaction's savepoints stay in memory as well.
TEST(ImportIo, LaterTransactionsKeepTheirJournalsInMemory) {
  CountingVfs vfs;
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"), {.bulk_load_min_events = 1});
  io::ImportOptions o;
  o.skip_bad = true;
  io::import_file(t, kFyiFile, o);
  CountingVfs::reset();
  const CompanyId company = t.ensure_company({.name = "Io Test Corp"});
  t.transaction([&] {
    for (int i = 0; i < 300; ++i) {
      NewEvent e;
      e.company = company;
      e.announced_on = Date::parse("2023-02-01");
      e.headcount = Headcount::parse(std::to_string(1 + i));
      e.sources.push_back({.url = "https://news.example/io/" + std::to_string(i)});
      e.key = "io-test-" + std::to_string(i);
      t.record(e);
    }
  });
  EXPECT_EQ(CountingVfs::counts().opens[subjournal], 0) << CountingVfs::counts().describe();
  EXPECT_EQ(CountingVfs::counts().writes[subjournal], 0) << CountingVfs::counts().describe();
}

}  // namespace
}  // namespace layoffs::test
