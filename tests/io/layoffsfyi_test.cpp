// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Importing layoffs.fyi exports: the shared Kaggle file's acceptance
// figures, the three header variants, field handling, strict and skip_bad
// modes, and each malformed input failing at the right line with the
// database unchanged.
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

const std::string kShared = std::string(LAYOFFS_SHARED_DATA_DIR) + "/layoffs_fyi_2020_2023.csv";
const std::string kHeader =
    "company,location,industry,total_laid_off,percentage_laid_off,date,stage,country,"
    "funds_raised_millions\n";

std::string fixture(const std::string& name) {
  return std::string(LAYOFFS_TEST_DATA_DIR) + "/" + name;
}

ImportOptions lfyi(bool skip_bad = false, std::string rejects = {}) {
  ImportOptions o;
  o.format = io::Format::layoffsfyi;
  o.skip_bad = skip_bad;
  o.rejects_path = std::move(rejects);
  return o;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

class LayoffsfyiTest : public ::testing::Test {
 protected:
  LayoffsfyiTest() : db_path_(dir_.file("t.db")), tracker_(Tracker::open(db_path_)) {}

  // A database that already holds something, so "unchanged" means more than
  // "still empty".
  void seed() {
    const CompanyId c = tracker_.add_company({.name = "Seed Co"});
    tracker_.record({.company = c,
                     .announced_on = Date::ymd(2022, 5, 1),
                     .headcount = Headcount::exact(10),
                     .key = "seed:1"});
  }

  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.file(name);
    write_file(path, bytes);
    return path;
  }

  // Imports `path`, which must fail with `code` at `line`, whose message
  // must contain `fragment`; the database must be left as it was.
  void expect_failure(const std::string& path, std::int64_t line, const std::string& fragment,
                      ErrorCode code = ErrorCode::invalid_argument,
                      const ImportOptions& options = lfyi()) {
    seed();
    const std::string before = dump(db_path_);
    try {
      io::import_file(tracker_, path, options);
      FAIL() << "imported " << path << " without an error";
    } catch (const ImportError& e) {
      const std::string prefix = path + ":" + std::to_string(line) + ":";
      EXPECT_EQ(std::string(e.what()).substr(0, prefix.size()), prefix) << e.what();
      EXPECT_EQ(e.line(), line) << e.what();
      EXPECT_EQ(e.file(), path);
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
    EXPECT_EQ(dump(db_path_), before);
  }

  Event only_event_of(const std::string& company) {
    Filter f;
    f.company = tracker_.company_id(company);
    const auto events = tracker_.events(f);
    EXPECT_EQ(events.size(), 1U) << company;
    return events.empty() ? Event{} : events.front();
  }

  TempDir dir_;
  std::string db_path_;
  Tracker tracker_;
};

// ---- The shared Kaggle file -------------------------------------------

TEST_F(LayoffsfyiTest, SharedFileStrictFailsAtTheRowWithoutADate) {
  expect_failure(kShared, 2358, "date: is missing");
  EXPECT_EQ(tracker_.count_events(), 1);  // the seed alone
}

TEST_F(LayoffsfyiTest, SharedFileSkipBadGivesTheAcceptanceFigures) {
  const std::string rejects = dir_.file("rejects.csv");
  const ImportSummary s = io::import_file(tracker_, kShared, lfyi(true, rejects));
  EXPECT_EQ(s.format, io::Format::layoffsfyi);
  EXPECT_EQ(s.rows_read, 2361);
  EXPECT_EQ(s.imported, 2355);
  EXPECT_EQ(s.duplicates, 5);
  EXPECT_EQ(s.already_present, 0);
  EXPECT_EQ(s.rejected, 1);
  EXPECT_EQ(tracker_.count_events(), 2355);

  const auto rows = lines_of(read_file(rejects));
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0], "line,reason,record");
  EXPECT_EQ(rows[1],
            "2358,date: is missing,"
            "\"Blackbaud,Charleston,Other,500,0.14,NULL,Post-IPO,United States,NULL\"");

  const CompanyId amazon = tracker_.company_id("Amazon");
  const Total t = tracker_.total(
      {.company = amazon, .from = Date::ymd(2022, 1, 1), .to = Date::ymd(2023, 12, 31)});
  EXPECT_EQ(t.estimate, 18150);
  EXPECT_EQ(t.low, 18150);
  ASSERT_TRUE(t.high.has_value());
  EXPECT_EQ(*t.high, 18150);
  EXPECT_EQ(t.counted_events, 3);

  // Where the fields went.
  const Company c = tracker_.company(amazon);
  EXPECT_EQ(c.industry, "Retail");
  EXPECT_EQ(c.hq_location, "Seattle");
  EXPECT_EQ(c.country, "United States");
  Filter f;
  f.company = amazon;
  f.from = Date::ymd(2022, 11, 16);
  f.to = Date::ymd(2022, 11, 16);
  const auto events = tracker_.events(f);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].headcount, Headcount::parse("10000"));
  ASSERT_TRUE(events[0].workforce_pct.has_value());
  EXPECT_DOUBLE_EQ(*events[0].workforce_pct, 3.0);
  EXPECT_EQ(events[0].company_stage, "Post-IPO");
  ASSERT_TRUE(events[0].funds_raised_musd.has_value());
  EXPECT_DOUBLE_EQ(*events[0].funds_raised_musd, 108.0);
  EXPECT_EQ(events[0].key.substr(0, 5), "lfyi:");
  EXPECT_EQ(events[0].key.size(), 5U + 32U);

  // Non-ASCII names survive; NULL counts are unknown.
  EXPECT_TRUE(tracker_.find_company("Ualá").has_value());
  const Event oatly = only_event_of("Oatly");
  EXPECT_TRUE(oatly.headcount.is_unknown());
  EXPECT_FALSE(oatly.workforce_pct.has_value());

  // Importing the same file again adds nothing. Every good row's key now
  // predates the import, so the five repeated rows count as already present
  // too: telling them from their first occurrence would take a set of all
  // keys seen, which the flat-memory rule forbids.
  const std::string before = dump(db_path_);
  const ImportSummary again = io::import_file(tracker_, kShared, lfyi(true));
  EXPECT_EQ(again.rows_read, 2361);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.already_present + again.duplicates, 2360);
  EXPECT_EQ(again.already_present, 2360);
  EXPECT_EQ(again.rejected, 1);
  EXPECT_EQ(tracker_.count_events(), 2355);
  EXPECT_EQ(dump(db_path_), before);
}

