// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// CSV export: the columns, RFC 4180 quoting, and values that read back into
// the events they came from.
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "amazon_facts.h"
#include "export.h"
#include "import.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

const std::string kData = LAYOFFS_TEST_DATA_DIR;
const std::string kHeader =
    "company,location,industry,total_laid_off,percentage_laid_off,date,stage,country,"
    "funds_raised_millions,source,parent_company,date_precision,headcount_phrase,"
    "headcount_kind,headcount_low,headcount_high,headcount_estimate,key,kind,status,status_note,"
    "us_state";

std::string export_csv(const Tracker& t) {
  std::ostringstream out;
  io::export_csv(t, out);
  return out.str();
}

std::string export_jsonl(const Tracker& t) {
  std::ostringstream out;
  io::export_jsonl(t, out);
  return out.str();
}

// A strict RFC 4180 reader for checking our output: fails the test on a
// stray quote, and accepts only "\n" row ends.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty() && !was_quoted) << "stray quote at byte " << i;
      quoted = was_quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      was_quoted = false;
    } else if (c == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      was_quoted = false;
    } else {
      EXPECT_NE(c, '\r') << "CR outside quotes at byte " << i;
      EXPECT_FALSE(was_quoted) << "text after a closing quote at byte " << i;
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(field.empty() && row.empty()) << "the last row has no line end";
  return rows;
}

// The rows as column -> value maps.
std::vector<std::map<std::string, std::string>> records(const std::string& text) {
  const auto rows = parse_csv(text);
  std::vector<std::map<std::string, std::string>> out;
  if (rows.empty()) {
    ADD_FAILURE() << "no header";
    return out;
  }
  for (std::size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].size(), rows[0].size()) << "row " << r;
    std::map<std::string, std::string> rec;
    for (std::size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c) {
      rec[rows[0][c]] = rows[r][c];
    }
    out.push_back(std::move(rec));
  }
  return out;
}

TEST(CsvExport, EmptyDatabaseGivesTheHeaderAlone) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"));
  EXPECT_EQ(export_csv(t), kHeader + "\n");
}

// The canonical JSONL fixture has commas, quotes, a fraction, every headcount
// kind and all three date precisions; its CSV is checked in byte for byte.
TEST(CsvExport, CanonicalFixtureGivesTheExpectedBytes) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"));
  io::import_file(t, kData + "/jsonl_canonical.jsonl");
  const std::string csv = export_csv(t);
  EXPECT_EQ(csv, read_file(kData + "/jsonl_canonical.csv"));
  EXPECT_EQ(csv.find('\r'), std::string::npos);

  const auto rows = records(csv);
  ASSERT_EQ(rows.size(), 7U);
  // Quoting: a comma in the company, the locations, the source URL and the
  // phrase; doubled quotes in a name.
  EXPECT_NE(csv.find("\n\"Initech, Inc.\",\"Austin, TX; Remote\","), std::string::npos);
  EXPECT_NE(csv.find(",\"https://example.com/initech?a=1,2\","), std::string::npos);
  EXPECT_NE(csv.find(",\"1,200\",exact,"), std::string::npos);
  EXPECT_NE(csv.find("\n\"Acme \"\"Rocket\"\" Robotics\","), std::string::npos);
  EXPECT_EQ(rows[6].at("company"), "Acme \"Rocket\" Robotics");
  EXPECT_EQ(rows[6].at("parent_company"), "Zeta Holdings");
  EXPECT_EQ(rows[6].at("percentage_laid_off"), "0.35");
  // The event's own locations, else the company's HQ.
  EXPECT_EQ(rows[1].at("location"), "Austin, TX; Remote");
  EXPECT_EQ(rows[4].at("location"), "Austin, TX");
  EXPECT_EQ(rows[1].at("percentage_laid_off"), "0.125");
  EXPECT_EQ(rows[1].at("funds_raised_millions"), "250.5");
  EXPECT_EQ(rows[1].at("stage"), "Series B");
  // total_laid_off only for a single value: exact and about, not ranges,
  // bounds or unknowns.
  std::map<std::string, std::string> total_by_kind;
  for (const auto& row : rows) {
    total_by_kind[row.at("headcount_kind")] = row.at("total_laid_off");
  }
  EXPECT_EQ(total_by_kind, (std::map<std::string, std::string>{{"about", "300"},
                                                               {"at_least", ""},
                                                               {"exact", "1200"},
                                                               {"phrase", ""},
                                                               {"range", ""},
                                                               {"unknown", ""},
                                                               {"up_to", ""}}));
  // Dates: the first day, with the precision beside it.
  EXPECT_EQ(rows[0].at("date"), "2022-01-01");
  EXPECT_EQ(rows[0].at("date_precision"), "year");
  EXPECT_EQ(rows[3].at("date"), "2023-05-01");
  EXPECT_EQ(rows[3].at("date_precision"), "month");
  // Events in the JSONL order: included events before the ones including them.
  EXPECT_EQ(rows[2].at("key"), "labs-2023-05-20");
  EXPECT_EQ(rows[3].at("key"), "globex-2023-05");
  EXPECT_EQ(rows[4].at("key"), "initech-2");
  EXPECT_EQ(rows[5].at("key"), "initech-1");
}

