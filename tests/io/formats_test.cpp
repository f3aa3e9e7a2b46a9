// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// One pipeline, many formats: every known layoffs.fyi variant recognised by
// its header and named in the summary (strict and skip_bad), an unknown
// header refused with what was seen and what is known, and any CSV read
// through a mapping (--columns, a JSON mapping file).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include <sstream>

#include "export.h"
#include "import.h"
#include "mapping.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

const std::string kVariants = std::string(LAYOFFS_TEST_DATA_DIR) + "/variants/";
const std::string kShared = std::string(LAYOFFS_SHARED_DATA_DIR) + "/";

struct Variant {
  const char* file;
  const char* name;
  int rows;
  const char* bad_row;  // a row with a date that does not exist
};

class VariantTest : public ::testing::TestWithParam<Variant> {
 protected:
  TempDir dir_;
};

TEST_P(VariantTest, RecognisedByItsHeaderStrictAndSkipBad) {
  const Variant& v = GetParam();
  const std::string path = kVariants + v.file;
  {
    Tracker t = Tracker::open(dir_.file("strict.db"));
    const io::ImportSummary s = io::import_file(t, path);
    EXPECT_EQ(s.variant, v.name);
    EXPECT_EQ(s.format, io::Format::layoffsfyi);
    EXPECT_EQ(s.imported, v.rows);
    EXPECT_EQ(t.count_events(), v.rows);
    // Stable keys: the same file again adds nothing.
    const io::ImportSummary again = io::import_file(t, path);
    EXPECT_EQ(again.already_present, v.rows);
    EXPECT_EQ(t.count_events(), v.rows);
  }
  // A bad row: strict fails at its line and changes nothing; skip_bad
  // imports the others and rejects it with the same reason.
  std::string bytes = read_file(path);
  if (bytes.back() != '\n') {
    bytes += '\n';
  }
  bytes += v.bad_row;
  bytes += '\n';
  const std::string bad = dir_.file(std::string("bad_") + v.file);
  write_file(bad, bytes);
  std::string strict_reason;
  {
    Tracker t = Tracker::open(dir_.file("bad_strict.db"));
    try {
      io::import_file(t, bad);
      ADD_FAILURE() << "a bad row was imported";
    } catch (const io::ImportError& e) {
      EXPECT_EQ(e.line(), v.rows + 2);
      EXPECT_EQ(e.file(), bad);
      strict_reason = e.what();
    }
    EXPECT_EQ(t.count_events(), 0);
  }
  Tracker t = Tracker::open(dir_.file("bad_skip.db"));
  const std::string rejects = dir_.file("rejects.csv");
  const io::ImportSummary s = io::import_file(t, bad, {.skip_bad = true, .rejects_path = rejects});
  EXPECT_EQ(s.imported, v.rows);
  EXPECT_EQ(s.rejected, 1);
  const std::string written = read_file(rejects);
  const std::string reason = strict_reason.substr(strict_reason.find(": ") + 2);
  EXPECT_NE(written.find(reason.substr(0, reason.find('"'))), std::string::npos) << written;
}

INSTANTIATE_TEST_SUITE_P(
    Variants, VariantTest,
    ::testing::Values(
        Variant{"native_export.csv", "layoffs.fyi native export", 6,
                "Bad,SF Bay Area,5,2/30/25,,Other,Unknown,,United States,3/1/25"},
        Variant{"kaggle.csv", "layoffs.fyi Kaggle copy", 3, "Bad,X,Y,5,NULL,2/30/2023,,US,NULL"},
        Variant{"airtable.csv", "layoffs.fyi Airtable export", 4,
                "Bad,X,Y,5,,2023-02-30T00:00:00.000Z,,,,,US,"},
        Variant{"dump12.csv", "layoffs.fyi 12-column dump", 3, "Bad,X,Y,5,,2023-02-30,,,,,US,"},
        Variant{"lower11.csv", "layoffs.fyi lower-case 11 columns", 3,
                "Bad,X,Y,5,,2023-02-30,,US,,,"},
        Variant{"tech16.csv", "tech layoffs 16-column dump", 3,
                "4,Bad,X,USA,NA,5,2023-02-30,1,1,1,Y,Z,$1,2023,0,0"},
        Variant{"tech18.csv", "tech layoffs 18-column dump", 3,
                "4,Bad,X,X,X,USA,NA,5,2023-02-30,1,1,1,Y,Z,$1,2023,0,0"}),
    [](const ::testing::TestParamInfo<Variant>& p) {
      std::string n = p.param.file;
      return n.substr(0, n.find('.'));
    });

