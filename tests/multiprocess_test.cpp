// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Concurrency across processes: writer processes record events into one
// file for a few seconds, one Tracker per thread, while reader processes
// total them without pause. Every writer reports through a pipe how many
// events it wrote; afterwards the file holds exactly their sum, no key twice,
// no writer ever saw ErrorCode::busy, and every read matched a committed
// state (each event is exactly one person, so a committed state has
// total().low == total().events).
//
// concurrency_test.cpp covers threads within one process; this is the same
// promise across processes, where only SQLite's file locks keep order. The
// suite name contains "Concurrency" so that CI's TSan pass runs it too.
//
// The issue asks for 4 processes x 2 threads. That shape loses committed
// writes today (see the LIBRARY BUG note below), so it is disabled, and the
// enabled test runs 8 writer processes x 1 thread (+ 2 reader processes),
// which has the same number of concurrent writers but one Tracker per
// process.
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/error.h>
#include <layoffs/layoffs.h>

#include "test_util.h"

namespace layoffs {
namespace {

using test::TempDir;
using Clock = std::chrono::steady_clock;

constexpr auto kWriteFor = std::chrono::milliseconds(3000);
// Readers go on a little longer, so they also see the last commits.
constexpr auto kReadFor = kWriteFor + std::chrono::milliseconds(200);
constexpr int kBatch = 4;  // odd-numbered writer threads record batches of this size

// One report per writer thread or reader thread, written to a pipe in one
// write() (smaller than PIPE_BUF, so reports never interleave).
struct Report {
  std::int32_t process = 0;
  std::int32_t thread = 0;
  std::int32_t reader = 0;  // 1 for a reader thread (process counts readers separately)
  std::int32_t pad = 0;
  std::int64_t written = 0;  // events this writer committed
  std::int64_t calls = 0;    // write calls that returned
  std::int64_t busy = 0;     // ErrorCode::busy seen by the caller
  std::int64_t other_errors = 0;
  std::int64_t max_wait_us = 0;  // the slowest write call
  std::int64_t reads = 0;        // reader: read calls made
  std::int64_t violations = 0;   // reader: reads that matched no committed state
};

std::string key_of(int process, int thread, std::int64_t i) {
  return "w" + std::to_string(process) + "-" + std::to_string(thread) + "-" + std::to_string(i);
}

std::string company_name(int process) {
  return "Proc " + std::to_string(process);
}

NewEvent one_person(CompanyId company, int process, int thread, std::int64_t i) {
  // Headcount exactly 1: any committed state then has total().low ==
  // total().events, which is what the readers check.
  return {.company = company,
          .announced_on = Date::ymd(2001, 1, 1).plus_days(i % 7000),
          .headcount = Headcount::exact(1),
          .key = key_of(process, thread, i)};
}

// One writer thread: records until the deadline, one event per call (even
// `kind`) or kBatch per record_batch call (odd `kind`).
Report write_until(const std::string& path, int process, int thread, int kind,
                   Clock::time_point deadline) {
  Report r{.process = process, .thread = thread};
  try {
    Tracker t = Tracker::open(path);
    const CompanyId company = t.company_id(company_name(process));
    std::int64_t next = 0;
    while (Clock::now() < deadline) {
      const auto began = Clock::now();
      try {
        if (kind % 2 == 0) {
          t.record(one_person(company, process, thread, next));
          next += 1;
          r.written += 1;
        } else {
          std::vector<NewEvent> batch;
          for (int i = 0; i < kBatch; ++i) {
            batch.push_back(one_person(company, process, thread, next + i));
          }
          t.record_batch(batch);
          next += kBatch;
          r.written += kBatch;
        }
        ++r.calls;
      } catch (const Error& e) {
        // A failed write wrote nothing: skip its keys and go on, so one
        // busy does not hide the rest of the run.
        next += kind % 2 == 0 ? 1 : kBatch;
        if (e.code() == ErrorCode::busy) {
          ++r.busy;
        } else {
          ++r.other_errors;
          std::fprintf(stderr, "writer %d.%d: %s\n", process, thread, e.what());
        }
      }
      const auto waited =
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - began).count();
      r.max_wait_us = std::max<std::int64_t>(r.max_wait_us, waited);
    }
  } catch (const std::exception& e) {
    ++r.other_errors;
    std::fprintf(stderr, "writer %d.%d: %s\n", process, thread, e.what());
  }
  return r;
}

// One reader thread: every read must describe a committed state. Each
// committed state has low == high == estimate == events (every event is
// exactly 1 person) and nothing unknown or excluded, and states only grow.
Report read_until(const std::string& path, int process, int thread, bool read_only,
                  Clock::time_point deadline, CompanyId holding) {
  Report r{.process = process, .thread = thread, .reader = 1};
  const auto complain = [&](const std::string& what) {
    if (++r.violations <= 5) {
      std::fprintf(stderr, "reader %d.%d: %s\n", process, thread, what.c_str());
    }
  };
  const auto committed_state = [&](const Total& total, const std::string& what) {
    if (total.low != total.counted_events || total.high != total.low ||
        total.estimate != total.low || total.unknown_events != 0 || total.inside_events != 0 ||
        total.approximate) {
      complain(what + " read as low " + std::to_string(total.low) + ", events " +
               std::to_string(total.counted_events) + ", " + total.to_string());
    }
  };
  try {
    // Read-only and ordinary Trackers alike must see whole commits only.
    Tracker t = Tracker::open(path, {.read_only = read_only});
    std::int64_t last = 0;
    while (Clock::now() < deadline) {
      const Total all = t.total();
      committed_state(all, "total()");
      if (all.counted_events < last) {
        complain("total() went back from " + std::to_string(last) + " to " +
                 std::to_string(all.counted_events) + " events");
      }
      last = all.counted_events;
      committed_state(t.total({.company = holding}), "total(Holding and subsidiaries)");
      std::int64_t grouped = 0;
      for (const GroupTotal& g : t.totals_by(Grouping::company)) {
        committed_state(g.total, "totals_by(company) group " + g.label);
        grouped += g.total.counted_events;
      }
      if (grouped < last) {
        complain("totals_by(company) saw " + std::to_string(grouped) +
                 " events after total() saw " + std::to_string(last));
      }
      const std::int64_t counted = t.count_events();
      if (counted < grouped) {
        complain("count_events() saw " + std::to_string(counted) + " after totals_by saw " +
                 std::to_string(grouped));
      }
      last = counted;
      r.reads += 4;
    }
  } catch (const Error& e) {
    ++r.other_errors;
    r.busy += e.code() == ErrorCode::busy ? 1 : 0;
    std::fprintf(stderr, "reader %d.%d: %s\n", process, thread, e.what());
  } catch (const std::exception& e) {
    ++r.other_errors;
    std::fprintf(stderr, "reader %d.%d: %s\n", process, thread, e.what());
  }
  return r;
}

// A child process: waits for the start signal, runs its threads, writes one
// Report per thread to `out`, and exits without returning to gtest.
template <class Work>
[[noreturn]] void child(int go, int out, int threads, Work work) {
  char byte = 0;
  // Blocks until the parent closes the write end: every process starts at once.
  (void)!read(go, &byte, 1);
  const Clock::time_point start = Clock::now();
  std::vector<Report> reports(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] { reports[static_cast<std::size_t>(i)] = work(i, start); });
  }
  for (auto& th : pool) {
    th.join();
  }
  int status = 0;
  for (const Report& r : reports) {
    if (write(out, &r, sizeof r) != static_cast<ssize_t>(sizeof r)) {
      status = 2;
    }
  }
  std::fflush(stderr);
  _exit(status);
}

