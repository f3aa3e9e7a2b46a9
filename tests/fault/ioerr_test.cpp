// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// I/O errors (issue 4, section 3): the fault VFS fails the Nth read, write,
// sync, truncate, size query or lock, once or from then on, for every N the
// operation reaches. Each run must end with the operation complete or a
// layoffs::Error, the file exactly as before (or as after, if it completed)
// and sound, and the Tracker still working.
#include <string>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "fault_hooks.h"
#include "fault_util.h"

#ifdef LAYOFFS_FAULT_HAVE_IO
#include <import.h>
#endif

namespace layoffs::fault {
namespace {

Injector io_injector(IoOp op, bool persistent) {
  return {std::string(to_string(op)) + (persistent ? "/persistent" : "/once"),
          [op, persistent](std::int64_t n) {
            if (n == 0) {
              count_io();
            } else {
              arm_io(op, n, persistent);
            }
          },
          [] { disarm_io(); }, [op] { return io_calls(op); }, [] { return io_injected(); }};
}

class FaultIoErr : public ::testing::Test {
 protected:
  void SetUp() override {
    install_hooks();
    disarm_io();
    disarm_oom();
    set_disk_limit(std::nullopt);
    baseline_ = make_baseline(dir_.file("baseline.db"));
  }
  void TearDown() override { disarm_io(); }

  // Every kind, once and persistent. A loop over a kind the operation never
  // calls is reported as such and costs nothing.
  void loop_all(const std::string& name, const Operation& operation, int max_runs,
                const ExpectedState& expected = {}) {
    int injected = 0;
    for (const IoOp op : kAllIoOps) {
      for (const bool persistent : {false, true}) {
        const LoopStats s = run_loop(baseline_, dir_.str(), name, operation,
                                     io_injector(op, persistent), max_runs, false, expected);
        report(s);
        injected += s.injected_runs;
      }
    }
    EXPECT_GT(injected, 0) << "no fault was ever injected into " << name;
  }

