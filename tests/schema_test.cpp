// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The schema on its own: rows inserted by hand at the sqlite3 prompt must
// obey the same rules the library enforces. Also: STRICT tables, indexes on
// foreign keys, the views, and the query plan of a company total.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/layoffs.h>
#include <layoffs/tracker.h>
#include <sqlite3.h>

#include "amazon_facts.h"
#include "schema.h"
#include "test_util.h"

namespace layoffs {
namespace {

using test::dump;
using test::exec_raw;
using test::TempDir;

using test::query_one;
using test::query_rows;
using test::Rows;

// A database made by the library with one company (id 1, "Acme"), a
// subsidiary (id 2) and two events: `earlier` (2022-11-16) and `later`
// (2023-01-04). The Tracker is closed again, so only hand edits follow.
class SchemaHandEdits : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("schema.db");
    Tracker t = Tracker::open(path_);
    acme_ = t.add_company({.name = "Acme"});
    sub_ = t.add_company({.name = "Acme Cloud", .parent = acme_});
    earlier_ = t.record({.company = acme_,
                         .announced_on = Date::ymd(2022, 11, 16),
                         .headcount = Headcount::about(10000)});
    later_ = t.record({.company = acme_,
                       .announced_on = Date::ymd(2023, 1, 4),
                       .headcount = Headcount::at_least(18000)});
  }

  // A hand-written INSERT INTO layoff_event whose values are all valid except
  // the ones in `changes` (column -> SQL literal).
  std::string event_insert(const std::map<std::string, std::string>& changes = {}) const {
    std::map<std::string, std::string> values = {
        {"company_id", std::to_string(acme_.value())},
        {"announced_on", "'2024-01-05'"},
        {"announced_precision", "'day'"},
        {"headcount_kind", "'range'"},
        {"headcount_low", "100"},
        {"headcount_high", "200"},
        {"headcount_estimate", "150"},
        {"headcount_phrase", "'100-200'"},
        {"workforce_pct", "10.0"},
    };
    for (const auto& [column, value] : changes) {
      values[column] = value;
    }
    std::string columns, literals;
    for (const auto& [column, value] : values) {
      columns += (columns.empty() ? "" : ", ") + column;
      literals += (literals.empty() ? "" : ", ") + value;
    }
    return "INSERT INTO layoff_event (" + columns + ") VALUES (" + literals + ")";
  }

  // Runs `sql` by hand and expects the schema to refuse it with a constraint
  // error, leaving the content unchanged.
  void expect_rejected(const std::string& sql) {
    SCOPED_TRACE(sql);
    const std::string before = dump(path_);
    std::string error;
    const int rc = exec_raw(path_, sql, &error);
    EXPECT_EQ(rc & 0xff, SQLITE_CONSTRAINT) << "rc " << rc << ": " << error;
    EXPECT_EQ(dump(path_), before);
  }

  // Runs `sql` by hand and expects it to succeed and change the content.
  void expect_accepted(const std::string& sql) {
    SCOPED_TRACE(sql);
    const std::string before = dump(path_);
    std::string error;
    EXPECT_EQ(exec_raw(path_, sql, &error), SQLITE_OK) << error;
    EXPECT_NE(dump(path_), before);
  }

  TempDir dir_;
  std::string path_;
  CompanyId acme_, sub_;
  EventId earlier_, later_;
};

TEST_F(SchemaHandEdits, ValidHandInsertsAreAccepted) {
  // Positive controls: the same statements the rejection tests alter in one
  // field succeed as they are, so each rejection is due to that field.
  expect_accepted(event_insert());
  expect_accepted(event_insert({{"announced_on", "'2024-02-01'"},
                                {"announced_precision", "'month'"},
                                {"headcount_kind", "'exact'"},
                                {"headcount_low", "5"},
                                {"headcount_high", "5"},
                                {"headcount_estimate", "5"},
                                {"workforce_pct", "100.0"}}));
  expect_accepted(event_insert({{"announced_on", "'2021-01-01'"},
                                {"announced_precision", "'year'"},
                                {"headcount_kind", "'unknown'"},
                                {"headcount_low", "0"},
                                {"headcount_high", "NULL"},
                                {"headcount_estimate", "0"},
                                {"headcount_phrase", "'undisclosed'"},
                                {"workforce_pct", "0.0"}}));
  expect_accepted("INSERT INTO source (url, tier) VALUES ('https://example.com/a', 'filing')");
  expect_accepted(
      "INSERT INTO reason (name, name_key, category) VALUES ('Greed', 'greed', 'other')");
  expect_accepted(
      "INSERT INTO company (name, name_key, parent_id) VALUES ('Acme Labs', "
      "'acme labs', " +
      std::to_string(acme_.value()) + ")");
  expect_accepted(
      "INSERT INTO reported_total (company_id, period_start, period_end, headcount_kind, "
      "headcount_low, headcount_high, headcount_estimate, headcount_phrase) VALUES (" +
      std::to_string(acme_.value()) +
      ", '2022-01-01', '2023-12-31', 'at_least', 27000, NULL, 27000, 'more than 27,000')");
  // The later event includes the earlier one: fine.
  expect_accepted("INSERT INTO event_inclusion (including_event_id, included_event_id) VALUES (" +
                  std::to_string(later_.value()) + ", " + std::to_string(earlier_.value()) + ")");

  // The library reads the hand-made rows back.
  Tracker t = Tracker::open(path_);
  EXPECT_EQ(t.count_events(), 5);
  EXPECT_EQ(t.event(earlier_).included_in, std::optional<EventId>(later_));
  EXPECT_TRUE(t.check().empty());
}