// Every row reads back into the event it came from.
TEST(CsvExport, ValuesReadBackIntoTheEvents) {
  TempDir dir;
  Tracker a = Tracker::open(dir.file("a.db"));
  examples::record_amazon_facts(a);
  const CompanyId twitch = a.company_id("Twitch");
  a.record({.company = twitch,
            .announced_on = Date::ymd(2024, 8, 1),
            .headcount = Headcount::parse("about 35"),
            .workforce_pct = 33.3,
            .locations = {"San Francisco, CA"},
            .country = "United States",
            .company_stage = "Acquired",
            .funds_raised_musd = 35.25});
  // Through JSONL into B, where every event then carries its export key, so
  // each CSV row can be found again by its key; the CSV is the same from both.
  const std::string jsonl = dir.file("a.jsonl");
  write_file(jsonl, export_jsonl(a));
  Tracker b = Tracker::open(dir.file("b.db"));
  io::import_file(b, jsonl);
  const std::string csv = export_csv(b);
  EXPECT_EQ(export_csv(a), csv);

  const auto rows = records(csv);
  ASSERT_EQ(static_cast<std::int64_t>(rows.size()), b.count_events());
  for (const auto& row : rows) {
    SCOPED_TRACE(row.at("key"));
    const auto id = b.find_event(row.at("key"));
    ASSERT_TRUE(id);
    const Event e = b.event(*id);
    const Company company = b.company(e.company);
    EXPECT_EQ(row.at("company"), e.company_name);
    EXPECT_EQ(row.at("industry"), company.industry);
    EXPECT_EQ(row.at("parent_company"),
              company.parent ? b.company(*company.parent).name : std::string());
    EXPECT_EQ(row.at("country"), e.country.empty() ? company.country : e.country);
    EXPECT_EQ(row.at("stage"), e.company_stage);
    EXPECT_EQ(row.at("source"), e.sources.empty() ? std::string() : e.sources[0].url);

    const Date first = Date::parse(row.at("date"));
    const DatePrecision precision = parse_date_precision(row.at("date_precision"));
    EXPECT_EQ(first, e.announced_on.first_day());
    EXPECT_EQ(precision, e.announced_on.precision());

    const std::string& high = row.at("headcount_high");
    const Headcount h = Headcount::from_parts(
        parse_headcount_kind(row.at("headcount_kind")), std::stoll(row.at("headcount_low")),
        high.empty() ? std::nullopt : std::optional<std::int64_t>(std::stoll(high)),
        std::stoll(row.at("headcount_estimate")), row.at("headcount_phrase"));
    EXPECT_EQ(h, e.headcount);
    if (e.headcount.high() == e.headcount.low()) {
      EXPECT_EQ(row.at("total_laid_off"), std::to_string(e.headcount.low()));
    } else {
      EXPECT_EQ(row.at("total_laid_off"), "");
    }
    if (e.workforce_pct) {
      EXPECT_NEAR(std::strtod(row.at("percentage_laid_off").c_str(), nullptr) * 100.0,
                  *e.workforce_pct, 1e-9);
    } else {
      EXPECT_EQ(row.at("percentage_laid_off"), "");
    }
    if (e.funds_raised_musd) {
      EXPECT_EQ(std::strtod(row.at("funds_raised_millions").c_str(), nullptr),
                *e.funds_raised_musd);
    }
  }
  // A few values checked by hand.
  const auto find = [&](const std::string& phrase) {
    for (const auto& row : rows) {
      if (row.at("headcount_phrase") == phrase) {
        return row;
      }
    }
    ADD_FAILURE() << "no row with phrase " << phrase;
    return std::map<std::string, std::string>{};
  };
  const auto twitch_2024 = find("just over 500");
  EXPECT_EQ(twitch_2024.at("company"), "Twitch");
  EXPECT_EQ(twitch_2024.at("parent_company"), "Amazon");
  EXPECT_EQ(twitch_2024.at("percentage_laid_off"), "0.35");
  EXPECT_EQ(twitch_2024.at("date"), "2024-01-01");
  EXPECT_EQ(twitch_2024.at("date_precision"), "month");
  EXPECT_EQ(twitch_2024.at("total_laid_off"), "");
  EXPECT_EQ(twitch_2024.at("headcount_kind"), "at_least");
  EXPECT_EQ(twitch_2024.at("headcount_low"), "500");
  EXPECT_EQ(twitch_2024.at("headcount_high"), "");
  const auto nov_2022 = find("about 10,000");
  EXPECT_EQ(nov_2022.at("total_laid_off"), "10000");
  EXPECT_EQ(nov_2022.at("location"), "Seattle");
  EXPECT_EQ(nov_2022.at("industry"), "Retail");
  const auto small = find("about 35");
  EXPECT_EQ(small.at("percentage_laid_off"), "0.333");
  EXPECT_EQ(small.at("funds_raised_millions"), "35.25");
  EXPECT_EQ(small.at("location"), "San Francisco, CA");
  EXPECT_NE(csv.find(",\"San Francisco, CA\","), std::string::npos);
}

}  // namespace
}  // namespace layoffs::test
