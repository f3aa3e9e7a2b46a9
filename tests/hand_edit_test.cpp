// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The file edited by hand at the sqlite3 prompt, where PRAGMA foreign_keys
// is off: what the schema refuses whatever the pragmas (migration 0005), and
// what Tracker::check() finds and lists instead. Each case is one from
// issue 13, typed as a person at the prompt would.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/layoffs.h>
#include <sqlite3.h>

#include "test_util.h"

namespace layoffs {
namespace {

using test::dump;
using test::exec_at_prompt;
using test::query_one;
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

bool any_contains(const std::vector<std::string>& lines, const std::string& needle) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    out += l + "\n";
  }
  return out;
}

// Amazon (1) with AWS (2) below it, Meta (3) apart; an Amazon event with a
// department, reason and source, one AWS event it includes, a Meta event and
// a claim. Closed again: only hand edits follow.
class HandEdit : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("hand.db");
    Tracker t = Tracker::open(path_);
    amazon_ = t.add_company({.name = "Amazon", .aliases = {"Amazon.com"}});
    aws_ = t.add_company({.name = "AWS", .parent = amazon_});
    meta_ = t.add_company({.name = "Meta"});
    aws_event_ = t.record({.company = aws_,
                           .announced_on = Date::ymd(2023, 3, 1),
                           .headcount = Headcount::about(400)});
    amazon_event_ = t.record({.company = amazon_,
                              .announced_on = Date::ymd(2023, 3, 20),
                              .headcount = Headcount::about(9000),
                              .departments = {"Advertising"},
                              .reasons = {{"costs", ReasonCategory::cost_cutting}},
                              .sources = {{.url = "https://example.com/a"}},
                              .includes = {aws_event_}});
    meta_event_ = t.record({.company = meta_,
                            .announced_on = Date::ymd(2022, 11, 9),
                            .headcount = Headcount::exact(11000)});
    t.record_claim({.company = amazon_,
                    .period_start = Date::ymd(2023, 1, 1),
                    .period_end = Date::ymd(2023, 12, 31),
                    .headcount = Headcount::parse("more than 9,000")});
    EXPECT_TRUE(t.check().empty()) << joined(t.check());
  }

  // Typed at the prompt, refused by the schema; nothing changes.
  void expect_refused(const std::string& sql, const std::string& message) {
    SCOPED_TRACE(sql);
    const std::string before = dump(path_);
    std::string error;
    const int rc = exec_at_prompt(path_, sql, &error);
    EXPECT_EQ(rc & 0xff, SQLITE_CONSTRAINT) << "rc " << rc << ": " << error;
    EXPECT_NE(error.find(message), std::string::npos) << error;
    EXPECT_EQ(dump(path_), before);
  }

  void accept(const std::string& sql) {
    SCOPED_TRACE(sql);
    std::string error;
    ASSERT_EQ(exec_at_prompt(path_, sql, &error), SQLITE_OK) << error;
  }

  std::vector<std::string> check() {
    Tracker t = Tracker::open(path_, {.read_only = true});
    return t.check();
  }

  static std::string id(CompanyId c) { return std::to_string(c.value()); }
  static std::string id(EventId e) { return std::to_string(e.value()); }

  TempDir dir_;
  std::string path_;
  CompanyId amazon_, aws_, meta_;
  EventId aws_event_, amazon_event_, meta_event_;
};

constexpr const char* kEventColumns =
    "INSERT INTO layoff_event (company_id, announced_on, announced_precision, headcount_kind, "
    "headcount_low, headcount_high, headcount_estimate, headcount_phrase) VALUES ";

TEST_F(HandEdit, ThePromptReallyHasForeignKeysOff) {
  // The premise of every test here: without 0005's triggers these rows
  // would be accepted, because the foreign keys are not enforced.
  std::string error;
  ASSERT_EQ(exec_at_prompt(path_,
                           "DROP TRIGGER layoff_event_company_exists_on_insert; " +
                               std::string(kEventColumns) +
                               "(999, '2023-01-01', 'day', 'exact', 5, 5, 5, '5')",
                           &error),
            SQLITE_OK)
      << error;
  EXPECT_EQ(query_one(path_, "SELECT count(*) FROM layoff_event WHERE company_id = 999"), "1");
}

