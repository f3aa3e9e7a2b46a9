// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// What a new user met in the first hour (issue 13), at the API: read
// snapshots, files the operating system will not open, read-only opens that
// leave nothing behind, the order of departments and reasons, messages that
// read as sentences, and a moved-from Tracker.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/layoffs.h>

#include "test_util.h"

namespace layoffs {
namespace {

using test::TempDir;

template <class F>
std::optional<Error> error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// ---- read snapshots ---------------------------------------------------------

TEST(ReadSnapshot, ReadsInsideSeeOneStateWhileAnotherConnectionWrites) {
  TempDir dir;
  const std::string path = dir.file("snap.db");
  Tracker reader = Tracker::open(path);
  Tracker writer = Tracker::open(path);
  const CompanyId acme = writer.add_company({.name = "Acme"});
  const EventId first = writer.record(
      {.company = acme, .announced_on = Date::ymd(2023, 1, 1), .headcount = Headcount::exact(10)});
  bool ran = false;
  reader.read([&] {
    ran = true;
    EXPECT_EQ(reader.count_events(), 1);
    // Another connection commits a company, an event including the first,
    // and a claim, while the snapshot is open (WAL: the writer does not
    // wait for the reader).
    const CompanyId beta = writer.add_company({.name = "Beta"});
    writer.record({.company = acme,
                   .announced_on = Date::ymd(2023, 2, 1),
                   .headcount = Headcount::exact(30),
                   .includes = {first}});
    writer.record(
        {.company = beta, .announced_on = Date::ymd(2023, 2, 1), .headcount = Headcount::exact(5)});
    EXPECT_EQ(writer.count_events(), 3);
    // The snapshot still sees the file as it was.
    EXPECT_EQ(reader.count_events(), 1);
    EXPECT_EQ(reader.companies().size(), 1u);
    EXPECT_FALSE(reader.event(first).included_in.has_value());
    EXPECT_EQ(reader.total().estimate, 10);
  });
  EXPECT_TRUE(ran);
  // After it, the new state.
  EXPECT_EQ(reader.count_events(), 3);
  EXPECT_EQ(reader.companies().size(), 2u);
  EXPECT_TRUE(reader.event(first).included_in.has_value());
}

TEST(ReadSnapshot, AWriteInsideIsRefusedAndTheTrackerStaysUsable) {
  Tracker t = Tracker::open(":memory:");
  const auto err = error_of([&] { t.read([&] { t.add_company({.name = "Acme"}); }); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), ErrorCode::read_only) << err->what();
  EXPECT_TRUE(t.companies().empty());
  t.add_company({.name = "Acme"});  // after the snapshot, writes work again
  EXPECT_EQ(t.companies().size(), 1u);
}

TEST(ReadSnapshot, AnExceptionFromWorkEndsTheSnapshot) {
  TempDir dir;
  const std::string path = dir.file("ex.db");
  Tracker reader = Tracker::open(path);
  Tracker writer = Tracker::open(path);
  EXPECT_THROW(reader.read([] { throw std::runtime_error("stop"); }), std::runtime_error);
  writer.add_company({.name = "Acme"});
  EXPECT_EQ(reader.companies().size(), 1u);  // not stuck in the old snapshot
}

TEST(ReadSnapshot, InsideATransactionItSeesTheTransactionsWrites) {
  Tracker t = Tracker::open(":memory:");
  t.transaction([&] {
    t.add_company({.name = "Acme"});
    t.read([&] { EXPECT_EQ(t.companies().size(), 1u); });
    t.add_company({.name = "Beta"});  // the transaction goes on writing
  });
  EXPECT_EQ(t.companies().size(), 2u);
}

// ---- a moved-from Tracker ---------------------------------------------------

TEST(MovedFrom, EveryCallThrowsAClearError) {
  Tracker a = Tracker::open(":memory:");
  a.add_company({.name = "Acme"});
  Tracker b = std::move(a);
  EXPECT_EQ(b.companies().size(), 1u);
  for (const auto& call : std::vector<std::function<void()>>{
           [&] { (void)a.companies(); },  // NOLINT(bugprone-use-after-move): the point
           [&] { (void)a.add_company({.name = "Beta"}); }, [&] { (void)a.total(); },
           [&] { (void)a.check(); }, [&] { a.read([] {}); }, [&] { a.transaction([] {}); },
           [&] { (void)a.schema_version(); }}) {
    const auto err = error_of(call);
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->code(), ErrorCode::moved_from);
    EXPECT_NE(std::string(err->what()).find("moved from"), std::string::npos) << err->what();
  }
  EXPECT_EQ(a.path(), "");
  a = Tracker::open(":memory:");  // a moved-from Tracker can be assigned again
  EXPECT_TRUE(a.companies().empty());
}

// ---- departments and reasons in the order given -------------------------------

TEST(Order, DepartmentsAndReasonsComeBackInTheOrderGiven) {
  Tracker t = Tracker::open(":memory:");
  const CompanyId aws = t.add_company({.name = "AWS"});
  const EventId id =
      t.record({.company = aws,
                .announced_on = Date::ymd(2024, 4, 3),
                .headcount = Headcount::parse("several hundred"),
                .departments = {"Sales, Marketing & Global Services", "Physical Stores Technology",
                                "Advertising"},
                .reasons = {{"shift to self-serve digital training", std::nullopt},
                            {"instructor-led training outsourced", ReasonCategory::outsourcing},
                            {"overlapping roles", ReasonCategory::restructuring},
                            {"streamlining", std::nullopt}}});
  const Event e = t.event(id);
  EXPECT_EQ(e.departments, (std::vector<std::string>{"Sales, Marketing & Global Services",
                                                     "Physical Stores Technology", "Advertising"}));
  std::vector<std::string> reasons;
  for (const auto& r : e.reasons) {
    reasons.push_back(r.name);
  }
  EXPECT_EQ(reasons, (std::vector<std::string>{"shift to self-serve digital training",
                                               "instructor-led training outsourced",
                                               "overlapping roles", "streamlining"}));
}

// ---- messages as sentences ----------------------------------------------------

TEST(Messages, ReadAsSentences) {
  Tracker t = Tracker::open(":memory:");
  const CompanyId amazon = t.add_company({.name = "Amazon"});
  const CompanyId aws = t.add_company({.name = "AWS", .parent = amazon});
  const EventId march = t.record({.company = amazon,
                                  .announced_on = Date::ymd(2023, 3, 20),
                                  .headcount = Headcount::about(9000)});
  auto what = [](const std::optional<Error>& e) { return e ? std::string(e->what()) : ""; };
  EXPECT_EQ(what(error_of([&] {
              t.record({.company = amazon,
                        .announced_on = Date::ymd(2022, 6, 1),
                        .headcount = Headcount::exact(5),
                        .includes = {march}});
            })),
            "includes[0]: event " + std::to_string(march.value()) +
                " is dated 2023-03-20, after this event (2022-06-01); an event can only include "
                "earlier ones (an announcement also filings up to 90 days later)");
  EXPECT_EQ(what(error_of([&] { t.set_parent(amazon, aws); })),
            "parent: company " + std::to_string(aws.value()) + " is a subsidiary of company " +
                std::to_string(amazon.value()) +
                " (or further down its tree), so it cannot be its parent");
  EXPECT_EQ(what(error_of([&] {
              t.record({.company = amazon,
                        .announced_on = Date::ymd(2022, 6, 1),
                        .headcount = Headcount::exact(5),
                        .workforce_pct = 150.0});
            })),
            "workforce_pct: 150 is not a percentage from 0 to 100");
}

// ---- files the operating system will not open -----------------------------------

TEST(OpenErrors, ADirectorySaysSo) {
  TempDir dir;
  for (const bool read_only : {false, true}) {
    const auto err =
        error_of([&] { Tracker::open(dir.path().string(), {.read_only = read_only}); });
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->code(), ErrorCode::cannot_open) << err->what();
    EXPECT_NE(std::string(err->what()).find("Is a directory"), std::string::npos) << err->what();
  }
}