TEST_F(SchemaHandEdits, RejectsDatesThatDoNotExistOrAreNotIso) {
  expect_rejected(event_insert({{"announced_on", "'2024-02-30'"}}));
  expect_rejected(event_insert({{"announced_on", "'yesterday'"}}));
  expect_rejected(event_insert({{"announced_on", "'2024-1-5'"}}));
  expect_rejected(event_insert({{"announced_on", "'2024-01-05 12:00:00'"}}));
  expect_rejected(event_insert({{"announced_on", "NULL"}}));
  expect_rejected(event_insert({{"effective_on", "'2023-13-01'"}}));
}

TEST_F(SchemaHandEdits, RejectsBadHeadcounts) {
  expect_rejected(event_insert({{"headcount_low", "-1"}}));
  expect_rejected(event_insert({{"headcount_low", "300"}, {"headcount_high", "200"}}));
  expect_rejected(event_insert({{"headcount_estimate", "250"}}));  // outside [100, 200]
  expect_rejected(event_insert({{"headcount_kind", "'lots'"}}));
  expect_rejected(event_insert({{"headcount_kind", "'exact'"}}));  // exact needs low == high
  expect_rejected(event_insert({{"headcount_phrase", "''"}}));
}

TEST_F(SchemaHandEdits, RejectsWorkforceShareOutside0To100) {
  expect_rejected(event_insert({{"workforce_pct", "150"}}));
  expect_rejected(event_insert({{"workforce_pct", "-1"}}));
  expect_rejected(event_insert({{"workforce_pct", "'35%'"}}));  // STRICT: not a REAL
}

TEST_F(SchemaHandEdits, RejectsUnknownPrecisionAndMisplacedDays) {
  expect_rejected(event_insert({{"announced_precision", "'week'"}}));
  expect_rejected(
      event_insert({{"announced_on", "'2024-01-15'"}, {"announced_precision", "'month'"}}));
  expect_rejected(
      event_insert({{"announced_on", "'2024-03-01'"}, {"announced_precision", "'year'"}}));
}

TEST_F(SchemaHandEdits, RejectsUnknownSourceTierAndReasonCategory) {
  expect_rejected("INSERT INTO source (url, tier) VALUES ('https://example.com/a', 'rumour')");
  expect_rejected(
      "INSERT INTO source (url, published_on) VALUES ('https://example.com/b', "
      "'2024-02-30')");
  expect_rejected(
      "INSERT INTO reason (name, name_key, category) VALUES ('Greed', 'greed', 'greed')");
}

TEST_F(SchemaHandEdits, RejectsAnEventOfANonExistentCompany) {
  expect_rejected(event_insert({{"company_id", "999"}}));
}

TEST_F(SchemaHandEdits, RejectsInclusionOfALaterEventOrOfItself) {
  const std::string earlier = std::to_string(earlier_.value());
  const std::string later = std::to_string(later_.value());
  // The earlier event cannot include the later one (trigger).
  expect_rejected("INSERT INTO event_inclusion (including_event_id, included_event_id) VALUES (" +
                  earlier + ", " + later + ")");
  // Nor can an event include itself.
  expect_rejected("INSERT INTO event_inclusion (including_event_id, included_event_id) VALUES (" +
                  later + ", " + later + ")");
  // Nor can it include an event that does not exist.
  expect_rejected("INSERT INTO event_inclusion (including_event_id, included_event_id) VALUES (" +
                  later + ", 999)");
}

TEST_F(SchemaHandEdits, RejectsMovingAnIncludedEventAfterItsIncluder) {
  ASSERT_EQ(
      exec_raw(path_,
               "INSERT INTO event_inclusion (including_event_id, included_event_id) "
               "VALUES (" +
                   std::to_string(later_.value()) + ", " + std::to_string(earlier_.value()) + ")"),
      SQLITE_OK);
  expect_rejected("UPDATE layoff_event SET announced_on = '2023-06-01' WHERE id = " +
                  std::to_string(earlier_.value()));
}

