// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Importing WARN notices (warn-transformer integrated.csv): fields, blanks,
// amendments that supersede earlier notices (in either order in the file,
// and across imports), and bad input.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "import.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

using io::ImportError;
using io::ImportOptions;
using io::ImportSummary;

const std::string kFixture = std::string(LAYOFFS_TEST_DATA_DIR) + "/warn_integrated.csv";
const std::string kHeader =
    "hash_id,first_inserted_date,notice_date,effective_date,postal_code,company,location,jobs,"
    "is_closure,is_temporary,is_superseded,is_amendment,likely_ancestor,estimated_amendments,"
    "last_updated_date\n";

ImportOptions warn(bool skip_bad = false, std::string rejects = {}) {
  ImportOptions o;
  o.format = io::Format::warn;
  o.skip_bad = skip_bad;
  o.rejects_path = std::move(rejects);
  return o;
}

// One notice row; `ancestor` makes it an amendment.
std::string notice(const std::string& hash, const std::string& date, const std::string& company,
                   const std::string& jobs, const std::string& ancestor = "") {
  return hash + ",," + date + ",,CA," + company + ",Fresno," + jobs + ",false,false,false," +
         (ancestor.empty() ? "false," : "true,") + ancestor + ",,\n";
}

class WarnTest : public ::testing::Test {
 protected:
  WarnTest() : db_path_(dir_.file("t.db")), tracker_(Tracker::open(db_path_)) {}

  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.file(name);
    write_file(path, bytes);
    return path;
  }

  Event by_key(const std::string& hash) {
    const auto id = tracker_.find_event("warn:" + hash);
    EXPECT_TRUE(id.has_value()) << hash;
    return id ? tracker_.event(*id) : Event{};
  }

  Total total_of(const std::string& company) {
    return tracker_.total({.company = tracker_.company_id(company)});
  }

  void expect_failure(const std::string& path, std::int64_t line, const std::string& fragment,
                      ErrorCode code = ErrorCode::invalid_argument,
                      const ImportOptions& options = warn()) {
    const CompanyId c = tracker_.add_company({.name = "Seed Co"});
    tracker_.record({.company = c, .announced_on = Date::ymd(2022, 5, 1), .key = "seed:1"});
    const std::string before = dump(db_path_);
    try {
      io::import_file(tracker_, path, options);
      FAIL() << "imported " << path << " without an error";
    } catch (const ImportError& e) {
      const std::string prefix = path + ":" + std::to_string(line) + ":";
      EXPECT_EQ(std::string(e.what()).substr(0, prefix.size()), prefix) << e.what();
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
    EXPECT_EQ(dump(db_path_), before);
  }

  TempDir dir_;
  std::string db_path_;
  Tracker tracker_;
};

TEST_F(WarnTest, ImportsTheFixture) {
  const ImportSummary s = io::import_file(tracker_, kFixture);  // auto-detected
  EXPECT_EQ(s.format, io::Format::warn);
  EXPECT_EQ(s.rows_read, 10);
  EXPECT_EQ(s.imported, 9);
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(s.already_present, 0);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_EQ(tracker_.count_events(), 9);

  const Event a2 = by_key("a2");
  EXPECT_EQ(a2.company_name, "Acme Corp");
  EXPECT_EQ(a2.announced_on, Date::ymd(2023, 1, 20));
  ASSERT_TRUE(a2.effective_on.has_value());
  EXPECT_EQ(*a2.effective_on, Date::ymd(2023, 3, 20));
  EXPECT_EQ(a2.headcount.estimate(), 150);
  EXPECT_EQ(a2.locations, (std::vector<std::string>{"Los Angeles", "CA"}));
  EXPECT_EQ(a2.country, "United States");
  EXPECT_NE(a2.notes.find("WARN notice"), std::string::npos);
  EXPECT_TRUE(a2.sources.empty());
  EXPECT_TRUE(a2.reasons.empty());

  // Blanks: no effective date, no location (the state alone), no count.
  const Event c1 = by_key("c1");
  EXPECT_FALSE(c1.effective_on.has_value());
  EXPECT_EQ(c1.locations, (std::vector<std::string>{"TX"}));
  EXPECT_TRUE(c1.headcount.is_unknown());
  ASSERT_EQ(c1.reasons.size(), 1U);
  EXPECT_EQ(c1.reasons[0].name, "closure");
  EXPECT_EQ(c1.reasons[0].category, ReasonCategory::closure);

  const Event d1 = by_key("d1");
  EXPECT_EQ(d1.locations, (std::vector<std::string>{"Seattle", "Redmond", "WA"}));
  ASSERT_EQ(d1.reasons.size(), 1U);
  EXPECT_EQ(d1.reasons[0].name, "temporary layoff");
  EXPECT_EQ(d1.reasons[0].category, ReasonCategory::other);
}