TEST_F(HandEdit, AnEventOfAMissingCompanyIsRefused) {
  expect_refused(std::string(kEventColumns) + "(999, '2023-01-01', 'day', 'exact', 5, 5, 5, '5')",
                 "layoff_event: company_id names no company");
  expect_refused("UPDATE layoff_event SET company_id = 999 WHERE id = " + id(meta_event_),
                 "layoff_event: company_id names no company");
}

TEST_F(HandEdit, LinksToMissingRowsAreRefused) {
  expect_refused("INSERT INTO company_alias (company_id, alias, alias_key) VALUES (999, 'X', 'x')",
                 "company_alias: company_id names no company");
  expect_refused("INSERT INTO company (name, name_key, parent_id) VALUES ('Y', 'y', 999)",
                 "company: parent_id names no company");
  expect_refused("UPDATE company SET parent_id = 999 WHERE id = " + id(meta_),
                 "company: parent_id names no company");
  expect_refused("INSERT INTO event_inclusion VALUES (" + id(amazon_event_) + ", 999)",
                 "event_inclusion: including_event_id or included_event_id names no event");
  expect_refused("INSERT INTO event_department (event_id, department_id) VALUES (" +
                     id(meta_event_) + ", 999)",
                 "event_department: event_id or department_id names no row");
  expect_refused("INSERT INTO event_department (event_id, department_id) VALUES (999, 1)",
                 "event_department: event_id or department_id names no row");
  expect_refused(
      "INSERT INTO event_reason (event_id, reason_id) VALUES (" + id(meta_event_) + ", 999)",
      "event_reason: event_id or reason_id names no row");
  expect_refused("INSERT INTO event_source (event_id, source_id, position) VALUES (" +
                     id(meta_event_) + ", 999, 0)",
                 "event_source: event_id or source_id names no row");
  expect_refused(
      "INSERT INTO reported_total (company_id, period_start, period_end, headcount_kind, "
      "headcount_low, headcount_high, headcount_estimate, headcount_phrase) VALUES "
      "(999, '2023-01-01', '2023-12-31', 'exact', 5, 5, 5, '5')",
      "reported_total: company_id or source_id names no row");
  expect_refused(
      "INSERT INTO event_counted_bounds (event_id, low, high, estimate) VALUES "
      "(999, 1, 1, 1)",
      "event_counted_bounds: event_id names no event");
}

TEST_F(HandEdit, RowsOthersNameCannotBeDeletedAndAnEventTakesItsRowsWithIt) {
  expect_refused("DELETE FROM company WHERE id = " + id(amazon_),
                 "company: still has subsidiaries, events or claims");
  expect_refused("DELETE FROM department", "department: still named by events");
  expect_refused("DELETE FROM reason", "reason: still named by events");
  expect_refused("DELETE FROM source", "source: still named by events or claims");
  expect_refused("UPDATE company SET id = 99 WHERE id = " + id(amazon_),
                 "company: other rows name this id");
  // Deleting an event removes its departments, reasons, sources and
  // inclusions, as the foreign keys' ON DELETE CASCADE would.
  accept("DELETE FROM layoff_event WHERE id = " + id(amazon_event_));
  EXPECT_EQ(query_one(path_, "SELECT count(*) FROM event_department"), "0");
  EXPECT_EQ(query_one(path_, "SELECT count(*) FROM event_reason"), "0");
  EXPECT_EQ(query_one(path_, "SELECT count(*) FROM event_source"), "0");
  EXPECT_EQ(query_one(path_, "SELECT count(*) FROM event_inclusion"), "0");
  // And a company without events or subsidiaries takes its aliases.
  accept("DELETE FROM layoff_event WHERE id = " + id(meta_event_));
  accept("INSERT INTO company_alias (company_id, alias, alias_key) VALUES (" + id(meta_) +
         ", 'Facebook', 'facebook')");
  accept("DELETE FROM company WHERE id = " + id(meta_));
  EXPECT_EQ(query_one(path_, "SELECT count(*) FROM company_alias WHERE alias = 'Facebook'"), "0");
  EXPECT_TRUE(check().empty()) << joined(check());
}

