// Regression (found in review, fixed): after SQLite itself ended a bulk_load transaction
// (out of memory), the next keyed record() drops layoff_event's indexes in
// autocommit mode, i.e. permanently, outside any transaction.
#include <string>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "fault_hooks.h"
#include "fault_util.h"

namespace layoffs::fault {
namespace {

TEST(FaultBulkLoad, AbortedBulkTransactionNeverDropsIndexesOutsideIt) {
  install_hooks();
  disarm_io();
  disarm_oom();
  TempDir dir;
  int aborted_runs = 0, broken_runs = 0;
  std::string last_error;
  for (std::int64_t n = 1; n <= 400; ++n) {
    const std::string path = dir.file("b" + std::to_string(n) + ".db");
    {
      Tracker t = Tracker::open(path, {.bulk_load_min_events = 1});
      const CompanyId acme = t.add_company({.name = "Acme"});
      const auto ev = [&](int i) {
        return NewEvent{.company = acme,
                        .announced_on = Date::ymd(2023, 1, 1).plus_days(i),
                        .headcount = Headcount::exact(10 + i),
                        .key = "k" + std::to_string(i)};
      };
      bool failed = false;
      std::string record_error;
      try {
        t.transaction(
            [&] {
              t.record(ev(0));  // recorded = 1 = threshold
              arm_oom(n);
              try {
                (void)t.ensure_company({.name = "Globex"});
              } catch (const Error&) {
                failed = true;
              }
              disarm_oom();
              if (!failed)
                return;
              // The caller may go on: this write must fail and change nothing.
              try {
                (void)t.record(ev(1));
              } catch (const Error& e) {
                record_error = e.what();
              }
              throw std::runtime_error("give up");
            },
            Workload::bulk_load);
      } catch (const std::exception&) {
      }
      disarm_oom();
      if (!failed)
        continue;
      last_error = record_error;
    }
    ++aborted_runs;
    const std::int64_t idx =
        raw_int(path,
                "SELECT count(*) FROM sqlite_schema WHERE type='index' AND tbl_name='layoff_event' "
                "AND sql IS NOT NULL");
    if (idx != 6) {  // 3 of migration 0001/0002, 3 of 0003
      ++broken_runs;
      if (broken_runs == 1) {
        ADD_FAILURE() << "n=" << n << ": layoff_event has " << idx
                      << " indexes after a rolled-back bulk transaction (expected 6); "
                      << "the record() after the failure threw: " << last_error;
      }
    }
  }
  std::cout << "runs with an injected failure: " << aborted_runs
            << ", runs leaving the file without its indexes: " << broken_runs << "\n";
  EXPECT_EQ(broken_runs, 0);
}

}  // namespace
}  // namespace layoffs::fault

namespace layoffs::fault {
namespace {

// After a bulk_load transaction that dropped the indexes is rolled back,
// SQLite expires every prepared statement (the rollback undid a schema
// change), including the ROLLBACK TxState prepared at open; nothing prepares
// it again. A later, ordinary write that fails under persistent OOM then
// cannot roll back and keeps the write lock.
int lock_kept_runs(bool defer_first) {
  TempDir dir;
  int kept = 0;
  for (std::int64_t n = 1; n <= 300; n += 3) {
    const std::string path = dir.file("l" + std::to_string(n) + ".db");
    Tracker t = Tracker::open(path, {.bulk_load_min_events = 1});
    const CompanyId acme = t.add_company({.name = "Acme"});
    const auto ev = [&](int i) {
      return NewEvent{.company = acme,
                      .announced_on = Date::ymd(2023, 1, 1).plus_days(i),
                      .headcount = Headcount::exact(10 + i),
                      .departments = {"Dept" + std::to_string(i)},
                      .key = "k" + std::to_string(i)};
    };
    try {
      t.transaction(
          [&] {
            t.record(ev(0));
            t.record(ev(1));  // drops the indexes when defer_first
            throw std::runtime_error("undo");
          },
          defer_first ? Workload::bulk_load : Workload::normal);
    } catch (const std::exception&) {
    }
    arm_oom(n, /*persistent=*/true);
    bool threw = false;
    try {
      (void)t.record(ev(2));  // an ordinary write, its own transaction
    } catch (const Error&) {
      threw = true;
    }
    disarm_oom();
    if (threw && !raw_can_write(path)) {
      ++kept;
    }
  }
  return kept;
}

TEST(FaultBulkLoad, ARolledBackDeferralLeavesLaterWritesUnableToRollBack) {
  install_hooks();
  disarm_io();
  disarm_oom();
  EXPECT_EQ(lock_kept_runs(false), 0) << "control: normal transaction rolled back first";
  EXPECT_EQ(lock_kept_runs(true), 0) << "after a rolled-back bulk_load deferral";
}

}  // namespace
}  // namespace layoffs::fault