TEST_F(LayoffsfyiTest, SummaryLineAndProgress) {
  std::vector<std::pair<std::int64_t, std::int64_t>> calls;
  ImportOptions o = lfyi(true);
  o.progress = [&](std::int64_t done, std::int64_t total) { calls.emplace_back(done, total); };
  const ImportSummary s = io::import_file(tracker_, kShared, o);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().first, calls.back().second);
  EXPECT_EQ(calls.back().second, 170054);
  const std::string line = io::to_string(s);
  EXPECT_EQ(line.substr(0, 76),
            "rows read 2361, imported 2355, duplicates 5, already present 0, rejected 1, ");
}

// ---- Header variants ----------------------------------------------------

TEST_F(LayoffsfyiTest, AirtableExportWithIsoTimestampsAndLocationHq) {
  const ImportSummary s = io::import_file(tracker_, fixture("lfyi_airtable.csv"));
  EXPECT_EQ(s.format, io::Format::layoffsfyi);
  EXPECT_EQ(s.rows_read, 4);
  EXPECT_EQ(s.imported, 4);

  const Company wix = tracker_.company(tracker_.company_id("Wix"));
  EXPECT_EQ(wix.hq_location, "Tel Aviv");
  EXPECT_EQ(wix.country, "Israel");
  EXPECT_EQ(wix.industry, "Marketing");

  const Event e = only_event_of("Wix");
  EXPECT_EQ(e.announced_on, Date::ymd(2023, 1, 4));
  EXPECT_EQ(e.headcount, Headcount::parse("100"));
  ASSERT_TRUE(e.workforce_pct.has_value());
  EXPECT_DOUBLE_EQ(*e.workforce_pct, 2.5);
  ASSERT_EQ(e.sources.size(), 1U);
  EXPECT_EQ(e.sources[0].url, "https://www.calcalistech.com/ctechnews/article/wix");
  EXPECT_EQ(e.sources[0].tier, SourceTier::media_report);
  EXPECT_EQ(e.company_stage, "Post-IPO");
  ASSERT_TRUE(e.funds_raised_musd.has_value());
  EXPECT_DOUBLE_EQ(*e.funds_raised_musd, 58.0);

  // A quoted name with a comma, "$1,200" raised, a percentage with a sign.
  const Event acme = only_event_of("Acme, Inc.");
  ASSERT_TRUE(acme.funds_raised_musd.has_value());
  EXPECT_DOUBLE_EQ(*acme.funds_raised_musd, 1200.0);
  ASSERT_TRUE(acme.workforce_pct.has_value());
  EXPECT_DOUBLE_EQ(*acme.workforce_pct, 12.0);
  EXPECT_EQ(tracker_.company(acme.company).hq_location, "SF Bay Area");

  // A blank count is unknown; a source that is not a URL goes to the notes.
  const Event quiet = only_event_of("Quietly");
  EXPECT_TRUE(quiet.headcount.is_unknown());
  EXPECT_TRUE(quiet.sources.empty());
  EXPECT_EQ(quiet.notes, "Source: internal memo");
  EXPECT_EQ(tracker_.company(quiet.company).hq_location, "");
}

