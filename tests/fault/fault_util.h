// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// What the fault loops share: scratch files, a logical dump read through a
// plain sqlite3 connection (never the library, whose state is under test),
// the sample data, and the loop driver for writes on an open Tracker.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <layoffs/layoffs.h>

namespace layoffs::fault {

// A fresh directory, removed with its contents when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Removes a database and its -wal, -shm and -journal.
void remove_db(const std::string& path);
// Copies a database and its -wal, if any, to `to`, replacing it. The
// source must not be open.
void copy_db(const std::string& from, const std::string& to);
void write_text(const std::string& path, const std::string& text);

// The logical content of a database, read through a fresh raw connection:
// user_version, application_id, the schema and every row of every table.
// Timestamps the database fills in itself (created_at, updated_at,
// applied_at) are masked, so two runs of the same writes compare equal.
// "<absent>" if the file does not exist; an empty file dumps like a new one.
std::string logical_dump(const std::string& path);
// "" if two dumps are the same, else the lines missing ("- ") and extra
// ("+ "): a short message instead of two whole dumps.
std::string state_diff(const std::string& expected, const std::string& actual);
// PRAGMA integrity_check and foreign_key_check through a raw connection:
// "ok" when both are clean, else what they (or the open) reported.
std::string integrity(const std::string& path);
// Whether a raw connection can take the write lock at once (BEGIN IMMEDIATE
// without waiting), i.e. no other connection is left inside a write.
bool raw_can_write(const std::string& path);
// All of the above through one raw connection (each open parses the whole
// schema, which is most of what a fault loop costs), plus the number of
// events (-1 if unreadable).
struct FileState {
  std::string dump;
  std::string integrity;
  bool can_write = false;
  std::int64_t events = -1;
};
FileState inspect(const std::string& path);
// Runs SQL through a raw connection (no busy wait); true if it succeeded.
bool raw_exec(const std::string& path, const std::string& sql);
// One integer from a raw connection.
std::int64_t raw_int(const std::string& path, const std::string& sql);

// ---- Sample data -------------------------------------------------------

// A small database to start each iteration from: three companies (one a
// subsidiary), three events with departments, reasons and sources.
struct Baseline {
  std::string path;
  CompanyId acme, acme_cloud, globex;
  EventId acme_nov, cloud_march, globex_may;
  std::string dump;  // logical_dump(path)
};
Baseline make_baseline(const std::string& path);

// A copy of the baseline as a killed writer leaves it: rich_event() is
// committed in the -wal only, and there is no -shm, so the next open must
// recover the WAL. Returns `path`.
std::string make_crash_snapshot(const Baseline& b, const std::string& path);

// An event that touches every child table: includes a baseline event, adds a
// new department, reason and source and reuses existing ones.
NewEvent rich_event(const Baseline& b);
// Four events for record_batch, over all three companies.
std::vector<NewEvent> batch_events(const Baseline& b);
// The i-th write after a fault, distinct from everything else.
NewEvent follow_up_event(const Baseline& b, int i);
// A layoffs.fyi CSV: new and existing companies, a repeated row and, with
// `with_bad_row`, a row with an impossible date.
std::string layoffsfyi_csv(bool with_bad_row);

// ---- The loop ------------------------------------------------------------

// One way of injecting faults: arm(n) fails the nth call (0: count only).
struct Injector {
  std::string name;  // "write/once", "malloc/persistent", ...
  std::function<void(std::int64_t nth)> arm;
  std::function<void()> disarm;
  std::function<std::int64_t()> calls;     // calls counted since arm
  std::function<std::int64_t()> injected;  // failures injected since arm
};

// What one loop did, for the report.
struct LoopStats {
  std::string operation;
  std::string injector;
  std::int64_t calls = 0;  // calls the operation makes when nothing fails
  std::int64_t first = 0, last = 0, step = 1;
  int runs = 0;
  int injected_runs = 0;  // runs in which a fault was injected
  int failed = 0;         // ... the operation threw layoffs::Error
  int completed = 0;      // ... it completed anyway (SQLite recovered)
  int follow_up_failed = 0;
  std::map<ErrorCode, int> codes;
  int lock_kept = 0;  // see loop_lock_kept_until_next_call
  std::string note;   // anything else worth reporting
  std::string to_string() const;
};

// A write (or read) on an open Tracker. Returns a fingerprint of its result
// (ids, a summary, a total), compared with the fault-free run when it
// completes.
using Operation = std::function<std::string(Tracker&)>;
// For operations whose complete result may legitimately vary under faults
// (a caller's transaction that skips the writes that failed): the state the
// file must hold after the operation completed with this result.
using ExpectedState = std::function<std::string(const std::string& result)>;

// A caller's transaction of three records, each in its own try/catch as
// Tracker::transaction allows ("a failed write rolls back alone and work may
// go on"). Returns which records succeeded, e.g. "101"; throws if the
// transaction as a whole failed.
std::string catching_transaction(Tracker& t, const Baseline& b);
// The state a committed catching_transaction() with that result must leave:
// the baseline plus exactly the records that succeeded (computed without
// faults on a scratch copy in `work_dir`, once per result).
ExpectedState catching_transaction_states(const Baseline& b, const std::string& work_dir);

// For n = 1, 1 + step, ... up to the number of calls the operation makes
// without faults (step chosen so there are at most `max_runs` runs): copies
// the baseline, opens a Tracker, arms the nth fault, runs the operation, and
// checks that it completed or threw layoffs::Error (nothing else); that the
// file holds exactly the state before or, if it completed, the state after;
// integrity_check; that no write lock is left held; that the Tracker reads
// what is on disk, including a commit another connection makes afterwards;
// and that a following write works (on the same Tracker, or if that fails
// once, on a fresh one; failing twice means stuck). With
// `check_leaks`, SQLite's live allocations must be back where they were
// once everything is closed.
// The Options run_loop opens its Trackers with (a test may change them and
// must restore the defaults).
extern Options loop_options;
// Set by a test whose operation changes the schema in its transaction (a
// bulk_load that drops and builds indexes): every schema change expires the
// ROLLBACK statement prepared at open, and preparing it again needs memory.
// When allocations keep failing right after a schema change, the failed
// operation's transaction stays open (holding the write lock) until the
// Tracker's next call rolls it back. With this set, run_loop counts such
// runs (LoopStats::lock_kept) instead of failing them; the next call must
// still release the lock and write (checked as always).
extern bool loop_lock_kept_until_next_call;
struct ScopedLoopOptions {
  explicit ScopedLoopOptions(const Options& options, bool lock_kept_until_next_call = false) {
    loop_options = options;
    loop_lock_kept_until_next_call = lock_kept_until_next_call;
  }
  ~ScopedLoopOptions() {
    loop_options = Options{};
    loop_lock_kept_until_next_call = false;
  }
  ScopedLoopOptions(const ScopedLoopOptions&) = delete;
  ScopedLoopOptions& operator=(const ScopedLoopOptions&) = delete;
};
// Options under which an import of layoffsfyi_csv() drops layoff_event's
// indexes after its first rows (Workload::bulk_load) and builds them again
// before its commit.
inline Options bulk_options() {
  Options o;
  o.bulk_load_min_events = 1;
  return o;
}
LoopStats run_loop(const Baseline& baseline, const std::string& work_dir,
                   const std::string& operation_name, const Operation& operation,
                   const Injector& injector, int max_runs, bool check_leaks,
                   const ExpectedState& expected = {});

// The database file each loop works on, inside its work_dir (an injector
// that needs the path, like a disk limit relative to the file's size, uses
// these).
std::string loop_db(const std::string& work_dir);
std::string open_loop_db(const std::string& work_dir);
std::string close_loop_db(const std::string& work_dir);

// Opening a Tracker, and closing it again, with faults: on a copy of
// `start`, or on a new file if `start` is "". A failed open of a new file
// may leave it at any whole migration (each is its own transaction), but
// every state seen for one schema version must be the same, and a fault-free
// open afterwards must complete the job. Opening an existing, up-to-date
// file must leave its content as it was.
LoopStats run_open_loop(const std::string& start, const std::string& work_dir,
                        const Injector& injector, int max_runs, bool check_leaks);

// Closing a Tracker right after a write (`write`, by default recording
// rich_event()), with faults: the close checkpoints the WAL into the file
// (reads, writes, syncs, truncates). Its errors are not reported (a
// destructor), so the committed write must simply survive and a fresh open
// must see it.
LoopStats run_close_loop(const Baseline& baseline, const std::string& work_dir,
                         const Injector& injector, int max_runs, bool check_leaks,
                         const std::function<void(Tracker&)>& write = {});

// Prints the loop's line of the report.
void report(const LoopStats& stats);

}  // namespace layoffs::fault
