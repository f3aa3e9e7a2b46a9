// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The import half of the bad-input corpus (the library half is
// tests/bad_input_corpus_test.cpp): malformed layoffs.fyi and WARN CSV rows
// and JSON Lines lines, each as a tiny file of its own. A strict import of
// each must fail with an ImportError of the expected code that names the
// file and the line the bad row starts on (field() is "FILE:LINE"), and
// must leave the database byte-identical: main file, -wal and content. Most
// files start with a good row, so "nothing imported" is really tested: the
// good row was written inside the import's transaction and must be gone.
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <layoffs/layoffs.h>

#include "import.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

using io::Format;
using io::ImportError;

struct BadFile {
  std::string what;
  Format format;
  std::string text;   // the whole file
  ErrorCode code;     // of the ImportError
  std::int64_t line;  // where the bad row starts (1 = header)
};

const std::string kFyi =
    "company,location,industry,total_laid_off,percentage_laid_off,date,stage,country,"
    "funds_raised_millions\n";
const std::string kFyiGood =
    "Acme,SF Bay Area,Retail,10,0.1,2023-01-05,Series B,United States,100\n";

const std::string kWarn =
    "hash_id,first_inserted_date,notice_date,effective_date,postal_code,company,location,jobs,"
    "is_closure,is_temporary,is_superseded,is_amendment,likely_ancestor,estimated_amendments,"
    "last_updated_date\n";
const std::string kWarnGood =
    "g1,2023-01-11,2023-01-10,2023-03-10,CA,Good Corp,Los Angeles,100,false,false,false,false,,0,"
    "2023-01-11\n";

// A WARN row with the given hash, notice date, company, jobs and flags.
std::string warn_row(const std::string& hash, const std::string& notice, const std::string& company,
                     const std::string& jobs, const std::string& closure = "false",
                     const std::string& ancestor = "") {
  return hash + ",2023-01-01," + notice + ",," + "CA," + company + ",Fresno," + jobs + "," +
         closure + ",false,false," + (ancestor.empty() ? "false" : "true") + "," + ancestor +
         ",0,2023-01-02\n";
}

const std::string kJsonCompany = R"({"type":"company","name":"Json Co"})"
                                 "\n";

const std::string kTen = R"({"phrase":"10","kind":"exact","low":10,"high":10,"estimate":10})";

// A JSONL event line of "Json Co" with headcount `headcount` ("" for none);
// `extra` members are spliced in before the closing brace.
std::string json_event(const std::string& key, const std::string& day,
                       const std::string& extra = "", const std::string& company = "Json Co",
                       const std::string& headcount = kTen) {
  return R"({"type":"event","key":")" + key + R"(","company":")" + company +
         R"(","announced_on":")" + day + R"(","precision":"day")" +
         (headcount.empty() ? "" : R"(,"headcount":)" + headcount) + extra + "}\n";
}

// A JSONL claim line of "Json Co" for 10 people.
std::string json_claim(const std::string& include_subsidiaries, const std::string& start,
                       const std::string& end) {
  return R"({"type":"claim","company":"Json Co","include_subsidiaries":)" + include_subsidiaries +
         R"(,"period_start":")" + start + R"(","period_end":")" + end + R"(","headcount":)" + kTen +
         "}\n";
}