TEST_F(SchemaHandEdits, RejectsACompanyThatIsItsOwnParent) {
  expect_rejected(
      "INSERT INTO company (id, name, name_key, parent_id) VALUES (50, 'Loop', 'loop', 50)");
  expect_rejected("UPDATE company SET parent_id = id WHERE id = " + std::to_string(acme_.value()));
  expect_rejected(
      "INSERT INTO company (name, name_key, parent_id) VALUES ('Orphan', 'orphan', "
      "999)");
}

TEST_F(SchemaHandEdits, RejectsAClaimWhosePeriodEndsBeforeItStarts) {
  expect_rejected(
      "INSERT INTO reported_total (company_id, period_start, period_end, headcount_kind, "
      "headcount_low, headcount_high, headcount_estimate, headcount_phrase) VALUES (" +
      std::to_string(acme_.value()) +
      ", '2023-12-31', '2022-01-01', 'at_least', 27000, NULL, 27000, 'more than 27,000')");
}

// ---------------------------------------------------------------------------
// Structure.

TEST(Schema, EveryTableIsStrict) {
  TempDir dir;
  const std::string path = dir.file("strict.db");
  { Tracker t = Tracker::open(path); }
  const std::vector<std::string> expected = {
      "company",    "company_alias",    "layoff_event",   "event_inclusion",
      "department", "event_department", "reason",         "event_reason",
      "source",     "event_source",     "reported_total", "schema_migrations"};
  std::map<std::string, std::string> strict;
  for (const auto& row : query_rows(path,
                                    "SELECT name, strict FROM pragma_table_list "
                                    "WHERE schema = 'main' AND type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%'")) {
    strict[row[0]] = row[1];
  }
  for (const auto& table : expected) {
    SCOPED_TRACE(table);
    ASSERT_TRUE(strict.count(table)) << "table " << table << " is missing";
    EXPECT_EQ(strict[table], "1") << table << " is not STRICT";
  }
  // And no table outside the list slipped in without STRICT.
  for (const auto& [table, flag] : strict) {
    EXPECT_EQ(flag, "1") << table << " is not STRICT";
  }
}

TEST(Schema, EveryForeignKeyColumnIsIndexed) {
  TempDir dir;
  const std::string path = dir.file("fk.db");
  { Tracker t = Tracker::open(path); }
  const Rows fks = query_rows(path,
                              "SELECT m.name, f.\"from\", f.seq FROM sqlite_schema m "
                              "JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' "
                              "ORDER BY m.name, f.id, f.seq");
  // Not vacuous: the schema has many foreign keys, all single-column.
  EXPECT_GE(fks.size(), 12u);
  for (const auto& fk : fks) {
    const std::string& table = fk[0];
    const std::string& column = fk[1];
    SCOPED_TRACE(table + "." + column);
    EXPECT_EQ(fk[2], "0") << "multi-column foreign key";
    // The column leads some index (explicit, UNIQUE, or a WITHOUT ROWID
    // table's primary key, which pragma_index_list reports with origin 'pk').
    const std::string leading = query_one(path, "SELECT count(*) FROM pragma_index_list('" + table +
                                                    "') il JOIN pragma_index_info(il.name) ii "
                                                    "WHERE ii.seqno = 0 AND ii.name = '" +
                                                    column + "'");
    // Or it is the first column of a rowid table's primary key.
    const std::string pk = query_one(path, "SELECT count(*) FROM pragma_table_info('" + table +
                                               "') WHERE pk = 1 "
                                               "AND name = '" +
                                               column + "'");
    EXPECT_TRUE(leading != "0" || pk != "0") << table << "." << column << " has no index";
  }
}