struct Shape {
  int writers;             // writer processes
  int threads_per_writer;  // each with its own Tracker
  int readers;             // reader processes
  int threads_per_reader;
};

// Runs the writers and readers of `shape` on a new file and checks the
// outcome (see the top of this file).
void run_processes(const Shape& shape) {
  TempDir dir;
  const std::string path = dir.file("processes.db");
  CompanyId holding;
  {
    Tracker t = Tracker::open(path);
    holding = t.add_company({.name = "Holding"});
    for (int p = 0; p < shape.writers; ++p) {
      t.add_company({.name = company_name(p), .parent = holding});
    }
  }  // closed: no connection may be carried across fork()

  int go[2];
  int out[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(out), 0);
  std::fflush(nullptr);
  std::vector<pid_t> children;
  for (int p = 0; p < shape.writers + shape.readers; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0) << "fork failed";
    if (pid == 0) {
      close(go[1]);
      close(out[0]);
      if (p < shape.writers) {
        child(go[0], out[1], shape.threads_per_writer, [&, p](int thread, Clock::time_point start) {
          return write_until(path, p, thread, p + thread, start + kWriteFor);
        });
      }
      child(go[0], out[1], shape.threads_per_reader, [&, p](int thread, Clock::time_point start) {
        // Alternate read-only and ordinary Trackers across all readers.
        const bool read_only = (p + thread) % 2 == 0;
        return read_until(path, p, thread, read_only, start + kReadFor, holding);
      });
    }
    children.push_back(pid);
  }
  close(go[0]);
  close(out[1]);
  close(go[1]);  // start

  std::vector<Report> reports;
  Report r;
  ssize_t got = 0;
  while ((got = read(out[0], &r, sizeof r)) == static_cast<ssize_t>(sizeof r) ||
         (got < 0 && errno == EINTR)) {
    if (got > 0) {
      reports.push_back(r);
    }
  }
  close(out[0]);
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "child " << pid << " ended with status " << status;
  }
  ASSERT_EQ(reports.size(), static_cast<std::size_t>(shape.writers * shape.threads_per_writer +
                                                     shape.readers * shape.threads_per_reader));

  std::int64_t written = 0;
  std::int64_t max_wait_us = 0;
  std::int64_t reads = 0;
  Tracker t = Tracker::open(path, {.read_only = true});
  for (const Report& rep : reports) {
    const std::string who = (rep.reader ? "reader " : "writer ") + std::to_string(rep.process) +
                            "." + std::to_string(rep.thread);
    SCOPED_TRACE(who);
    EXPECT_EQ(rep.busy, 0) << "ErrorCode::busy reached the caller";
    EXPECT_EQ(rep.other_errors, 0) << "see stderr";
    if (rep.reader) {
      EXPECT_EQ(rep.violations, 0) << "reads that matched no committed state; see stderr";
      EXPECT_GT(rep.reads, 0);
      reads += rep.reads;
      continue;
    }
    EXPECT_GT(rep.written, 0) << "a writer starved";
    written += rep.written;
    max_wait_us = std::max(max_wait_us, rep.max_wait_us);
    // Exactly this writer's events are in the file under its keys.
    const std::string prefix = key_of(rep.process, rep.thread, 0);
    const auto mine = test::query(path,
                                  "SELECT count(*), count(DISTINCT external_key) FROM layoff_event "
                                  "WHERE external_key LIKE '" +
                                      prefix.substr(0, prefix.size() - 1) + "%'");
    EXPECT_EQ(mine, std::vector<std::string>{std::to_string(rep.written) + "|" +
                                             std::to_string(rep.written) + "|"});
  }
  EXPECT_EQ(t.count_events(), written);
  EXPECT_EQ(test::query(path, "SELECT count(DISTINCT external_key) FROM layoff_event"),
            std::vector<std::string>{std::to_string(written) + "|"});
  const Total total = t.total();
  EXPECT_EQ(total.low, written);
  EXPECT_EQ(total.counted_events, written);
  EXPECT_TRUE(t.check().empty());
  std::cout << "[  FIGURES ] " << shape.writers << " processes x " << shape.threads_per_writer
            << " threads wrote " << written << " events in "
            << std::chrono::duration<double>(kWriteFor).count() << " s; slowest write call "
            << max_wait_us / 1000.0 << " ms; " << reads << " reads by "
            << shape.readers * shape.threads_per_reader << " reader threads in " << shape.readers
            << " processes" << std::endl;
}