TEST_F(HandEdit, ANameThatIsAnotherCompanysAliasIsRefused) {
  expect_refused("INSERT INTO company (name, name_key) VALUES ('Amazon.com', 'amazon.com')",
                 "company: name_key is already an alias");
  expect_refused("UPDATE company SET name_key = 'amazon.com' WHERE id = " + id(meta_),
                 "company: name_key is already an alias");
  expect_refused("INSERT INTO company_alias (company_id, alias, alias_key) VALUES (" + id(amazon_) +
                     ", 'Meta', 'meta')",
                 "company_alias: alias_key is already a company name");
}

TEST_F(HandEdit, ANameKeyThatIsNotItsNamesKeyIsListedByCheck) {
  // The schema cannot compute the library's key; check() can.
  accept("UPDATE company SET name_key = 'amzn' WHERE id = " + id(amazon_));
  const auto problems = check();
  EXPECT_TRUE(any_contains(problems, "company " + id(amazon_) +
                                         " is named \"Amazon\" but its name_key is \"amzn\", "
                                         "not \"amazon\""))
      << joined(problems);
  // A key that no longer matches its name would hide a clash too.
  accept("UPDATE company SET name_key = 'whatever' WHERE id = " + id(meta_));
  accept("INSERT INTO company_alias (company_id, alias, alias_key) VALUES (" + id(amazon_) +
         ", 'META', 'meta')");
  EXPECT_TRUE(any_contains(check(), "the alias \"META\" of Amazon (company " + id(amazon_) +
                                        ") is also the name \"Meta\" of Meta"))
      << joined(check());
}

TEST_F(HandEdit, AParentCycleIsListedByCheckAndNamedWhereItIsMet) {
  accept("UPDATE company SET parent_id = " + id(aws_) + " WHERE id = " + id(amazon_));
  const auto problems = check();
  EXPECT_TRUE(any_contains(problems, "company parents form a cycle: Amazon (company " +
                                         id(amazon_) + ") -> AWS (company " + id(aws_) +
                                         ") -> Amazon"))
      << joined(problems);
  Tracker t = Tracker::open(path_);
  // Where the library needs a top company, it says what is wrong and where
  // to look, instead of spinning or answering wrongly.
  const auto err = error_of([&] { t.set_parent(meta_, aws_); });
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(std::string(err->what()).find("run 'layoffs check'"), std::string::npos) << err->what();
  // Per company, the two stay apart.
  const auto rows = t.totals_by(Grouping::company);
  EXPECT_EQ(rows.size(), 3u);
  // A roll-up (to the top company, or over a company's subsidiaries) has no
  // answer on a cycle: a typed error naming it, not a total.
  auto expect_cycle_error = [&](const char* what, auto&& call) {
    const auto e = error_of(call);
    ASSERT_TRUE(e.has_value()) << what;
    EXPECT_EQ(e->code(), ErrorCode::corrupt) << what;
    EXPECT_NE(std::string(e->what()).find("go round in a cycle"), std::string::npos) << e->what();
    EXPECT_NE(std::string(e->what()).find("run 'layoffs check'"), std::string::npos) << e->what();
  };
  expect_cycle_error("top_company", [&] { t.totals_by(Grouping::top_company); });
  expect_cycle_error("subtree total", [&] { t.total({.company = amazon_}); });
  expect_cycle_error("subtree events", [&] { t.events({.company = aws_}); });
  expect_cycle_error("subtree", [&] { t.subtree(amazon_); });
  // The company's own events, and a company outside the cycle, still answer.
  EXPECT_NO_THROW(t.total({.company = amazon_, .include_subsidiaries = false}));
  EXPECT_NO_THROW(t.total({.company = meta_}));
  // The fixture's claim (over Amazon's subtree) cannot be reconciled either.
  expect_cycle_error("reconcile", [&] { t.reconcile(); });
}

TEST_F(HandEdit, AnInclusionAcrossCompanyTreesIsListedByCheck) {
  // Meta's event (2022-11-09) is earlier than Amazon's: the date trigger
  // lets it through, but it belongs to another tree.
  accept("DELETE FROM event_inclusion; INSERT INTO event_inclusion VALUES (" + id(amazon_event_) +
         ", " + id(meta_event_) + ")");
  EXPECT_TRUE(any_contains(check(), "event " + id(amazon_event_) + " of Amazon (company " +
                                        id(amazon_) + ") includes event " + id(meta_event_) +
                                        " of Meta (company " + id(meta_) +
                                        "), which belongs to another company tree"))
      << joined(check());
}