TEST_F(LayoffsfyiTest, ElevenColumnLowerCaseForm) {
  const ImportSummary s = io::import_file(tracker_, fixture("lfyi_lower11.csv"));
  EXPECT_EQ(s.rows_read, 3);
  EXPECT_EQ(s.imported, 3);
  const Event google = only_event_of("Google");
  EXPECT_TRUE(google.headcount.same_value(Headcount::exact(12000)));
  EXPECT_EQ(google.headcount.phrase(), "12000.0");  // as reported
  EXPECT_EQ(google.headcount.estimate(), 12000);
  EXPECT_EQ(google.announced_on, Date::ymd(2023, 1, 20));
  ASSERT_EQ(google.sources.size(), 1U);
  const Event meta = only_event_of("Meta");
  EXPECT_EQ(meta.headcount.estimate(), 11000);
  ASSERT_TRUE(meta.funds_raised_musd.has_value());
  EXPECT_DOUBLE_EQ(*meta.funds_raised_musd, 26000.0);
  EXPECT_EQ(tracker_.company(meta.company).country, "United States");
  const Event unknown = only_event_of("Stealthy");
  EXPECT_TRUE(unknown.headcount.is_unknown());
  EXPECT_EQ(unknown.company_stage, "");  // "Unknown" means missing
}

TEST_F(LayoffsfyiTest, ColumnsAreFoundByNameInAnyOrder) {
  const std::string path =
      write("shuffled.csv",
            "Date, COUNTRY ,funds_raised_millions,Stage,percentage_laid_off,Total_Laid_Off,"
            "Industry,Location,Company\n"
            "3/6/2023,Australia,210,Post-IPO,0.05,500,Other,Sydney,Atlassian\n");
  const ImportSummary s = io::import_file(tracker_, path, lfyi());
  EXPECT_EQ(s.imported, 1);
  const Event e = only_event_of("Atlassian");
  EXPECT_EQ(e.announced_on, Date::ymd(2023, 3, 6));
  EXPECT_EQ(e.headcount.estimate(), 500);
  ASSERT_TRUE(e.workforce_pct.has_value());
  EXPECT_DOUBLE_EQ(*e.workforce_pct, 5.0);
  EXPECT_EQ(tracker_.company(e.company).country, "Australia");
}