  TempDir dir_;
  Baseline baseline_;
};

std::string ids(const std::vector<EventId>& v) {
  std::string s;
  for (const EventId id : v) {
    s += std::to_string(id.value()) + " ";
  }
  return s;
}

TEST_F(FaultIoErr, Record) {
  const NewEvent event = rich_event(baseline_);
  loop_all(
      "record", [&](Tracker& t) { return std::to_string(t.record(event).value()); }, 400);
}

TEST_F(FaultIoErr, RecordBatch) {
  const std::vector<NewEvent> events = batch_events(baseline_);
  loop_all(
      "record_batch", [&](Tracker& t) { return ids(t.record_batch(events)); }, 400);
}

TEST_F(FaultIoErr, TransactionWithFailedWriteInside) {
  // A caller's transaction in which one write fails validation and is
  // skipped (its savepoint rolled back) while the others commit.
  const NewEvent good = rich_event(baseline_);
  NewEvent bad = follow_up_event(baseline_, 7);
  bad.includes = {EventId(9999)};
  loop_all(
      "transaction{record, bad record, record}",
      [&](Tracker& t) {
        std::string out;
        t.transaction([&] {
          out += std::to_string(t.record(good).value());
          try {
            t.record(bad);
          } catch (const Error& e) {
            if (e.code() != ErrorCode::not_found) {
              throw;  // a fault, not the validation error: fail the whole
            }
          }
          out += " " + std::to_string(t.record(follow_up_event(baseline_, 8)).value());
        });
        return out;
      },
      400);
}

// Regression (was a library bug, fixed): Tracker::transaction promises that a failed write inside
// rolls back alone and `work` may catch it and go on. But on SQLITE_IOERR
// SQLite rolls back the whole transaction itself (sqlite3VdbeHalt, "special
// errors"). The failed write's savepoint (WriteTransaction::~WriteTransaction,
// lib/sqlite_util.cpp) sees autocommit and returns quietly, so `work` goes on
// outside any transaction: each later write's SAVEPOINT starts a transaction
// of its own that RELEASE commits at once, the writes before the failure are
// lost, and WriteTransaction::commit() finally throws ErrorCode::database
// ("cannot commit - no transaction is active"). The caller is told nothing
// was committed while the later writes are on disk. One failed xRead in
// record 1 (N = 1..19): records 2 and 3 are committed, each on its own. In
// record 3 (N = 20): records 1 and 2 are undone after returning ids 4 and 5,
// and transaction() reports database, not io_error.
TEST_F(FaultIoErr, TransactionCatchingFailedWrites) {
  loop_all(
      "transaction{try record x3}", [&](Tracker& t) { return catching_transaction(t, baseline_); },
      400, catching_transaction_states(baseline_, dir_.str()));
}

#ifdef LAYOFFS_FAULT_HAVE_IO
std::string summary(const io::ImportSummary& s) {
  return std::to_string(s.rows_read) + " " + std::to_string(s.imported) + " " +
         std::to_string(s.duplicates) + " " + std::to_string(s.already_present) + " " +
         std::to_string(s.rejected);
}

TEST_F(FaultIoErr, Import) {
  const std::string csv = dir_.file("layoffs.csv");
  write_text(csv, layoffsfyi_csv(false));
  loop_all(
      "io::import_file", [&](Tracker& t) { return summary(io::import_file(t, csv)); }, 200);
}

// The same with the indexes dropped after the third row (bulk_load) and
// built again before the commit: the rebuild fails too, never commits
// without them.
TEST_F(FaultIoErr, ImportBulkLoad) {
  const ScopedLoopOptions bulk(bulk_options());
  const std::string csv = dir_.file("layoffs.csv");
  write_text(csv, layoffsfyi_csv(false));
  loop_all(
      "io::import_file (bulk)", [&](Tracker& t) { return summary(io::import_file(t, csv)); }, 200);
}

TEST_F(FaultIoErr, ImportSkipBad) {
  const std::string csv = dir_.file("layoffs.csv");
  write_text(csv, layoffsfyi_csv(true));
  io::ImportOptions options;
  options.skip_bad = true;
  options.rejects_path = dir_.file("rejects.csv");
  loop_all(
      "io::import_file skip_bad",
      [&](Tracker& t) { return summary(io::import_file(t, csv, options)); }, 200);
}
#endif

TEST_F(FaultIoErr, Migrate) {
  int injected = 0;
  for (const IoOp op : kAllIoOps) {
    for (const bool persistent : {false, true}) {
      const LoopStats s = run_open_loop("", dir_.str(), io_injector(op, persistent), 300, false);
      report(s);
      injected += s.injected_runs;
    }
  }
  EXPECT_GT(injected, 0);
}

TEST_F(FaultIoErr, OpenExisting) {
  int injected = 0;
  for (const IoOp op : kAllIoOps) {
    for (const bool persistent : {false, true}) {
      const LoopStats s =
          run_open_loop(baseline_.path, dir_.str(), io_injector(op, persistent), 300, false);
      report(s);
      injected += s.injected_runs;
    }
  }
  EXPECT_GT(injected, 0);
}

TEST_F(FaultIoErr, OpenAfterCrash) {
  const std::string crashed = make_crash_snapshot(baseline_, dir_.file("crashed.db"));
  int injected = 0;
  for (const IoOp op : kAllIoOps) {
    for (const bool persistent : {false, true}) {
      const LoopStats s =
          run_open_loop(crashed, dir_.str(), io_injector(op, persistent), 300, false);
      report(s);
      injected += s.injected_runs;
    }
  }
  EXPECT_GT(injected, 0);
}

TEST_F(FaultIoErr, CloseCheckpoint) {
  int injected = 0;
  for (const IoOp op : kAllIoOps) {
    for (const bool persistent : {false, true}) {
      const LoopStats s =
          run_close_loop(baseline_, dir_.str(), io_injector(op, persistent), 300, false);
      report(s);
      injected += s.injected_runs;
    }
  }
  EXPECT_GT(injected, 0);
}

}  // namespace
}  // namespace layoffs::fault
