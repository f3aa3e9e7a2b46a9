// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Disk full (issue 4, section 3). PRAGMA max_page_count is per connection and
// the library's connection is not ours to configure, so the fault VFS plays
// the disk instead: a write that would grow a database's files past a limit
// fails with SQLITE_FULL. The error must be ErrorCode::disk_full, what was
// committed before must be intact, and the Tracker must write again once
// there is room.
#include <memory>
#include <optional>
#include <string>

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "fault_hooks.h"
#include "fault_util.h"

#ifdef LAYOFFS_FAULT_HAVE_IO
#include <import.h>
#endif

namespace layoffs::fault {
namespace {

// Run n gets room for (n - 1) * step more bytes than the database takes when
// the fault is armed: n = 1 lets no file grow at all, and the last n leaves
// room for everything the fault-free run wrote.
Injector full_injector(const std::string& db_path, std::int64_t step) {
  auto base = std::make_shared<std::int64_t>(0);
  return {"disk limit +" + std::to_string(step) + " B steps",
          [=](std::int64_t n) {
            reset_disk_stats();
            *base = disk_usage(db_path);
            if (n == 0) {
              set_disk_limit(std::nullopt);
            } else {
              set_disk_limit(*base + (n - 1) * step);
            }
          },
          [] { set_disk_limit(std::nullopt); },
          [=]() -> std::int64_t {
            const std::int64_t grown = disk_peak() - *base;
            return grown <= 0 ? 0 : (grown + step - 1) / step + 1;
          },
          [] { return disk_full_injected(); }};
}

class FaultFull : public ::testing::Test {
 protected:
  void SetUp() override {
    install_hooks();
    disarm_io();
    disarm_oom();
    set_disk_limit(std::nullopt);
    baseline_ = make_baseline(dir_.file("baseline.db"));
  }
  void TearDown() override { set_disk_limit(std::nullopt); }

  // Every error the loop saw must be disk_full.
  static void expect_only_disk_full(const LoopStats& s) {
    for (const auto& [code, n] : s.codes) {
      EXPECT_EQ(code, ErrorCode::disk_full) << n << " runs failed with " << to_string(code);
    }
    EXPECT_GT(s.failed, 0) << "the disk never filled up";
  }

  void loop(const std::string& name, const Operation& operation, std::int64_t step) {
    const LoopStats s = run_loop(baseline_, dir_.str(), name, operation,
                                 full_injector(loop_db(dir_.str()), step), 400, false);
    report(s);
    expect_only_disk_full(s);
  }

  // An event of its own for every i, with a long note so the disk fills
  // in a few dozen events rather than thousands.
  static NewEvent numbered_event(CompanyId company, int i) {
    return {.company = company,
            .announced_on = Date::ymd(2000 + i / 336 % 20, static_cast<unsigned>(1 + i / 28 % 12),
                                      static_cast<unsigned>(1 + i % 28)),
            .headcount = Headcount::exact(10 + i),
            .sources = {{.url = "https://example.com/full/" + std::to_string(i)}},
            .notes = std::string(1500, 'x'),
            .key = "full-" + std::to_string(i)};
  }

  TempDir dir_;
  Baseline baseline_;
};

TEST_F(FaultFull, RecordUntilFull) {
  const std::string path = dir_.file("fill.db");
  copy_db(baseline_.path, path);
  // Optional, to close it (checkpointing the WAL) before the last checks.
  std::optional<Tracker> t(Tracker::open(path));
  const std::int64_t events_before = t->count_events();

  // Room for a few dozen events, then a full disk.
  set_disk_limit(disk_usage(path) + 1024 * 1024);
  std::vector<EventId> ids;
  std::optional<Error> full;
  for (int i = 0; i < 10'000 && !full; ++i) {
    try {
      ids.push_back(t->record(numbered_event(baseline_.globex, i)));
    } catch (const Error& e) {
      full = e;
    }
  }
  ASSERT_TRUE(full.has_value()) << "the disk never filled up";
  EXPECT_EQ(full->code(), ErrorCode::disk_full) << full->what();
  EXPECT_EQ(full->sqlite_code() & 0xff, SQLITE_FULL) << full->what();
  ASSERT_GT(ids.size(), 3u) << "the limit left no room at all";
  std::printf("[ fault    ] record until full: %zu events fit, then %s\n", ids.size(),
              full->what());

  // Everything committed before is there, through the Tracker and on disk.
  const std::string when_full = logical_dump(path);
  const auto committed = events_before + static_cast<std::int64_t>(ids.size());
  EXPECT_EQ(t->count_events(), committed);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM layoff_event"), committed);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(t->event(ids[i]).key, "full-" + std::to_string(i));
  }
  EXPECT_EQ(integrity(path), "ok");
  EXPECT_TRUE(raw_can_write(path)) << "the Tracker still holds the write lock";