TEST_F(LayoffsfyiTest, AutoDetectReadsTheSharedHeader) {
  const std::string path = write("auto.csv", kHeader +
                                                 "Atlassian,Sydney,Other,500,0.05,3/6/2023,"
                                                 "Post-IPO,Australia,210\n");
  const ImportSummary s = io::import_file(tracker_, path);
  EXPECT_EQ(s.format, io::Format::layoffsfyi);
  EXPECT_EQ(s.imported, 1);
}

// ---- BOM and line ends ------------------------------------------------

TEST_F(LayoffsfyiTest, BomAndCrlfImportCorrectly) {
  const std::string rows =
      "Atlassian,Sydney,Other,500,0.05,3/6/2023,Post-IPO,Australia,210\r\n"
      "\"Comma, Co\",Sydney,Other,5,NULL,3/7/2023,Seed,Australia,1\r\n";
  const std::string crlf_header = kHeader.substr(0, kHeader.size() - 1) + "\r\n";
  const std::string path = write("bom.csv", "\xEF\xBB\xBF" + crlf_header + rows);
  const ImportSummary s = io::import_file(tracker_, path);
  EXPECT_EQ(s.format, io::Format::layoffsfyi);
  EXPECT_EQ(s.rows_read, 2);
  EXPECT_EQ(s.imported, 2);
  const Event e = only_event_of("Atlassian");
  EXPECT_DOUBLE_EQ(*e.funds_raised_musd, 210.0);  // no stray '\r' in the last field
  EXPECT_EQ(tracker_.company(e.company).country, "Australia");
  EXPECT_EQ(tracker_.company(only_event_of("Comma, Co").company).industry, "Other");

  // The same rows with LF and no BOM name the same events.
  const std::string lf = write("lf.csv", kHeader +
                                             "Atlassian,Sydney,Other,500,0.05,3/6/2023,Post-IPO,"
                                             "Australia,210\n");
  const ImportSummary again = io::import_file(tracker_, lf);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.already_present, 1);
}

// ---- Field handling ---------------------------------------------------

TEST_F(LayoffsfyiTest, PercentagesAreFractionsOrCarryASign) {
  const std::string path = write("pct.csv", kHeader +
                                                "A,X,Y,1,0.07,1/2/2023,,US,\n"
                                                "B,X,Y,1,7%,1/2/2023,,US,\n"
                                                "C,X,Y,1,1,1/2/2023,,US,\n");
  io::import_file(tracker_, path, lfyi());
  EXPECT_EQ(*only_event_of("A").workforce_pct, 7.0);  // exactly, not 7.000000000000001
  EXPECT_EQ(*only_event_of("B").workforce_pct, 7.0);
  EXPECT_EQ(*only_event_of("C").workforce_pct, 100.0);
}

TEST_F(LayoffsfyiTest, OutOfRangePercentageIsABadRow) {
  expect_failure(write("pct.csv", kHeader + "A,X,Y,1,0.5,1/2/2023,,US,\nB,X,Y,1,5,1/2/2023,,US,\n"),
                 3, "percentage_laid_off");
}

TEST_F(LayoffsfyiTest, MissingCompanyIsABadRow) {
  expect_failure(
      write("nocompany.csv", kHeader + "A,X,Y,1,0.5,1/2/2023,,US,\nNULL,X,Y,1,,1/2/2023,,US,\n"), 3,
      "company: is missing");
}

TEST_F(LayoffsfyiTest, ExactDuplicatesCountOnceAndSpacingMakesAnotherRow) {
  const std::string row = "A,X,Y,10,,1/2/2023,,US,\n";
  const std::string path =
      write("dups.csv", kHeader + row + row + "A ,X,Y,10,,1/2/2023,,US,\n" + row);
  const ImportSummary s = io::import_file(tracker_, path, lfyi());
  EXPECT_EQ(s.rows_read, 4);
  EXPECT_EQ(s.imported, 2);
  EXPECT_EQ(s.duplicates, 2);
  EXPECT_EQ(tracker_.count_events(), 2);
}