std::vector<BadFile> corpus() {
  using E = ErrorCode;
  const Format fyi = Format::layoffsfyi;
  const Format warn = Format::warn;
  const Format jsonl = Format::jsonl;
  return {
      // ---- layoffs.fyi CSV: the file and its header.
      {"fyi: empty file", fyi, "", E::invalid_argument, 1},
      {"fyi: header only", fyi, kFyi, E::invalid_argument, 1},
      {"fyi: unknown column", fyi, "company,date,headcount_guess\nA,2023-01-02,5\n",
       E::invalid_argument, 1},
      {"fyi: no date column", fyi, "company,total_laid_off\nA,5\n", E::invalid_argument, 1},
      {"fyi: no company column", fyi, "date,total_laid_off\n2023-01-02,5\n", E::invalid_argument,
       1},
      {"fyi: two columns for the count", fyi,
       "company,date,# Laid Off,total_laid_off\nA,1/2/2023,5,5\n", E::invalid_argument, 1},
      {"fyi: a header column without a name", fyi, "company,,date\nA,x,1/2/2023\n",
       E::invalid_argument, 1},
      {"fyi: header not UTF-8", fyi, "company,d\xe4te\nA,1/2/2023\n", E::invalid_argument, 1},
      {"fyi: header with an unterminated quote", fyi, "company,\"date\nA,1/2/2023\n",
       E::invalid_argument, 1},
      // ---- layoffs.fyi CSV: rows.
      {"fyi: too few fields", fyi, kFyi + kFyiGood + "B,X,Y,1,,1/2/2023\n", E::invalid_argument, 3},
      {"fyi: too many fields", fyi, kFyi + kFyiGood + "B,X,Y,1,,1/2/2023,,US,,extra\n",
       E::invalid_argument, 3},
      {"fyi: stray quote inside a field", fyi, kFyi + kFyiGood + "B \"Inc\",X,Y,1,,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: unterminated quote", fyi,
       kFyi + kFyiGood + "B,\"X,Y,1,,1/2/2023,,US,\nC,X,Y,1,,1/2/2023,,US,\n", E::invalid_argument,
       3},
      {"fyi: field not UTF-8", fyi, kFyi + kFyiGood + "B\xff,X,Y,1,,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: company missing", fyi, kFyi + kFyiGood + ",X,Y,1,,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: company \"null\"", fyi, kFyi + kFyiGood + "null,X,Y,1,,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: date missing", fyi, kFyi + kFyiGood + "B,X,Y,1,,,,US,\n", E::invalid_argument, 3},
      {"fyi: date 2023-02-30", fyi, kFyi + kFyiGood + "B,X,Y,1,,2023-02-30,,US,\n",
       E::invalid_argument, 3},
      {"fyi: date 13/1/2023", fyi, kFyi + kFyiGood + "B,X,Y,1,,13/1/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: date with a three-digit year", fyi, kFyi + kFyiGood + "B,X,Y,1,,1/2/023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: date in the future", fyi, kFyi + kFyiGood + "B,X,Y,1,,2999-01-01,,US,\n",
       E::invalid_argument, 3},
      {"fyi: date before 1900", fyi, kFyi + kFyiGood + "B,X,Y,1,,1899-12-31,,US,\n",
       E::invalid_argument, 3},
      {"fyi: count in words", fyi, kFyi + kFyiGood + "B,X,Y,a bunch,,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: count negative", fyi, kFyi + kFyiGood + "B,X,Y,-5,,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: count with European thousands", fyi, kFyi + kFyiGood + "B,X,Y,10.000,,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: fraction above 1", fyi, kFyi + kFyiGood + "B,X,Y,1,1.5,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: percentage above 100%", fyi, kFyi + kFyiGood + "B,X,Y,1,150%,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: percentage not a number", fyi, kFyi + kFyiGood + "B,X,Y,1,half,1/2/2023,,US,\n",
       E::invalid_argument, 3},
      {"fyi: funds negative", fyi, kFyi + kFyiGood + "B,X,Y,1,,1/2/2023,,US,-3\n",
       E::invalid_argument, 3},
      {"fyi: funds not a number", fyi, kFyi + kFyiGood + "B,X,Y,1,,1/2/2023,,US,lots\n",
       E::invalid_argument, 3},
      {"fyi: company name 201 bytes", fyi,
       kFyi + kFyiGood + std::string(201, 'C') + ",X,Y,1,,1/2/2023,,US,\n", E::invalid_argument, 3},
      {"fyi: control character in the industry", fyi,
       kFyi + kFyiGood + "B,X,Retail\x01,1,,1/2/2023,,US,\n", E::invalid_argument, 3},
      {"fyi: bad row after a quoted field spanning lines", fyi,
       "company,date,total_laid_off,source\nA,1/2/2023,5,\"the memo,\nquoted\"\nB,1/2/2023,oops,\n",
       E::invalid_argument, 4},
      {"fyi: bad row in a CRLF file after blank lines", fyi,
       "company,date,total_laid_off\r\nA,1/2/2023,5\r\n\r\n\r\nB,1/2/2023,five\r\n",
       E::invalid_argument, 5},

      // ---- WARN integrated.csv.
      {"warn: no hash_id column", warn, "notice_date,company,postal_code\n2023-01-01,G,CA\n",
       E::invalid_argument, 1},
      {"warn: a column twice", warn,
       "hash_id,notice_date,company,postal_code,company\ng,2023-01-01,G,CA,G\n",
       E::invalid_argument, 1},
      {"warn: hash_id missing", warn, kWarn + kWarnGood + warn_row("", "2023-01-05", "G", "5"),
       E::invalid_argument, 3},
      {"warn: company missing", warn, kWarn + kWarnGood + warn_row("g2", "2023-01-05", "", "5"),
       E::invalid_argument, 3},
      {"warn: notice date missing", warn, kWarn + kWarnGood + warn_row("g2", "", "G", "5"),
       E::invalid_argument, 3},
      {"warn: notice date impossible", warn,
       kWarn + kWarnGood + warn_row("g2", "2023-04-31", "G", "5"), E::invalid_argument, 3},
      {"warn: jobs negative", warn, kWarn + kWarnGood + warn_row("g2", "2023-01-05", "G", "-3"),
       E::invalid_argument, 3},
      {"warn: closure flag not a boolean", warn,
       kWarn + kWarnGood + warn_row("g2", "2023-01-05", "G", "5", "maybe"), E::invalid_argument, 3},
      {"warn: amendment names itself as its ancestor", warn,
       kWarn + kWarnGood + warn_row("g2", "2023-01-05", "G", "5", "false", "g2"),
       E::invalid_argument, 3},
      {"warn: amendment dated before the notice it amends", warn,
       kWarn + warn_row("g3", "2023-02-01", "G", "5") +
           warn_row("g4", "2023-01-05", "G", "7", "false", "g3"),
       E::invalid_inclusion, 3},

      // ---- JSON Lines.
      {"jsonl: not JSON", jsonl, kJsonCompany + "{\"type\": \"company\"\n", E::invalid_argument, 2},
      {"jsonl: a JSON array", jsonl, kJsonCompany + "[1, 2]\n", E::invalid_argument, 2},
      {"jsonl: no type", jsonl, kJsonCompany + "{\"name\":\"X\"}\n", E::invalid_argument, 2},
      {"jsonl: unknown type", jsonl, kJsonCompany + "{\"type\":\"rumour\"}\n", E::invalid_argument,
       2},
      {"jsonl: line not UTF-8", jsonl,
       kJsonCompany + "{\"type\":\"company\",\"name\":\"\xc0\xaf\"}\n", E::invalid_argument, 2},
      {"jsonl: company without a name", jsonl, kJsonCompany + "{\"type\":\"company\"}\n",
       E::invalid_argument, 2},
      {"jsonl: company with a misspelt field", jsonl,
       kJsonCompany + "{\"type\":\"company\",\"name\":\"Y\",\"industy\":\"Retail\"}\n",
       E::invalid_argument, 2},
      {"jsonl: company with an unknown parent", jsonl,
       kJsonCompany + "{\"type\":\"company\",\"name\":\"Y\",\"parent\":\"Nobody Inc\"}\n",
       E::invalid_argument, 2},
      {"jsonl: company whose alias is taken", jsonl,
       kJsonCompany + "{\"type\":\"company\",\"name\":\"Y\",\"aliases\":[\"json co\"]}\n",
       E::invalid_argument, 2},
      {"jsonl: company name a number", jsonl, kJsonCompany + "{\"type\":\"company\",\"name\":7}\n",
       E::invalid_argument, 2},
      {"jsonl: event with an empty key", jsonl, kJsonCompany + json_event("", "2023-01-05"),
       E::invalid_argument, 2},
      {"jsonl: event of an unknown company", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05", "", "Nobody Inc"), E::invalid_argument, 2},
      {"jsonl: event date impossible", jsonl, kJsonCompany + json_event("e1", "2023-02-29"),
       E::invalid_argument, 2},
      {"jsonl: event precision contradicting the date", jsonl,
       kJsonCompany + json_event("e1", "2023-01"), E::invalid_argument, 2},
      {"jsonl: event headcount parts that disagree", jsonl,
       kJsonCompany +
           json_event("e1", "2023-01-05", "", "Json Co",
                      R"({"phrase":"10","kind":"exact","low":10,"high":12,"estimate":10})"),
       E::invalid_argument, 2},
      {"jsonl: event headcount phrase contradicting its parts", jsonl,
       kJsonCompany +
           json_event("e1", "2023-01-05", "", "Json Co",
                      R"({"phrase":"about 500","kind":"exact","low":10,"high":10,"estimate":10})"),
       E::invalid_argument, 2},
      {"jsonl: event without a headcount", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05", "", "Json Co", ""), E::invalid_argument, 2},
      {"jsonl: event workforce_pct 150", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05", R"(,"workforce_pct":150)"),
       E::invalid_argument, 2},
      {"jsonl: event workforce_pct a string", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05", R"(,"workforce_pct":"5%")"),
       E::invalid_argument, 2},
      {"jsonl: event departments not an array", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05", R"(,"departments":"Sales")"),
       E::invalid_argument, 2},
      {"jsonl: event reason category unknown", jsonl,
       kJsonCompany +
           json_event("e1", "2023-01-05", R"(,"reasons":[{"name":"x","category":"greed"}])"),
       E::invalid_argument, 2},
      {"jsonl: event source without a tier", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05", R"(,"sources":[{"url":"https://x.test"}])"),
       E::invalid_argument, 2},
      {"jsonl: event source URL without a scheme", jsonl,
       kJsonCompany +
           json_event("e1", "2023-01-05", R"(,"sources":[{"url":"x.test","tier":"leak"}])"),
       E::invalid_argument, 2},
      {"jsonl: event location with ';'", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05", R"(,"locations":["Austin; Dallas"])"),
       E::invalid_argument, 2},
      {"jsonl: event including an unknown key", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05", R"(,"includes":["nowhere"])"),
       E::invalid_argument, 2},
      {"jsonl: event including a later event", jsonl,
       kJsonCompany + json_event("e1", "2023-03-01") +
           json_event("e2", "2023-01-05", R"(,"includes":["e1"])"),
       E::invalid_argument, 3},
      {"jsonl: event including another tree's event", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05", R"(,"includes":["seed:1"])"),
       E::invalid_argument, 2},
      {"jsonl: a key repeated with an inclusion the first lacks", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05") +
           json_event("e1", "2023-01-05", R"(,"includes":["e1"])"),
       E::invalid_argument, 3},
      {"jsonl: two events including the same one", jsonl,
       kJsonCompany + json_event("e1", "2023-01-05") +
           json_event("e2", "2023-01-06", R"(,"includes":["e1"])") +
           json_event("e3", "2023-01-07", R"(,"includes":["e1"])"),
       E::invalid_argument, 4},
      {"jsonl: claim period ending before it starts", jsonl,
       kJsonCompany + json_claim("true", "2023-06-01", "2023-01-01"), E::invalid_argument, 2},
      {"jsonl: claim include_subsidiaries not a boolean", jsonl,
       kJsonCompany + json_claim(R"("yes")", "2023-01-01", "2023-12-31"), E::invalid_argument, 2},
      {"jsonl: bad line after blank lines and a byte order mark", jsonl,
       "\xEF\xBB\xBF" + kJsonCompany + "\n  \n" + json_event("e1", "2023-13-01"),
       E::invalid_argument, 4},
  };
}

// The state a failed import must leave untouched.
struct State {
  std::string main, wal, content;
  bool operator==(const State&) const = default;
};

class BadInputCorpusImport : public ::testing::Test {
 protected:
  BadInputCorpusImport() : db_path_(dir_.file("t.db")), tracker_(Tracker::open(db_path_)) {}

  void SetUp() override {
    const CompanyId seed = tracker_.add_company({.name = "Seed Co"});
    tracker_.record({.company = seed,
                     .announced_on = Date::ymd(2022, 5, 1),
                     .headcount = Headcount::exact(10),
                     .key = "seed:1"});
    // Everything into the main file: an import that wrote anything, even
    // rolled back after spilling, would then show in the -wal's bytes.
    std::string error;
    ASSERT_EQ(exec_raw(db_path_, "PRAGMA wal_checkpoint(TRUNCATE)", &error), SQLITE_OK) << error;
    ASSERT_EQ(read_file(db_path_ + "-wal"), "");
  }

  State state() const {
    return {read_file(db_path_), read_file(db_path_ + "-wal"), dump(db_path_)};
  }

  TempDir dir_;
  std::string db_path_;
  Tracker tracker_;
};

TEST_F(BadInputCorpusImport, EveryFileFailsAtItsLineAndChangesNoByte) {
  const std::vector<BadFile> table = corpus();
  State before = state();
  int n = 0;
  for (const BadFile& bad : table) {
    SCOPED_TRACE(bad.what);
    const char* ext = bad.format == Format::jsonl ? ".jsonl" : ".csv";
    const std::string path = dir_.file("bad" + std::to_string(n++) + ext);
    write_file(path, bad.text);
    try {
      io::import_file(tracker_, path, {.format = bad.format});
      ADD_FAILURE() << bad.what << ": imported without an error";
    } catch (const ImportError& e) {
      EXPECT_EQ(e.code(), bad.code) << bad.what << ": " << to_string(e.code()) << ": " << e.what();
      EXPECT_EQ(e.file(), path);
      EXPECT_EQ(e.line(), bad.line) << bad.what << ": " << e.what();
      EXPECT_EQ(e.field(), path + ":" + std::to_string(bad.line)) << e.what();
    }
    const State after = state();
    if (!(after == before)) {
      ADD_FAILURE() << bad.what << ": the database changed ("
                    << (after.main != before.main ? "main file bytes, " : "")
                    << (after.wal != before.wal ? "-wal bytes, " : "")
                    << (after.content != before.content ? "content" : "no content change") << ")";
      before = after;  // report each file's own change, not its predecessors'
    }
  }
  std::cout << "[  FIGURES ] bad-import corpus: " << table.size() << " files" << std::endl;

  // Every good row in those files is importable on its own: the failures
  // above were the bad rows', not the good ones'.
  const std::string good = dir_.file("good.csv");
  write_file(good, kFyi + kFyiGood);
  EXPECT_EQ(io::import_file(tracker_, good).imported, 1);
}

TEST_F(BadInputCorpusImport, EntryNamesAreUnique) {
  std::set<std::string> names;
  for (const BadFile& bad : corpus()) {
    EXPECT_TRUE(names.insert(bad.what).second) << "duplicate entry name: " << bad.what;
  }
}

}  // namespace
}  // namespace layoffs::test
