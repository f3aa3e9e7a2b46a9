// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Crash safety: a child process records batches through the library and is
// killed with SIGKILL at a random moment, round after round on the same file.
// After every kill each batch is all or nothing (its events and their
// department, source and inclusion rows), every batch the child saw commit is
// there, integrity_check and foreign_key_check are clean, and the file opens
// and takes more writes.
//
// The kill moments come from a fixed seed (printed, and overridable with
// LAYOFFS_CRASH_SEED) so that a failing run can be repeated.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/error.h>
#include <layoffs/layoffs.h>

#include "test_scale.h"
#include "test_util.h"

namespace layoffs {
namespace {

using test::TempDir;

// Kills: 60 in a full run (LAYOFFS_TEST_FULL=1), 15 by default.
int rounds() {
  static const int n = test_scale::count(60);
  return n;
}
constexpr int kBatchSize = 8;
constexpr int kMaxSleepMicros = 50'000;
// Batch numbers of round r start at r * kBatchStride, so keys never repeat.
constexpr std::int64_t kBatchStride = 1'000'000;
constexpr std::uint32_t kDefaultSeed = 20240604;

// What the child tells the parent through a pipe. A write of this size to a
// pipe is atomic and survives the writer's death, so the parent learns
// exactly which batches the child had begun and which had returned.
struct Message {
  std::int64_t batch = 0;
  std::int32_t state = 0;  // kBegun, kCommitted or kFailed (batch = ErrorCode)
  std::int32_t unused = 0;
};
constexpr std::int32_t kBegun = 1;
constexpr std::int32_t kCommitted = 2;
constexpr std::int32_t kFailed = 3;

std::string key_of(std::int64_t batch, int i) {
  return "b" + std::to_string(batch) + "-" + std::to_string(i);
}

// Batch `batch`, event `i`: every event brings a department link and a
// source row, so a batch is many rows in several tables that must all be
// there or all be missing.
NewEvent batch_event(CompanyId company, std::int64_t batch, int i) {
  return {.company = company,
          .announced_on = Date::ymd(2000, 1, 1).plus_days(batch % 8000),
          .headcount = Headcount::exact(1 + i),
          .departments = {"Dept " + std::to_string(i % 3)},
          .sources = {{.url = "https://example.com/crash/" + key_of(batch, i)}},
          .notes = "batch " + std::to_string(batch),
          .key = key_of(batch, i)};
}

void send(int fd, const Message& m) {
  // Nothing useful can be done if the pipe is gone: the parent checks the
  // database itself anyway.
  (void)!write(fd, &m, sizeof m);
}

// The child: records batches until it is killed. Even batches go through
// record_batch; odd ones through transaction() with one record() per event,
// each event including the one before it (so the batch also writes k - 1
// inclusion rows). Never returns.
[[noreturn]] void run_child(const std::string& path, std::int64_t first_batch, int fd) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  try {
    Tracker t = Tracker::open(path);
    const CompanyId company = t.company_id("Crash Co");
    for (std::int64_t batch = first_batch; std::chrono::steady_clock::now() < deadline; ++batch) {
      send(fd, {batch, kBegun});
      if (batch % 2 == 0) {
        std::vector<NewEvent> events;
        for (int i = 0; i < kBatchSize; ++i) {
          events.push_back(batch_event(company, batch, i));
        }
        t.record_batch(events);
      } else {
        t.transaction([&] {
          std::optional<EventId> previous;
          for (int i = 0; i < kBatchSize; ++i) {
            NewEvent e = batch_event(company, batch, i);
            if (previous) {
              e.includes = {*previous};
            }
            previous = t.record(e);
          }
        });
      }
      send(fd, {batch, kCommitted});
    }
  } catch (const Error& e) {
    send(fd, {static_cast<std::int64_t>(e.code()), kFailed});
    std::fprintf(stderr, "crash child: %s\n", e.what());
    _exit(2);
  } catch (...) {
    send(fd, {0, kFailed});
    _exit(3);
  }
  _exit(4);  // never killed: the parent is gone or hung
}

// Per batch: how many events, department links, source links and inclusion
// rows the file holds, read with plain SQL (the library has no query by key
// prefix).
struct BatchRows {
  std::int64_t events = 0, departments = 0, sources = 0, inclusions = 0;
};

std::map<std::int64_t, BatchRows> rows_by_batch(const std::string& path) {
  std::map<std::int64_t, BatchRows> out;
  // external_key is "b<batch>-<i>"; the batch number is between 'b' and '-'.
  const std::string batch_of =
      "CAST(substr(e.external_key, 2, instr(e.external_key, '-') - 2) AS INTEGER)";
  const auto each = [&](const std::string& join, const auto& store) {
    for (const std::string& row :
         test::query(path, "SELECT " + batch_of + ", count(*) FROM layoff_event e " + join +
                               " WHERE e.external_key LIKE 'b%' GROUP BY 1")) {
      const auto bar = row.find('|');
      ASSERT_NE(bar, std::string::npos) << row;
      store(out[std::stoll(row.substr(0, bar))], std::stoll(row.substr(bar + 1)));
    }
  };
  each("", [](BatchRows& b, std::int64_t n) { b.events = n; });
  each("JOIN event_department d ON d.event_id = e.id",
       [](BatchRows& b, std::int64_t n) { b.departments = n; });
  each("JOIN event_source s ON s.event_id = e.id",
       [](BatchRows& b, std::int64_t n) { b.sources = n; });
  each("JOIN event_inclusion i ON i.including_event_id = e.id",
       [](BatchRows& b, std::int64_t n) { b.inclusions = n; });
  return out;
}

std::uint32_t seed_from_environment() {
  if (const char* text = std::getenv("LAYOFFS_CRASH_SEED"); text && *text) {
    return static_cast<std::uint32_t>(std::strtoul(text, nullptr, 10));
  }
  return kDefaultSeed;
}

TEST(CrashKill, BatchesAreAllOrNothingAfterSigkillAtRandomMoments) {
  const std::uint32_t seed = seed_from_environment();
  std::cout << "[   SEED   ] CrashKill seed " << seed << " (set LAYOFFS_CRASH_SEED to repeat)"
            << std::endl;
  RecordProperty("seed", static_cast<int>(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> sleep_micros(0, kMaxSleepMicros);

  TempDir dir;
  const std::string path = dir.file("crash.db");
  {
    Tracker t = Tracker::open(path);
    t.add_company({.name = "Crash Co"});
  }

  std::set<std::int64_t> committed;  // every batch a child saw return
  std::int64_t in_flight_kills = 0;  // rounds killed inside a batch
  std::int64_t in_flight_kept = 0;   // ... whose batch had committed all the same
  std::int64_t parent_events = 0;
  const auto began = std::chrono::steady_clock::now();

  for (int round = 0; round < rounds(); ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", seed " + std::to_string(seed));
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    std::fflush(nullptr);
    // No connection of ours is open across the fork (SQLite forbids carrying
    // one into a child): every Tracker of the parent is scoped to a round.
    const pid_t child = fork();
    ASSERT_GE(child, 0) << "fork failed";
    if (child == 0) {
      close(fds[0]);
      run_child(path, round * kBatchStride, fds[1]);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(sleep_micros(rng)));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);

    std::vector<Message> messages;
    Message m;
    ssize_t got = 0;
    while ((got = read(fds[0], &m, sizeof m)) == static_cast<ssize_t>(sizeof m) ||
           (got < 0 && errno == EINTR)) {
      if (got > 0) {
        messages.push_back(m);
      }
    }
    close(fds[0]);
    for (const Message& msg : messages) {
      ASSERT_NE(msg.state, kFailed) << "the child failed before it was killed with ErrorCode "
                                    << msg.batch << " (see its stderr)";
    }
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child ended on its own, status " << status;

    std::optional<std::int64_t> in_flight;
    for (const Message& msg : messages) {
      if (msg.state == kBegun) {
        in_flight = msg.batch;
      } else if (msg.state == kCommitted) {
        committed.insert(msg.batch);
        in_flight.reset();
      }
    }

    // Open with the library first: it recovers the -wal the child left.
    {
      Tracker t = Tracker::open(path);
      const std::vector<std::string> problems = t.check();
      EXPECT_TRUE(problems.empty()) << problems.front();
    }
    ASSERT_EQ(test::query(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok|"});

    const std::map<std::int64_t, BatchRows> rows = rows_by_batch(path);
    for (const auto& [batch, r] : rows) {
      SCOPED_TRACE("batch " + std::to_string(batch));
      // A batch that is present at all is complete, child rows included.
      EXPECT_EQ(r.events, kBatchSize);
      EXPECT_EQ(r.departments, kBatchSize);
      EXPECT_EQ(r.sources, kBatchSize);
      EXPECT_EQ(r.inclusions, batch % 2 == 0 ? 0 : kBatchSize - 1);
      // Present means the child committed it: seen to return, or the one it
      // was inside when it died (the kill fell between COMMIT and the pipe).
      EXPECT_TRUE(committed.count(batch) || (in_flight && *in_flight == batch))
          << "a batch the child never finished is in the file";
    }
    for (const std::int64_t batch : committed) {
      EXPECT_TRUE(rows.count(batch)) << "committed batch " << batch << " was lost";
    }
    if (in_flight) {
      ++in_flight_kills;
      if (rows.count(*in_flight)) {
        committed.insert(*in_flight);
        ++in_flight_kept;
      }
    }

    // The file takes more writes, through the same path any program uses.
    {
      Tracker t = Tracker::open(path);
      const CompanyId company = t.company_id("Crash Co");
      const std::int64_t before = t.count_events();
      std::vector<NewEvent> more;
      for (int i = 0; i < kBatchSize; ++i) {
        NewEvent e = batch_event(company, round, i);
        e.key = "p" + std::to_string(round) + "-" + std::to_string(i);
        more.push_back(e);
      }
      t.record_batch(more);
      parent_events += kBatchSize;
      EXPECT_EQ(t.count_events(), before + kBatchSize);
    }
    if (HasFatalFailure()) {
      return;
    }
  }

  Tracker t = Tracker::open(path);
  EXPECT_EQ(t.count_events(),
            static_cast<std::int64_t>(committed.size()) * kBatchSize + parent_events);
  EXPECT_TRUE(t.check().empty());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::cout << "[  FIGURES ] " << rounds() << " kills, " << committed.size()
            << " batches committed (" << committed.size() * kBatchSize << " events), "
            << in_flight_kills << " kills inside a batch (" << in_flight_kept
            << " of those batches had committed), " << seconds << " s" << std::endl;
  // The kills must actually land inside batches, or the test proves little.
  EXPECT_GT(in_flight_kills, rounds() / 4);
}

}  // namespace
}  // namespace layoffs