TEST(OpenErrors, AMissingDirectorySaysSo) {
  TempDir dir;
  const std::string path = dir.file("no/such/dir/x.db");
  for (const bool read_only : {false, true}) {
    const auto err = error_of([&] { Tracker::open(path, {.read_only = read_only}); });
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->code(), ErrorCode::cannot_open) << err->what();
    EXPECT_NE(std::string(err->what()).find("no such directory"), std::string::npos) << err->what();
  }
}

// Runs `f` in a child process as user nobody when we are root (root passes
// every permission check), else as ourselves; returns the child's exit code.
int as_another_user(const std::function<int()>& f) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
      _exit(100);
    }
    _exit(f());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A database and directory the test's user owns and the child may only read
// (as nobody when root, else after taking the write bits away).
struct ReadOnlyPlace {
  TempDir dir;
  std::string sub, path;
  ReadOnlyPlace() {
    sub = dir.file("ro");
    std::filesystem::create_directory(sub);
    path = sub + "/layoffs.db";
    {
      Tracker t = Tracker::open(path);
      t.add_company({.name = "Acme"});
    }
    chmod(path.c_str(), 0444);
    chmod(sub.c_str(), 0555);
    chmod(dir.path().c_str(), 0755);
  }
  ~ReadOnlyPlace() {
    chmod(sub.c_str(), 0755);
    chmod(path.c_str(), 0644);
  }
};