TEST_F(HandEdit, ADateFarInTheFutureIsListedByCheck) {
  accept("UPDATE layoff_event SET announced_on = '2099-01-01' WHERE id = " + id(meta_event_));
  EXPECT_TRUE(any_contains(
      check(), "event " + id(meta_event_) + " has announced_on 2099-01-01, in the future"))
      << joined(check());
}

// effective_on may lie ahead (a WARN notice names when the cuts take
// effect), but not more than five years after the announcement: check()
// draws the same line as record().
TEST_F(HandEdit, AnEffectiveDateYearsAfterTheAnnouncementIsListedByCheck) {
  const std::string ahead = Date::today().plus_days(200).iso();
  accept("UPDATE layoff_event SET effective_on = '" + ahead + "' WHERE id = " + id(meta_event_));
  EXPECT_TRUE(check().empty()) << joined(check());
  // Meta's event was announced on 2022-11-09.
  accept("UPDATE layoff_event SET effective_on = '2027-11-14' WHERE id = " + id(meta_event_));
  EXPECT_TRUE(any_contains(check(), "event " + id(meta_event_) +
                                        " has effective_on 2027-11-14, more than five years "
                                        "after announced_on 2022-11-09 (later than 2027-11-13)"))
      << joined(check());
}

TEST_F(HandEdit, AMalformedDateWrittenPastTheChecksStopsPeriodTotalsAsDamage) {
  // At the prompt the CHECK constraints can be turned off; totals by period
  // read the year and month from the date's digits, so such a date must be
  // refused as damage, not counted in a made-up period.
  accept(
      "PRAGMA ignore_check_constraints = ON; UPDATE layoff_event SET announced_on = "
      "'2023/3/20' WHERE id = " +
      id(amazon_event_));
  Tracker t = Tracker::open(path_, {.read_only = true});
  for (const Grouping g : {Grouping::year, Grouping::quarter, Grouping::month}) {
    SCOPED_TRACE(static_cast<int>(g));
    const auto err = error_of([&] { (void)t.totals_by(g); });
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->code(), ErrorCode::corrupt);
    const std::string what = err->what();
    EXPECT_NE(what.find("event " + id(amazon_event_) + " has announced_on '2023/3/20'"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("run 'layoffs check'"), std::string::npos) << what;
  }
  // A company's events are still listed by totals that do not group by
  // period, and check() names the row.
  const auto by_company = t.totals_by(Grouping::company);
  EXPECT_EQ(by_company.size(), 3u);
  EXPECT_TRUE(any_contains(t.check(), "layoff_event")) << joined(t.check());
}

TEST_F(HandEdit, AnEventOfAMissingCompanyInAnOlderFileNamesTheProblem) {
  // A file edited before 0005 (here: its trigger dropped at the prompt).
  accept("DROP TRIGGER layoff_event_company_exists_on_insert; " + std::string(kEventColumns) +
         "(999, '2023-01-01', 'day', 'exact', 5, 5, 5, '5')");
  const std::string missing =
      query_one(path_, "SELECT id FROM layoff_event WHERE company_id = 999");
  Tracker t = Tracker::open(path_, {.read_only = true});
  const auto err = error_of([&] { (void)t.events(); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), ErrorCode::corrupt);
  const std::string what = err->what();
  EXPECT_NE(what.find("event " + missing + " names company 999, which does not exist"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find("run 'layoffs check'"), std::string::npos) << what;
  EXPECT_EQ(what.find("check()"), std::string::npos) << what;
  EXPECT_TRUE(any_contains(
      t.check(), "layoff_event row " + missing + " names a company row that does not exist"))
      << joined(t.check());
}

TEST_F(HandEdit, CheckListsEveryProblemAtOnce) {
  accept("UPDATE company SET parent_id = " + id(aws_) + " WHERE id = " + id(amazon_));
  accept("UPDATE company SET name_key = 'facebook' WHERE id = " + id(meta_));
  accept("UPDATE layoff_event SET announced_on = '2099-01-01' WHERE id = " + id(meta_event_));
  const auto problems = check();
  EXPECT_EQ(problems.size(), 3u) << joined(problems);
}

}  // namespace
}  // namespace layoffs