  // Still full: the next write fails the same way and changes nothing.
  try {
    t->record(numbered_event(baseline_.globex, 9999));
    ADD_FAILURE() << "a write succeeded on a full disk";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::disk_full) << e.what();
  }
  EXPECT_EQ(state_diff(when_full, logical_dump(path)), "");

  // Room again: the same Tracker writes, and a fresh one sees it all.
  set_disk_limit(std::nullopt);
  const EventId after = t->record(numbered_event(baseline_.globex, static_cast<int>(ids.size())));
  EXPECT_EQ(t->event(after).key, "full-" + std::to_string(ids.size()));
  EXPECT_EQ(t->count_events(), committed + 1);
  t.reset();
  EXPECT_EQ(integrity(path), "ok");
  Tracker fresh = Tracker::open(path);
  EXPECT_EQ(fresh.count_events(), committed + 1);
  fresh.record(numbered_event(baseline_.globex, 10'000));
}

TEST_F(FaultFull, BatchIsAllOrNothing) {
  const std::string path = dir_.file("batch.db");
  copy_db(baseline_.path, path);
  Tracker t = Tracker::open(path);
  std::vector<NewEvent> batch;
  for (int i = 0; i < 100; ++i) {
    batch.push_back(numbered_event(baseline_.globex, i));
  }
  set_disk_limit(disk_usage(path) + 64 * 1024);  // room for a few of them only
  try {
    t.record_batch(batch);
    ADD_FAILURE() << "a 100-event batch fit into 64 KiB";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::disk_full) << e.what();
  }
  EXPECT_EQ(state_diff(baseline_.dump, logical_dump(path)), "");
  EXPECT_EQ(t.count_events(), 3);
  EXPECT_EQ(integrity(path), "ok");
  set_disk_limit(std::nullopt);
  EXPECT_EQ(t.record_batch(batch).size(), 100u);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM layoff_event"), 103);
}

// The limit swept in small steps across everything each operation writes.

TEST_F(FaultFull, Record) {
  loop(
      "record",
      [this](Tracker& t) { return std::to_string(t.record(rich_event(baseline_)).value()); }, 512);
}

TEST_F(FaultFull, RecordBatch) {
  loop(
      "record_batch",
      [this](Tracker& t) {
        std::string s;
        for (const EventId id : t.record_batch(batch_events(baseline_))) {
          s += std::to_string(id.value()) + " ";
        }
        return s;
      },
      512);
}

#ifdef LAYOFFS_FAULT_HAVE_IO
TEST_F(FaultFull, Import) {
  const std::string csv = dir_.file("layoffs.csv");
  write_text(csv, layoffsfyi_csv(true));
  loop(
      "io::import_file skip_bad",
      [&](Tracker& t) {
        io::ImportOptions options;
        options.skip_bad = true;
        const io::ImportSummary s = io::import_file(t, csv, options);
        return std::to_string(s.imported) + " " + std::to_string(s.rejected);
      },
      512);
}
#endif

#ifdef LAYOFFS_FAULT_HAVE_IO
TEST_F(FaultFull, ImportBulkLoad) {
  const ScopedLoopOptions bulk(bulk_options());
  const std::string csv = dir_.file("layoffs.csv");
  write_text(csv, layoffsfyi_csv(false));
  loop(
      "io::import_file (bulk)",
      [&](Tracker& t) {
        const io::ImportSummary s = io::import_file(t, csv);
        return std::to_string(s.imported) + " " + std::to_string(s.duplicates);
      },
      512);
}
#endif

TEST_F(FaultFull, Migrate) {
  const LoopStats s =
      run_open_loop("", dir_.str(), full_injector(open_loop_db(dir_.str()), 4096), 300, false);
  report(s);
  expect_only_disk_full(s);
}

TEST_F(FaultFull, CloseCheckpoint) {
  // Enough new rows that the checkpoint has to grow the file itself.
  std::vector<NewEvent> batch;
  for (int i = 0; i < 60; ++i) {
    batch.push_back(numbered_event(baseline_.globex, i));
  }
  const LoopStats s =
      run_close_loop(baseline_, dir_.str(), full_injector(close_loop_db(dir_.str()), 4096), 300,
                     false, [&](Tracker& t) { t.record_batch(batch); });
  report(s);
  EXPECT_GT(s.injected_runs, 0);
}

}  // namespace
}  // namespace layoffs::fault