class FormatsTest : public ::testing::Test {
 protected:
  FormatsTest() : tracker_(Tracker::open(dir_.file("t.db"))) {}
  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.file(name);
    write_file(path, bytes);
    return path;
  }
  TempDir dir_;
  Tracker tracker_;
};

TEST_F(FormatsTest, TheNativeExportSampleImportsStrictly) {
  const io::ImportSummary s =
      io::import_file(tracker_, kShared + "layoffsfyi_native_export_sample.csv");
  EXPECT_EQ(s.variant, "layoffs.fyi native export");
  EXPECT_EQ(s.rows_read, 51);
  EXPECT_EQ(s.imported + s.duplicates, 51);
  EXPECT_EQ(s.rejected, 0);
  // The traps: M/D/YY, "16%", "$2,500 ", "London,Non-U.S.", Date Added.
  const Company automattic = tracker_.company(tracker_.company_id("Automattic"));
  EXPECT_EQ(automattic.hq_location, "SF Bay Area");
  Filter f;
  f.company = automattic.id;
  const auto events = tracker_.events(f);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].announced_on, Date::ymd(2025, 4, 2));
  ASSERT_TRUE(events[0].workforce_pct);
  EXPECT_DOUBLE_EQ(*events[0].workforce_pct, 16.0);
  ASSERT_TRUE(events[0].added_on);
  EXPECT_EQ(*events[0].added_on, Date::ymd(2025, 4, 2));
  f.company = tracker_.company_id("Canva");
  const auto canva = tracker_.events(f);
  ASSERT_EQ(canva.size(), 1U);
  ASSERT_TRUE(canva[0].funds_raised_musd);
  EXPECT_DOUBLE_EQ(*canva[0].funds_raised_musd, 2500.0);
  EXPECT_EQ(tracker_.company(tracker_.company_id("Tract")).hq_location, "London");
}

TEST_F(FormatsTest, DateAddedIsStoredExportedAndCheckedAsAddedOn) {
  io::import_file(tracker_, kShared + "layoffsfyi_native_export_sample.csv");
  std::ostringstream out;
  io::export_jsonl(tracker_, out);
  EXPECT_NE(out.str().find("\"added_on\":\"2025-04-06\""), std::string::npos);
  // Through JSON Lines into another file: kept.
  const std::string path = write("export.jsonl", out.str());
  Tracker copy = Tracker::open(dir_.file("copy.db"));
  io::import_file(copy, path);
  Filter f;
  f.company = copy.company_id("Tract");
  const auto events = copy.events(f);
  ASSERT_EQ(events.size(), 1U);
  ASSERT_TRUE(events[0].added_on);
  EXPECT_EQ(*events[0].added_on, Date::ymd(2025, 4, 6));
  // The library checks it like any date: a day, not in the future.
  NewEvent e;
  e.company = f.company.value();
  e.announced_on = Date::ymd(2024, 1, 2);
  e.added_on = Date::ymd(2999, 1, 1);
  try {
    copy.record(e);
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.field(), "added_on");
  }
  e.added_on = Date::year_month(2024, 1);
  EXPECT_THROW(copy.record(e), Error);
  // And so does the schema, at the sqlite3 prompt.
  EXPECT_NE(exec_raw(dir_.file("copy.db"), "UPDATE layoff_event SET added_on = '2024-02-30'"), 0);
}