TEST_F(LayoffsfyiTest, AlreadyPresentAfterSomethingNewIsStillAlreadyPresent) {
  const std::string first = write("first.csv", kHeader + "A,X,Y,10,,1/2/2023,,US,\n");
  io::import_file(tracker_, first, lfyi());
  const std::string second = write("second.csv", kHeader +
                                                     "B,X,Y,10,,1/2/2023,,US,\n"
                                                     "A,X,Y,10,,1/2/2023,,US,\n"
                                                     "B,X,Y,10,,1/2/2023,,US,\n");
  const ImportSummary s = io::import_file(tracker_, second, lfyi());
  EXPECT_EQ(s.imported, 1);
  EXPECT_EQ(s.already_present, 1);
  EXPECT_EQ(s.duplicates, 1);
}

// ---- skip_bad -----------------------------------------------------------

TEST_F(LayoffsfyiTest, SkipBadWritesEachRejectedRowWithItsReason) {
  const std::string rejects = dir_.file("rejects.csv");
  const ImportSummary s = io::import_file(tracker_, fixture("lfyi_mixed.csv"), lfyi(true, rejects));
  EXPECT_EQ(s.rows_read, 8);
  EXPECT_EQ(s.imported, 3);
  EXPECT_EQ(s.duplicates, 0);
  EXPECT_EQ(s.rejected, 5);
  EXPECT_EQ(tracker_.count_events(), 3);
  const std::string text = read_file(rejects);
  const auto rows = lines_of(text);
  ASSERT_GE(rows.size(), 6U) << text;
  EXPECT_EQ(rows[0], "line,reason,record");
  EXPECT_EQ(rows[1].substr(0, 2), "3,") << rows[1];
  EXPECT_NE(rows[1].find("2/30/2023"), std::string::npos) << rows[1];
  EXPECT_EQ(rows[2].substr(0, 2), "4,") << rows[2];
  EXPECT_NE(rows[2].find("-5"), std::string::npos) << rows[2];
  EXPECT_EQ(rows[3].substr(0, 2), "6,") << rows[3];
  EXPECT_NE(rows[3].find("fields"), std::string::npos) << rows[3];
  // A record spanning two lines keeps its line break, quoted.
  EXPECT_NE(text.find("7,date: is missing,\"\"\"Two\nLines\"\",X,Y,1,,NULL,,US,\"\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(rows[rows.size() - 1].substr(0, 3), "10,") << text;
  // The library's own field name comes with the column's.
  EXPECT_NE(text.find("10,\"date (announced_on): is in the future"), std::string::npos) << text;
  // The row that failed in the library left no company behind.
  EXPECT_FALSE(tracker_.find_company("Futuristic").has_value());
  EXPECT_TRUE(tracker_.find_company("Good One").has_value());
}

TEST_F(LayoffsfyiTest, SkipBadWithoutARejectsFileStillCounts) {
  const ImportSummary s = io::import_file(tracker_, fixture("lfyi_mixed.csv"), lfyi(true));
  EXPECT_EQ(s.rejected, 5);
  EXPECT_EQ(s.imported, 3);
}

// ---- Malformed input: each fails at its line and changes nothing ---------

TEST_F(LayoffsfyiTest, UnterminatedQuoteIsReportedWhereItOpened) {
  expect_failure(write("quote.csv", kHeader + "A,X,Y,1,,1/2/2023,,US,\n"
                                              "\"B,X,Y,1,,1/2/2023,,US,\n"
                                              "C,X,Y,1,,1/2/2023,,US,\n"
                                              "D,X,Y,1,,1/2/2023,,US,\n"),
                 3, "unterminated quote");
}

TEST_F(LayoffsfyiTest, UnterminatedQuoteInAFileWithCrlf) {
  expect_failure(write("quote.csv", "company,date\r\nA,1/2/2023\r\nB,\"1/2/2023\r\nC,1/3/2023\r\n"),
                 3, "unterminated quote");
}

TEST_F(LayoffsfyiTest, WrongColumnCount) {
  expect_failure(write("cols.csv", kHeader + "A,X,Y,1,,1/2/2023,,US,\n"
                                             "B,X,Y,1,,1/2/2023,,US\n"),
                 3, "the row has 8 fields, but the header has 9");
}

TEST_F(LayoffsfyiTest, BadDate) {
  expect_failure(write("date.csv", kHeader + "A,X,Y,1,,1/2/2023,,US,\n"
                                             "B,X,Y,1,,1/2/2023,,US,\n"
                                             "C,X,Y,1,,13/45/2023,,US,\n"),
                 4, "date: is not a date");
}

TEST_F(LayoffsfyiTest, NegativeCount) {
  expect_failure(write("neg.csv", kHeader + "A,X,Y,-5,,1/2/2023,,US,\n"), 2, "total_laid_off");
}

TEST_F(LayoffsfyiTest, InvalidUtf8) {
  expect_failure(write("utf8.csv", kHeader + "A,X,Y,1,,1/2/2023,,US,\n"
                                             "B\xC3\x28,X,Y,1,,1/2/2023,,US,\n"),
                 3, "company: is not valid UTF-8");
}

TEST_F(LayoffsfyiTest, OneMegabyteField) {
  const std::string big(1024 * 1024, 'x');
  expect_failure(write("big.csv", kHeader + "A,X,Y,1,,1/2/2023,,US,\n" + "B,\"" + big +
                                      "\",Y,1,,1/2/2023,,US,\nC,X,Y,1,,1/2/2023,,US,\n"),
                 3, "field 2 is longer than 65,536 bytes");
}

TEST_F(LayoffsfyiTest, OneMegabyteFieldIsSkippedWithSkipBad) {
  const std::string big(1024 * 1024, 'x');
  const std::string path = write("big.csv", kHeader + "A,X,Y,1,,1/2/2023,,US,\n" + "B," + big +
                                                ",Y,1,,1/2/2023,,US,\nC,X,Y,1,,1/2/2023,,US,\n");
  const std::string rejects = dir_.file("rejects.csv");
  const ImportSummary s = io::import_file(tracker_, path, lfyi(true, rejects));
  EXPECT_EQ(s.imported, 2);
  EXPECT_EQ(s.rejected, 1);
  // The rejected record's text is kept only up to a cap.
  EXPECT_LT(read_file(rejects).size(), 20'000U);
}

TEST_F(LayoffsfyiTest, EmptyFile) {
  expect_failure(write("empty.csv", ""), 1, "empty");
}

TEST_F(LayoffsfyiTest, HeaderOnly) {
  expect_failure(write("header.csv", kHeader), 1, "no data rows");
}

TEST_F(LayoffsfyiTest, HeaderOnlyFailsEvenWithSkipBad) {
  expect_failure(write("header.csv", kHeader + "\n\n"), 1, "no data rows",
                 ErrorCode::invalid_argument, lfyi(true));
}

TEST_F(LayoffsfyiTest, UnknownHeader) {
  expect_failure(write("unknown.csv", "company,date,headcount_guess\nA,1/2/2023,5\n"), 1,
                 "unknown column \"headcount_guess\"");
}

TEST_F(LayoffsfyiTest, MissingDateColumn) {
  expect_failure(write("nodate.csv", "company,total_laid_off\nA,5\n"), 1, "no \"date\" column");
}

TEST_F(LayoffsfyiTest, SameColumnTwice) {
  expect_failure(write("twice.csv", "company,date,# Laid Off,total_laid_off\nA,1/2/2023,5,5\n"), 1,
                 "hold the same thing");
}

TEST_F(LayoffsfyiTest, MissingFile) {
  expect_failure(dir_.file("nope.csv"), 0, "cannot", ErrorCode::io_error);
}

}  // namespace
}  // namespace layoffs::test