TEST_F(WarnTest, ASupersededNoticeIsCountedOnce) {
  io::import_file(tracker_, kFixture, warn());
  // The amendment came first in the file, its ancestor after it.
  const Event a1 = by_key("a1");
  const Event a2 = by_key("a2");
  EXPECT_EQ(a2.includes, (std::vector<EventId>{a1.id}));
  ASSERT_TRUE(a1.included_in.has_value());
  EXPECT_EQ(*a1.included_in, a2.id);
  const Total acme = total_of("Acme Corp");
  EXPECT_EQ(acme.estimate, 150);  // not 250
  EXPECT_EQ(acme.low, 150);
  // The ancestor is flagged superseded in the data: listed, left out.
  EXPECT_EQ(acme.superseded_events, 1);
  EXPECT_EQ(acme.inside_events, 0);
  EXPECT_EQ(a1.status, EventStatus::superseded);
  EXPECT_EQ(a2.status, EventStatus::active);
  EXPECT_EQ(a2.kind, EventKind::filing);
  EXPECT_EQ(a2.us_state, "CA");

  // The ancestor came first: linked as the amendment was recorded.
  EXPECT_EQ(by_key("b2").includes, (std::vector<EventId>{by_key("b1").id}));
  EXPECT_EQ(total_of("Beta LLC").estimate, 60);

  // A chain of amendments, newest first in the file.
  EXPECT_EQ(by_key("e3").includes, (std::vector<EventId>{by_key("e2").id}));
  EXPECT_EQ(by_key("e2").includes, (std::vector<EventId>{by_key("e1").id}));
  EXPECT_EQ(total_of("Epsilon").estimate, 90);

  const Total all = tracker_.total();
  EXPECT_EQ(all.estimate, 150 + 60 + 25 + 90);
  EXPECT_TRUE(all.unbounded());  // Gamma's notice gives no count
}

TEST_F(WarnTest, ImportingAgainChangesNothing) {
  io::import_file(tracker_, kFixture, warn());
  const std::string before = dump(db_path_);
  const ImportSummary s = io::import_file(tracker_, kFixture, warn());
  EXPECT_EQ(s.imported, 0);
  EXPECT_EQ(s.already_present + s.duplicates, 10);
  EXPECT_EQ(dump(db_path_), before);
}

TEST_F(WarnTest, AnAmendmentIsLinkedWhenItsAncestorArrivesLater) {
  const std::string first =
      write("first.csv", kHeader + notice("y2", "2023-06-02", "Yak", "30", "y1"));
  io::import_file(tracker_, first, warn());
  EXPECT_TRUE(by_key("y2").includes.empty());  // the ancestor is not known yet

  const std::string second =
      write("second.csv", kHeader + notice("y2", "2023-06-02", "Yak", "30", "y1") +
                              notice("y1", "2023-06-01", "Yak", "20"));
  const ImportSummary s = io::import_file(tracker_, second, warn());
  EXPECT_EQ(s.imported, 1);
  EXPECT_EQ(s.already_present, 1);
  EXPECT_EQ(by_key("y2").includes, (std::vector<EventId>{by_key("y1").id}));
  EXPECT_EQ(total_of("Yak").estimate, 30);
}

TEST_F(WarnTest, AnAmendmentOfAnEarlierImportIsLinkedAtOnce) {
  io::import_file(tracker_, write("first.csv", kHeader + notice("z1", "2023-06-01", "Zed", "20")),
                  warn());
  io::import_file(tracker_,
                  write("second.csv", kHeader + notice("z2", "2023-06-03", "Zed", "25", "z1")),
                  warn());
  EXPECT_EQ(by_key("z2").includes, (std::vector<EventId>{by_key("z1").id}));
  EXPECT_EQ(total_of("Zed").estimate, 25);
}

TEST_F(WarnTest, AnAmendmentWhoseAncestorIsNowhereStandsAlone) {
  const ImportSummary s = io::import_file(
      tracker_, write("orphan.csv", kHeader + notice("o2", "2023-06-03", "Orph", "25", "o1")),
      warn());
  EXPECT_EQ(s.imported, 1);
  EXPECT_EQ(total_of("Orph").estimate, 25);
}