TEST_F(FormatsTest, AnUnknownHeaderIsRefusedWithTheHeaderAndTheVariantsKnown) {
  const std::string path = write("odd.csv", "Employer,When,How Many\nAcme,2023-01-02,5\n");
  try {
    io::import_file(tracker_, path);
    FAIL();
  } catch (const io::ImportError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.line(), 1);
    EXPECT_NE(what.find("unknown column \"Employer\""), std::string::npos) << what;
    EXPECT_NE(what.find("Employer,When,How Many"), std::string::npos) << what;
    for (const io::Mapping& m : io::known_layoffsfyi_variants()) {
      EXPECT_NE(what.find(m.name), std::string::npos) << m.name;
    }
    EXPECT_NE(what.find("WARN"), std::string::npos);
  }
  EXPECT_EQ(tracker_.count_events(), 0);
}

// A state WARN register shaped like none of the known formats.
const std::string kRegister =
    "notice_id,employer_name,canonical_name,parent_company,notice_date,effective,"
    "employees_affected,state,city,layoff_type,reason_text,is_amendment\n"
    "WA-1,Amazon.com Services LLC,Amazon,,2023-01-18,2023-03-19,2300,WA,Seattle,Permanent,"
    "Restructuring,N\n"
    "WA-2,Twitch Interactive Inc,Twitch,Amazon,2023-03-01,,400,CA,San Francisco,Permanent,,N\n"
    "WA-3,\"Acme Widgets, Inc.\",Acme Widgets,,2023-02-30,,12,OR,Portland,Closure,,N\n"
    "WA-4,Globex Corp,Globex,,2023-02-01,,0,WA,Tacoma,Temporary,,N\n";

TEST_F(FormatsTest, AnyCsvImportsThroughItsColumns) {
  const std::string path = write("register.csv", kRegister);
  const io::Mapping m = io::parse_columns(
      "company=canonical_name,parent=parent_company,date=notice_date,effective_date=effective,"
      "headcount=employees_affected,state=state,location=city,key=notice_id,reason=reason_text");
  // Strict: the bad date on line 4 fails the import, naming the column.
  try {
    io::import_csv(tracker_, path, m);
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_NE(std::string(e.what()).find("notice_date"), std::string::npos) << e.what();
  }
  EXPECT_EQ(tracker_.count_events(), 0);
  EXPECT_TRUE(tracker_.companies().empty());
  // skip_bad: the same rule, the row rejected.
  const io::ImportSummary s = io::import_csv(tracker_, path, m, {.skip_bad = true});
  EXPECT_EQ(s.format, io::Format::csv);
  EXPECT_EQ(s.variant, "columns given");
  EXPECT_EQ(s.imported, 3);
  EXPECT_EQ(s.rejected, 1);
  const Event twitch = tracker_.event(*tracker_.find_event("csv:WA-2"));
  EXPECT_EQ(twitch.company_name, "Twitch");
  EXPECT_EQ(tracker_.company(twitch.company).parent, tracker_.company_id("Amazon"));
  EXPECT_EQ(twitch.locations, (std::vector<std::string>{"San Francisco", "CA"}));
  const Event amazon = tracker_.event(*tracker_.find_event("csv:WA-1"));
  EXPECT_EQ(amazon.headcount.low(), 2300);
  ASSERT_TRUE(amazon.effective_on);
  EXPECT_EQ(*amazon.effective_on, Date::ymd(2023, 3, 19));
  ASSERT_EQ(amazon.reasons.size(), 1U);
  EXPECT_EQ(amazon.reasons[0].name, "Restructuring");
  // Amazon, subsidiaries included: 2,300 + 400.
  Filter f;
  f.company = tracker_.company_id("Amazon");
  EXPECT_EQ(tracker_.total(f).low, 2700);
  // The same mapping again adds nothing (keys from the mapped values).
  const io::ImportSummary again = io::import_csv(tracker_, path, m, {.skip_bad = true});
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.already_present, 3);
}