TEST(Schema, ViewsFlattenEventsAfterTheAmazonFacts) {
  TempDir dir;
  const std::string path = dir.file("views.db");
  Tracker t = Tracker::open(path);
  const examples::AmazonFacts facts = examples::record_amazon_facts(t);

  std::set<std::string> views;
  for (const auto& row : query_rows(path, "SELECT name FROM sqlite_schema WHERE type = 'view'")) {
    views.insert(row[0]);
  }
  EXPECT_TRUE(views.count("event_summary"));
  EXPECT_TRUE(views.count("company_totals"));

  const std::vector<Event> events = t.events();
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(query_one(path, "SELECT count(*) FROM event_summary"), "8");
  EXPECT_EQ(query_one(path, "SELECT count(DISTINCT event_id) FROM event_summary"), "8");

  std::map<std::string, std::vector<std::string>> summary;
  for (auto& row : query_rows(path,
                              "SELECT event_id, company, first_source_url, departments, "
                              "included_in_event_id, announced_on, headcount FROM event_summary")) {
    summary[row[0]] = row;
  }
  for (const Event& e : events) {
    const std::string id = std::to_string(e.id.value());
    SCOPED_TRACE("event " + id);
    ASSERT_TRUE(summary.count(id));
    const auto& row = summary[id];
    EXPECT_EQ(row[1], e.company_name);
    EXPECT_EQ(row[2], e.sources.empty() ? "NULL" : e.sources.front().url);
    std::vector<std::string> departments = e.departments;
    std::sort(departments.begin(), departments.end());
    std::string joined;
    for (const auto& d : departments) {
      joined += (joined.empty() ? "" : "; ") + d;
    }
    EXPECT_EQ(row[3], departments.empty() ? "NULL" : joined);
    EXPECT_EQ(row[4], e.included_in ? std::to_string(e.included_in->value()) : "NULL");
    EXPECT_EQ(row[5], e.announced_on.iso());
    EXPECT_EQ(row[6], e.headcount.phrase());
  }
  // Spelled out for one event with two sources and four departments.
  const auto& aws = summary[std::to_string(facts.aws_apr_2024.value())];
  EXPECT_EQ(aws[1], "AWS");
  EXPECT_EQ(aws[2],
            "https://www.neowin.net/news/"
            "amazon-web-services-will-lay-off-hundreds-of-team-members-as-it-faces-"
            "growing-competition/");
  EXPECT_EQ(aws[3],
            "Physical Stores Technology; "
            "Sales, Marketing & Global Services: program management; "
            "Sales, Marketing & Global Services: sales operations; "
            "Sales, Marketing & Global Services: training and certification");
  EXPECT_EQ(query_one(path, "SELECT parent_company FROM event_summary WHERE event_id = " +
                                std::to_string(facts.aws_apr_2024.value())),
            "Amazon");

  // company_totals: one row per company; Amazon's November 2022 event is
  // inside January 2023's, so two of its three events count.
  EXPECT_EQ(query_one(path, "SELECT count(*) FROM company_totals"), "5");
  EXPECT_EQ(query_one(path, "SELECT events_counted FROM company_totals WHERE company = 'Amazon'"),
            "2");
}

TEST(Schema, IntegrityAndForeignKeyChecksPassAfterTheAmazonFacts) {
  TempDir dir;
  const std::string path = dir.file("check.db");
  {
    Tracker t = Tracker::open(path);
    examples::record_amazon_facts(t);
    EXPECT_TRUE(t.check().empty());
  }
  EXPECT_EQ(query_rows(path, "PRAGMA integrity_check"), (Rows{{"ok"}}));
  EXPECT_TRUE(query_rows(path, "PRAGMA foreign_key_check").empty());
}

// ---------------------------------------------------------------------------
// Query plan of a company total over a date range.

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    out += line + "\n";
  }
  return out;
}

void expect_indexed_total_plan(const std::vector<std::string>& rows) {
  ASSERT_FALSE(rows.empty());
  const std::string all = joined(rows);
  bool covering = false;
  for (const auto& row : rows) {
    if (row.find("SEARCH e USING COVERING INDEX layoff_event_company_date_idx") == 0) {
      covering = true;
      EXPECT_NE(row.find("company_id=?"), std::string::npos) << all;
      EXPECT_NE(row.find("announced_on>?"), std::string::npos) << all;
    }
    EXPECT_NE(row.rfind("SCAN e", 0), 0u) << "scans layoff_event:\n" << all;
    EXPECT_EQ(row.find("SCAN layoff_event"), std::string::npos) << all;
    EXPECT_NE(row.rfind("SCAN i", 0), 0u) << "scans event_inclusion:\n" << all;
    EXPECT_NE(row.rfind("SCAN c", 0), 0u) << "scans company:\n" << all;
  }
  EXPECT_TRUE(covering) << "layoff_event is not searched through its covering index:\n" << all;
}

TEST(Schema, CompanyTotalOverADateRangeUsesTheCoveringIndex) {
  TempDir dir;
  const std::string path = dir.file("plan.db");
  Tracker t = Tracker::open(path);
  const examples::AmazonFacts f = examples::record_amazon_facts(t);
  Filter filter{
      .company = f.amazon, .from = Date::parse("2022-01-01"), .to = Date::parse("2023-12-31")};
  {
    SCOPED_TRACE("with subsidiaries");
    expect_indexed_total_plan(t.explain_total(filter));
  }
  {
    SCOPED_TRACE("own events only");
    filter.include_subsidiaries = false;
    expect_indexed_total_plan(t.explain_total(filter));
  }
}

}  // namespace
}  // namespace layoffs