TEST_F(WarnTest, AnAmendmentDatedBeforeItsLaterListedAncestorFailsAtItsLine) {
  const std::string path = write("order.csv", kHeader + notice("x1", "2023-01-01", "Xeno", "5") +
                                                  notice("x3", "2023-01-01", "Xeno", "10", "x2") +
                                                  notice("x2", "2023-02-01", "Xeno", "8"));
  expect_failure(path, 3, "cannot link this amendment", ErrorCode::invalid_inclusion);
}

TEST_F(WarnTest, AnAmendmentDatedBeforeItsEarlierListedAncestorFailsAtItsLine) {
  const std::string path = write("order.csv", kHeader + notice("x2", "2023-02-01", "Xeno", "8") +
                                                  notice("x3", "2023-01-01", "Xeno", "10", "x2"));
  expect_failure(path, 3, "includes[0]", ErrorCode::invalid_inclusion);
}

TEST_F(WarnTest, SkipBadDropsAnAmendmentThatCannotBeLinked) {
  const std::string path = write("order.csv", kHeader + notice("x1", "2023-01-01", "Xeno", "5") +
                                                  notice("x3", "2023-01-01", "Xeno", "10", "x2") +
                                                  notice("x2", "2023-02-01", "Xeno", "8") +
                                                  "bad,,2023-13-01,,CA,Xeno,,1,,,,,,,\n");
  const std::string rejects = dir_.file("rejects.csv");
  const ImportSummary s = io::import_file(tracker_, path, warn(true, rejects));
  EXPECT_EQ(s.rows_read, 4);
  EXPECT_EQ(s.imported, 2);
  EXPECT_EQ(s.rejected, 2);
  EXPECT_FALSE(tracker_.find_event("warn:x3").has_value());
  EXPECT_EQ(total_of("Xeno").estimate, 13);
  const std::string text = read_file(rejects);
  EXPECT_EQ(text.substr(0, 19), "line,reason,record\n");
  EXPECT_NE(text.find("\n5,\"notice_date: "), std::string::npos) << text;
  EXPECT_NE(text.find("\n3,\"likely_ancestor: cannot link this amendment"), std::string::npos)
      << text;
  // The row's own text, read again from the file.
  EXPECT_NE(text.find(",\"x3,,2023-01-01,,CA,Xeno,Fresno,10,false,false,false,true,x2,,\"\n"),
            std::string::npos)
      << text;
}

TEST_F(WarnTest, BooleansMayBeTrueFalseOneZeroOrBlank) {
  const std::string path =
      write("bools.csv", kHeader +
                             "h1,,2023-01-01,,CA,B1,,1,TRUE,0,,,,,\nh2,,2023-01-01,,CA,B2,,1,1.0,"
                             "true,,,,,\nh3,,2023-01-01,,CA,B3,,1,,,,,,,\n");
  io::import_file(tracker_, path, warn());
  EXPECT_EQ(by_key("h1").reasons.size(), 1U);
  EXPECT_EQ(by_key("h2").reasons.size(), 2U);
  EXPECT_TRUE(by_key("h3").reasons.empty());
}

TEST_F(WarnTest, BadBoolean) {
  expect_failure(write("bool.csv", kHeader + notice("g1", "2023-01-01", "G", "1") +
                                       "g2,,2023-01-01,,CA,G,,1,maybe,,,,,,\n"),
                 3, "is_closure: is not a boolean");
}

TEST_F(WarnTest, MissingNoticeDate) {
  expect_failure(write("date.csv", kHeader + "g2,,,,CA,G,,1,,,,,,,\n"), 2,
                 "notice_date: is missing");
}

TEST_F(WarnTest, NegativeJobs) {
  expect_failure(write("jobs.csv", kHeader + notice("g1", "2023-01-01", "G", "-3")), 2, "jobs");
}

TEST_F(WarnTest, WrongColumnCount) {
  expect_failure(write("cols.csv", kHeader + "g1,,2023-01-01,,CA,G,,1\n"), 2,
                 "the row has 8 fields, but the header has 15");
}

TEST_F(WarnTest, UnknownColumn) {
  std::string header = kHeader;
  header.insert(header.size() - 1, ",extra");
  expect_failure(write("extra.csv", header + "g1,,2023-01-01,,CA,G,,1,,,,,,,,x\n"), 1,
                 "unknown column \"extra\"");
}

TEST_F(WarnTest, MissingRequiredColumn) {
  expect_failure(write("nostate.csv", "hash_id,notice_date,company\ng1,2023-01-01,G\n"), 1,
                 "no \"postal_code\" column");
}

TEST_F(WarnTest, HeaderOnly) {
  expect_failure(write("header.csv", kHeader), 1, "no data rows");
}

}  // namespace
}  // namespace layoffs::test
