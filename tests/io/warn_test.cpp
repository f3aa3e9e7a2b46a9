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
  // The ancestor is superseded (by its publisher's flag and by the
  // amendment): left out as superseded, no longer counted as "inside".
  EXPECT_EQ(acme.superseded_events, 1);
  EXPECT_EQ(acme.inside_events, 0);
  EXPECT_EQ(a1.status, EventStatus::superseded);

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

namespace layoffs::test {
namespace {

const std::string kSlice =
    std::string(LAYOFFS_SHARED_DATA_DIR) + "/warn_bln_integrated_slice_2023-01.csv";

// Issue 9's done-when figures, on the real slice.
TEST_F(WarnTest, TheRealSliceCountsWhatThePublisherCounts) {
  const ImportSummary s = io::import_file(tracker_, kSlice);
  EXPECT_EQ(s.format, io::Format::warn);
  EXPECT_EQ(s.variant, "Big Local News WARN integrated.csv");
  EXPECT_EQ(s.imported, 189);
  const Total all = tracker_.total();
  EXPECT_EQ(all.low, 11625);
  EXPECT_FALSE(all.high.has_value());  // 8 notices have no count
  EXPECT_EQ(all.selected_events, 189);
  EXPECT_EQ(all.counted_events, 123);
  EXPECT_EQ(all.unknown_events, 8);
  EXPECT_EQ(all.superseded_events, 66);
  EXPECT_EQ(all.inside_events, 0);
  // Amazon's whole tree: WA 2,320 (its superseded 2,300 left out), the
  // Sunnyvale notices, New York City Region; no contractor.
  const Total amazon = tracker_.total(Filter{.company = tracker_.company_id("Amazon")});
  EXPECT_EQ(amazon.low, 2332);
  EXPECT_EQ(amazon.selected_events, 6);
  // Every notice is a filing with its state; "WARN notices in WA in 2023" is one call.
  EXPECT_EQ(tracker_.count_events(Filter{.kind = EventKind::filing}), 189);
  Filter wa;
  wa.us_state = "WA";
  wa.from = Date::ymd(2023, 1, 1);
  wa.to = Date::ymd(2023, 12, 31);
  const Total wa_total = tracker_.total(wa);
  EXPECT_GT(wa_total.selected_events, 0);
  for (const Event& e : tracker_.events(wa)) {
    EXPECT_EQ(e.us_state, "WA");
    EXPECT_EQ(e.kind, EventKind::filing);
  }
  // Superseded notices are still listed.
  const auto listed = tracker_.events(Filter{.company = tracker_.company_id("Amazon")});
  EXPECT_EQ(std::count_if(listed.begin(), listed.end(),
                          [](const Event& e) { return e.status == EventStatus::superseded; }),
            2);
}

TEST_F(WarnTest, ZeroOrBlankJobsAreAnUnknownCount) {
  io::import_file(tracker_, write("z.csv", kHeader + notice("z1", "2023-01-02", "Zed", "0") +
                                               notice("z2", "2023-01-03", "Zed", "") +
                                               notice("z3", "2023-01-04", "Zed", "0.0")));
  for (const char* k : {"z1", "z2", "z3"}) {
    EXPECT_EQ(by_key(k).headcount.kind(), HeadcountKind::unknown) << k;
  }
  EXPECT_EQ(tracker_.total().unknown_events, 3);
}

TEST_F(WarnTest, ASupersededNoticeWithoutItsAmendmentIsStillLeftOut) {
  const std::string row = "s1,,2023-01-02,,WA,Solo Inc,Seattle,40,false,false,true,false,,,\n";
  io::import_file(tracker_,
                  write("s.csv", kHeader + row + notice("s2", "2023-01-03", "Solo Inc", "5")));
  const Event s1 = by_key("s1");
  EXPECT_EQ(s1.status, EventStatus::superseded);
  EXPECT_NE(s1.status_note.find("is_superseded"), std::string::npos) << s1.status_note;
  const Total t = tracker_.total();
  EXPECT_EQ(t.low, 5);
  EXPECT_EQ(t.superseded_events, 1);
}

TEST_F(WarnTest, SupersededInALaterImportIsLeftOutToo) {
  // First import: two active notices.
  io::import_file(tracker_, write("1.csv", kHeader + notice("p1", "2023-01-02", "Pine", "30") +
                                               notice("q1", "2023-01-02", "Quill", "20")));
  EXPECT_EQ(tracker_.total().low, 50);
  // Later: Pine's amendment arrives; Quill's row is now flagged superseded.
  const std::string quill = "q1,,2023-01-02,,CA,Quill,Fresno,20,false,false,true,false,,,\n";
  const ImportSummary s = io::import_file(
      tracker_, write("2.csv", kHeader + notice("p2", "2023-01-05", "Pine", "35", "p1") + quill));
  EXPECT_EQ(s.imported, 1);
  EXPECT_EQ(s.already_present, 1);
  EXPECT_EQ(by_key("p1").status, EventStatus::superseded);
  EXPECT_NE(by_key("p1").status_note.find("warn:p2"), std::string::npos);
  EXPECT_EQ(by_key("q1").status, EventStatus::superseded);
  const Total t = tracker_.total();
  EXPECT_EQ(t.low, 35);
  EXPECT_EQ(t.superseded_events, 2);
}

}  // namespace
}  // namespace layoffs::test