TEST(OpenErrors, AFileOfAnotherUserIsReadableReadOnly) {
  ReadOnlyPlace place;
  const std::string path = place.path;
  // Exit codes: 0 read fine; 1 the open failed; 2 wrong count.
  const int read = as_another_user([&] {
    try {
      Tracker t = Tracker::open(path, {.read_only = true});
      return t.companies().size() == 1 ? 0 : 2;
    } catch (const Error& e) {
      std::fprintf(stderr, "read-only open failed: %s\n", e.what());
      return 1;
    }
  });
  EXPECT_EQ(read, 0);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
  // For writing: refused with the operating system's reason, not not_found.
  const int write = as_another_user([&] {
    const auto err = error_of([&] { Tracker::open(path); });
    if (!err || err->code() != ErrorCode::cannot_open ||
        std::string(err->what()).find("Permission denied") == std::string::npos) {
      std::fprintf(stderr, "got: %s\n", err ? err->what() : "no error");
      return 1;
    }
    return 0;
  });
  EXPECT_EQ(write, 0);
  // A new file in a directory the user may not write to.
  const std::string fresh = place.sub + "/new.db";
  const int create = as_another_user([&] {
    const auto err = error_of([&] { Tracker::open(fresh); });
    if (!err || err->code() != ErrorCode::cannot_open ||
        std::string(err->what()).find("Permission denied") == std::string::npos) {
      std::fprintf(stderr, "got: %s\n", err ? err->what() : "no error");
      return 1;
    }
    return 0;
  });
  EXPECT_EQ(create, 0);
  EXPECT_FALSE(std::filesystem::exists(fresh));
}

// ---- read-only opens leave nothing behind ----------------------------------------

TEST(ReadOnly, LeavesNoWalOrShmBehind) {
  TempDir dir;
  const std::string path = dir.file("ro.db");
  {
    Tracker t = Tracker::open(path);
    t.add_company({.name = "Acme"});
  }
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));
  const std::string before = test::read_file(path);
  {
    Tracker t = Tracker::open(path, {.read_only = true});
    EXPECT_EQ(t.companies().size(), 1u);
    EXPECT_EQ(t.total().estimate, 0);
    EXPECT_TRUE(t.check().empty());
    const auto err = error_of([&] { t.add_company({.name = "Beta"}); });
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->code(), ErrorCode::read_only);
  }
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
  EXPECT_EQ(test::read_file(path), before);
}

}  // namespace
}  // namespace layoffs