TEST_F(FormatsTest, KeysComeFromTheMappedValuesOnly) {
  // Without a key column, the key hashes the mapped values: a column the
  // mapping ignores does not make a row new.
  const io::Mapping m = io::parse_columns("company=employer_name,date=notice_date");
  io::import_csv(tracker_, write("a.csv", "employer_name,notice_date,comment\nAcme,2023-01-02,x\n"),
                 m);
  const io::ImportSummary s = io::import_csv(
      tracker_, write("b.csv", "employer_name,notice_date,comment\nAcme,2023-01-02,y\n"), m);
  EXPECT_EQ(s.already_present, 1);
  EXPECT_EQ(tracker_.count_events(), 1);
}

TEST_F(FormatsTest, AMappingFileSaysTheSame) {
  const std::string mapping = write("register.json", R"({
    "name": "Example state register",
    "columns": {"company": "employer_name", "date": "notice_date",
                "headcount": "employees_affected", "state": "state",
                "location": ["city"], "key": "notice_id"},
    "zero_headcount_unknown": true,
    "event_country": "United States"
  })");
  const io::Mapping m = io::read_mapping_file(mapping);
  EXPECT_EQ(m.name, "Example state register");
  const io::ImportSummary s =
      io::import_csv(tracker_, write("register.csv", kRegister), m, {.skip_bad = true});
  EXPECT_EQ(s.variant, "Example state register");
  EXPECT_EQ(s.imported, 3);
  const Event globex = tracker_.event(*tracker_.find_event("csv:WA-4"));
  EXPECT_EQ(globex.headcount.kind(), HeadcountKind::unknown);  // 0 = not given
  EXPECT_EQ(globex.country, "United States");
}

TEST_F(FormatsTest, BadMappingsAreRefusedByName) {
  EXPECT_THROW(io::parse_columns("company"), Error);
  EXPECT_THROW(io::parse_columns("employer=employer_name"), Error);
  EXPECT_THROW(io::parse_columns(""), Error);
  try {
    io::import_csv(tracker_, write("r.csv", kRegister),
                   io::parse_columns("company=nope,date=notice_date"));
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("no column \"nope\""), std::string::npos) << e.what();
  }
  try {
    io::read_mapping_file(write("bad.json", R"({"columns": {"company": 3}})"));
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("columns.company"), std::string::npos) << e.what();
  }
  EXPECT_THROW(io::read_mapping_file(write("typo.json", R"({"colums": {}})")), io::ImportError);
}

TEST_F(FormatsTest, ShowColumnsPrintsTheHeaderAndFirstRows) {
  const std::string shown = io::show_columns(write("register.csv", kRegister), 2);
  EXPECT_NE(shown.find("employees_affected"), std::string::npos) << shown;
  EXPECT_NE(shown.find("2300 | 400"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("Acme"), std::string::npos) << shown;  // only 2 rows
}

TEST_F(FormatsTest, TheCliTakesColumnsAndShowsThem) {
  const std::string path = write("register.csv", kRegister);
  const std::string db = dir_.file("cli.db");
  const std::string cli = LAYOFFS_CLI;
  const auto run = [&](const std::string& args) {
    return std::system(
        (cli + " --db " + db + " " + args + " > " + dir_.file("out.txt") + " 2>&1").c_str());
  };
  EXPECT_EQ(run("import --show-columns " + path), 0);
  EXPECT_NE(read_file(dir_.file("out.txt")).find("canonical_name"), std::string::npos);
  EXPECT_NE(run("import " + path + " --columns company=canonical_name,date=notice_date"), 0);
  EXPECT_NE(read_file(dir_.file("out.txt")).find("register.csv:4"), std::string::npos)
      << read_file(dir_.file("out.txt"));
  EXPECT_EQ(run("import " + path + " --skip-bad --columns company=canonical_name,date=notice_date"),
            0);
  EXPECT_NE(read_file(dir_.file("out.txt")).find("(columns given): rows read 4, imported 3"),
            std::string::npos)
      << read_file(dir_.file("out.txt"));
}

}  // namespace
}  // namespace layoffs::test