TEST(ConcurrencyProcesses, EightWriterProcessesLoseAndDuplicateNothing) {
  run_processes({.writers = 8, .threads_per_writer = 1, .readers = 2, .threads_per_reader = 1});
}

// Regression (was a library bug, fixed): two Trackers in one process on a file that other processes
// also use can lose committed writes and corrupt the file; see
// ASecondTrackerInOneProcessKeepsTheFirstOnesLocks below for the
// cause. In this shape a writer's committed events went missing (reported
// 3,772, the file held 3,768; another run 5,490 against 5,489) and
// integrity_check failed in 3 of 17 ASan runs and 1 of 12 plain runs; with
// the header read through SQLite's own file handle instead, 0 of 6.
TEST(ConcurrencyProcesses, FourProcessesTimesTwoThreadsLoseAndDuplicateNothing) {
  run_processes({.writers = 4, .threads_per_writer = 2, .readers = 1, .threads_per_reader = 2});
}

// Reads one byte from `fd`; false at end of file.
bool await_byte(int fd) {
  char byte = 0;
  return read(fd, &byte, 1) == 1;
}

void send_byte(int fd) {
  const char byte = 1;
  (void)!write(fd, &byte, 1);
}

// Regression (was a library bug, fixed): Tracker::open reads the 100-byte header of an existing
// file with a std::ifstream (vet_existing_file in lib/schema.cpp). Closing that stream closes a
// file descriptor on the database, and POSIX drops every fcntl lock the process holds on a file
// when any descriptor of it is closed: so the SHARED lock that the process's other, already open
// connections hold on the database file (which, in WAL mode, is what tells
// other processes that the -wal is in use) is gone, while SQLite still
// believes it holds it. The next connection of another process to close then
// gets an EXCLUSIVE lock, checkpoints and deletes the -wal and -shm under
// the first process, whose later commits go to the unlinked -wal: another
// process never sees them, and concurrent writers end up writing two
// different -wal files into one database.
// Reproduction (this test): process A opens Tracker 1, records "a-1", opens
// Tracker 2; process B opens, records "b-1" and closes: B's close deletes the
// -wal A is using; A records "a-2"; B opens again and does not find "a-2"
// (count_events() 2, expected 3). Expected: opening a second Tracker leaves
// the first one's locks alone, e.g. by reading the header through SQLite's
// own file handle (sqlite3_file_control SQLITE_FCNTL_FILE_POINTER + xRead),
// with which this test and the 4 x 2 one above pass.
TEST(ConcurrencyProcesses, ASecondTrackerInOneProcessKeepsTheFirstOnesLocks) {
  TempDir dir;
  const std::string path = dir.file("two-in-one.db");
  CompanyId company;
  {
    Tracker t = Tracker::open(path);
    company = t.add_company({.name = "Two In One"});
  }
  const auto event = [&](const char* key, int day) {
    return NewEvent{.company = company,
                    .announced_on = Date::ymd(2023, 1, day),
                    .headcount = Headcount::exact(1),
                    .key = key};
  };
  int to_child[2];
  int to_parent[2];
  ASSERT_EQ(pipe(to_child), 0);
  ASSERT_EQ(pipe(to_parent), 0);
  std::fflush(nullptr);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Process A: a Tracker with a commit in the -wal, then a second Tracker
    // on the same file (as a second thread would open one).
    close(to_child[1]);
    close(to_parent[0]);
    int status = 0;
    try {
      Tracker first = Tracker::open(path);
      first.record(event("a-1", 1));
      Tracker second = Tracker::open(path);
      send_byte(to_parent[1]);
      (void)await_byte(to_child[0]);
      first.record(event("a-2", 2));
      send_byte(to_parent[1]);
      (void)await_byte(to_child[0]);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "process A: %s\n", e.what());
      status = 1;
    }
    _exit(status);
  }
  close(to_child[0]);
  close(to_parent[1]);
  ASSERT_TRUE(await_byte(to_parent[0]));
  // Process B (this one) opens, writes and closes while A's Trackers are
  // open. Its close must see A's connections (their shared lock on the
  // file) and leave the -wal, which A is using, where it is.
  {
    Tracker b = Tracker::open(path);
    b.record(event("b-1", 3));
  }
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"))
      << "B's close deleted the -wal while A still had it open";
  send_byte(to_child[1]);
  ASSERT_TRUE(await_byte(to_parent[0]));
  {
    // A's second commit returned: every other process must see it.
    Tracker b = Tracker::open(path, {.read_only = true});
    EXPECT_TRUE(b.find_event("a-2").has_value()) << "A's committed event is invisible to B";
    EXPECT_EQ(b.count_events(), 3);
  }
  send_byte(to_child[1]);
  close(to_child[1]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  Tracker t = Tracker::open(path);
  EXPECT_EQ(t.count_events(), 3);
  for (const char* key : {"a-1", "a-2", "b-1"}) {
    EXPECT_TRUE(t.find_event(key).has_value()) << key << " was lost";
  }
  EXPECT_TRUE(t.check().empty());
}

}  // namespace
}  // namespace layoffs
