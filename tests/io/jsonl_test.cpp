// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// JSON Lines export and import: the format, the byte-identical round trip,
// idempotence and the summary counts, and bad lines (strict and skip_bad).
#include <algorithm>
#include <regex>
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

const std::string kCanonical = std::string(LAYOFFS_TEST_DATA_DIR) + "/jsonl_canonical.jsonl";

std::string export_jsonl(const Tracker& t) {
  std::ostringstream out;
  io::export_jsonl(t, out);
  return out.str();
}

io::ImportSummary import_jsonl(Tracker& t, const std::string& path, bool skip_bad = false,
                               const std::string& rejects = {}) {
  io::ImportOptions options;
  options.format = io::Format::jsonl;
  options.skip_bad = skip_bad;
  options.rejects_path = rejects;
  return io::import_file(t, path, options);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// The value of a top-level string member, e.g. "key", as written by the exporter.
std::string member(const std::string& line, const std::string& name) {
  const std::string marker = "\"" + name + "\":\"";
  const auto at = line.find(marker);
  if (at == std::string::npos) {
    return {};
  }
  const auto start = at + marker.size();
  return line.substr(start, line.find('"', start) - start);
}

// The Amazon facts plus events that exercise the key and order rules: events
// without keys (so keys are computed), a same-day inclusion whose including
// event's key sorts first, and a month-precision event including a later day.
void record_extras(Tracker& t) {
  const CompanyId amazon = t.company_id("Amazon");
  const CompanyId twitch = t.company_id("Twitch");
  const CompanyId aws = t.company_id("AWS");
  const EventId twitch_small = t.record({.company = twitch,
                                         .announced_on = Date::ymd(2024, 3, 5),
                                         .headcount = Headcount::parse("about 35"),
                                         .sources = {{.url = "https://example.com/twitch-35"}}});
  t.record({.company = amazon,
            .announced_on = Date::ymd(2024, 3, 5),
            .headcount = Headcount::parse("about 100"),
            .sources = {{.url = "https://example.com/amazon-100"}},
            .includes = {twitch_small}});
  const EventId z = t.record({.company = twitch,
                              .announced_on = Date::ymd(2024, 6, 10),
                              .headcount = Headcount::parse("dozens"),
                              .key = "z-included"});
  t.record({.company = amazon,
            .announced_on = Date::ymd(2024, 6, 10),
            .headcount = Headcount::parse("200 to 250"),
            .includes = {z},
            .key = "a-includer"});
  const EventId late_day = t.record({.company = aws,
                                     .announced_on = Date::ymd(2024, 7, 20),
                                     .headcount = Headcount::parse("up to 50"),
                                     .departments = {"Support"}});
  t.record({.company = amazon,
            .announced_on = Date::year_month(2024, 7),
            .effective_on = Date::ymd(2024, 9, 1),
            .headcount = Headcount::parse("a few hundred"),
            .workforce_pct = 0.25,
            .reasons = {{"automation of fulfilment", ReasonCategory::automation}, {"no category"}},
            .locations = {"Seattle, WA", "Arlington, VA"},
            .country = "United States",
            .notes = "Two lines:\n\"quoted\", and unicode: Zürich ✓",
            .includes = {late_day},
            .company_stage = "Post-IPO",
            .funds_raised_musd = 8100.0});
  t.record({.company = aws,
            .announced_on = Date::year_only(2021),
            .headcount = Headcount::unknown(),
            .sources = {{.url = "https://example.com/aws-2021", .tier = SourceTier::leak}}});
}

// ---- The format ---------------------------------------------------------------

TEST(JsonlFormat, CanonicalFixtureRoundTripsByteForByte) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("b.db"));
  const io::ImportSummary s = import_jsonl(t, kCanonical);
  EXPECT_EQ(s.format, io::Format::jsonl);
  EXPECT_EQ(s.rows_read, 14);
  EXPECT_EQ(s.imported, 7);
  EXPECT_EQ(s.duplicates, 0);
  EXPECT_EQ(s.already_present, 0);
  EXPECT_EQ(s.rejected, 0);
  // The fixture is written in the exporter's own form and order (parents
  // first, included events first), so exporting gives it back exactly.
  EXPECT_EQ(export_jsonl(t), read_file(kCanonical));

  // And the values landed where they belong.
  const Company globex = *t.find_company("GLBX");
  EXPECT_EQ(globex.name, "Globex");
  EXPECT_EQ(globex.aliases, (std::vector<std::string>{"Globex Corporation", "GLBX"}));
  EXPECT_EQ(t.company(*t.find_company("Globex Labs")->parent).name, "Globex");
  const Event initech = t.event(*t.find_event("initech-2023-01-15"));
  EXPECT_EQ(initech.company_name, "Initech, Inc.");
  EXPECT_EQ(initech.effective_on, Date::ymd(2023, 3, 1));
  EXPECT_EQ(initech.headcount, Headcount::range(40, 60));
  EXPECT_EQ(initech.workforce_pct, 12.5);
  EXPECT_EQ(initech.locations, (std::vector<std::string>{"Austin, TX", "Remote"}));
  EXPECT_EQ(initech.notes, "Line one.\nLine \"two\", with a comma; ünïcödé ✓");
  EXPECT_EQ(initech.funds_raised_musd, 250.5);
  ASSERT_EQ(initech.sources.size(), 2U);
  EXPECT_EQ(initech.sources[0].title, "Initech \"rightsizes\"");
  EXPECT_EQ(initech.sources[1].tier, SourceTier::filing);
  ASSERT_EQ(initech.reasons.size(), 2U);
  EXPECT_EQ(initech.reasons[1].category, std::nullopt);
  const Event month = t.event(*t.find_event("globex-2023-05"));
  EXPECT_EQ(month.announced_on, Date::year_month(2023, 5));
  EXPECT_EQ(month.includes, std::vector<EventId>{*t.find_event("labs-2023-05-20")});
  EXPECT_EQ(t.event(*t.find_event("initech-2")).included_in, t.find_event("initech-1"));
  EXPECT_EQ(t.claims().size(), 2U);
  // Globex 2023 with its subsidiary: the month event includes the Labs one.
  const Total globex_2023 =
      t.total({.company = globex.id, .from = Date::ymd(2023, 1, 1), .to = Date::ymd(2023, 12, 31)});
  EXPECT_EQ(globex_2023.to_string(), "at least 1,000");
  EXPECT_EQ(globex_2023.inside_events, 1);
}

TEST(JsonlFormat, EveryLineIsAnObjectWithATypeAndNoRowids) {
  TempDir dir;
  Tracker a = Tracker::open(dir.file("a.db"));
  examples::record_amazon_facts(a);
  const std::vector<std::string> lines = lines_of(export_jsonl(a));
  ASSERT_EQ(lines.size(), 5U + 8U + 1U);  // companies, events, the claim
  for (const std::string& line : lines) {
    EXPECT_EQ(line.rfind("{\"type\":\"", 0), 0U) << line;
    EXPECT_EQ(line.back(), '}') << line;
    EXPECT_EQ(line.find("\"id\""), std::string::npos) << line;
    EXPECT_EQ(line.find("_id\""), std::string::npos) << line;
  }
  EXPECT_EQ(lines[0],
            R"({"type":"company","name":"Amazon","aliases":["Amazon.com","Amazon.com, Inc."],)"
            R"("industry":"Retail","hq_location":"Seattle","country":"United States"})");
  EXPECT_EQ(lines[1],
            R"({"type":"company","name":"AWS","parent":"Amazon","aliases":["Amazon Web Services"],)"
            R"("industry":"Cloud computing","country":"United States"})");
  // Twitch January 2024: month precision, "just over 500", 35 %.
  const auto twitch = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find(R"("announced_on":"2024-01","precision":"month")") != std::string::npos;
  });
  ASSERT_NE(twitch, lines.end());
  EXPECT_NE(twitch->find(R"("company":"Twitch")"), std::string::npos) << *twitch;
  EXPECT_NE(twitch->find(R"("headcount":{"phrase":"just over 500","kind":"at_least","low":500,)"
                         R"("high":null,"estimate":500},"workforce_pct":35.0,)"),
            std::string::npos)
      << *twitch;
  EXPECT_EQ(lines.back(),
            R"({"type":"claim","company":"Amazon","include_subsidiaries":true,)"
            R"("period_start":"2022-01-01","period_end":"2023-12-31","headcount":{"phrase":)"
            R"("more than 27,000","kind":"at_least","low":27000,"high":null,"estimate":27000},)"
            R"("source":{"url":"https://www.cnbc.com/2024/02/06/amazon-cuts-hundreds-of-jobs-)"
            R"(cut-in-pharmacy-one-medical-read-memo.html","title":"Amazon cuts hundreds of jobs )"
            R"(in Pharmacy and One Medical units","publisher":"CNBC","published_on":"2024-02-06",)"
            R"("tier":"media_report"},"notes":"\"cut more than 27,000 jobs between late 2022 and )"
            R"(mid-2023\""})");
}

TEST(JsonlFormat, IncludedEventsComeFirstAndParentsPrecedeChildren) {
  TempDir dir;
  Tracker a = Tracker::open(dir.file("a.db"));
  examples::record_amazon_facts(a);
  record_extras(a);
  const std::vector<std::string> lines = lines_of(export_jsonl(a));
  std::vector<std::string> seen_companies, seen_keys;
  std::string previous_type = "company";
  for (const std::string& line : lines) {
    const std::string type = member(line, "type");
    // Sections in order: companies, events, claims.
    EXPECT_GE(std::string("company event claim").find(type),
              std::string("company event claim").find(previous_type))
        << line;
    previous_type = type;
    if (type == "company") {
      const std::string parent = member(line, "parent");
      if (!parent.empty()) {
        EXPECT_NE(std::find(seen_companies.begin(), seen_companies.end(), parent),
                  seen_companies.end())
            << line;
      }
      seen_companies.push_back(member(line, "name"));
    } else if (type == "event") {
      const auto inc = line.find("\"includes\":[");
      if (inc != std::string::npos) {
        std::string list = line.substr(inc + 12, line.find(']', inc) - inc - 12);
        for (std::size_t p = list.find('"'); p != std::string::npos; p = list.find('"', p)) {
          const auto end = list.find('"', p + 1);
          const std::string key = list.substr(p + 1, end - p - 1);
          EXPECT_NE(std::find(seen_keys.begin(), seen_keys.end(), key), seen_keys.end())
              << key << " must come before " << line;
          p = end + 1;
        }
      }
      seen_keys.push_back(member(line, "key"));
    }
  }
  // The same-day pair whose including event's key sorts first: the
  // topological fix puts the included one first anyway.
  const auto a_pos = std::find(seen_keys.begin(), seen_keys.end(), "a-includer");
  const auto z_pos = std::find(seen_keys.begin(), seen_keys.end(), "z-included");
  ASSERT_NE(a_pos, seen_keys.end());
  EXPECT_LT(z_pos, a_pos);
  EXPECT_EQ(a_pos - z_pos, 1);
}

TEST(JsonlFormat, KeylessEventsGetStableComputedKeys) {
  TempDir dir;
  Tracker a = Tracker::open(dir.file("a.db"));
  examples::record_amazon_facts(a);
  record_extras(a);
  const std::string first = export_jsonl(a);
  EXPECT_EQ(export_jsonl(a), first);
  const std::regex computed("ev:[0-9a-f]{32}");
  int computed_keys = 0;
  std::vector<std::string> keys;
  for (const std::string& line : lines_of(first)) {
    if (member(line, "type") != "event") {
      continue;
    }
    const std::string key = member(line, "key");
    keys.push_back(key);
    if (key != "a-includer" && key != "z-included") {
      EXPECT_TRUE(std::regex_match(key, computed)) << key;
      ++computed_keys;
    }
  }
  EXPECT_EQ(computed_keys, a.count_events() - 2);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end()) << "keys must be unique";

  // The same facts recorded in another order, in another file, with other
  // rowids: the same export.
  Tracker c = Tracker::open(dir.file("c.db"));
  c.ensure_company({.name = "Zzz placeholder"});  // shifts every company rowid
  c.record({.company = c.company_id("Zzz placeholder"),
            .announced_on = Date::ymd(2020, 1, 1),
            .headcount = Headcount::exact(1),
            .key = "zzz"});  // and every event rowid
  examples::record_amazon_facts(c);
  record_extras(c);
  std::vector<std::string> c_lines = lines_of(export_jsonl(c));
  c_lines.erase(std::remove_if(c_lines.begin(), c_lines.end(),
                               [](const std::string& l) {
                                 return l.find("Zzz placeholder") != std::string::npos;
                               }),
                c_lines.end());
  EXPECT_EQ(c_lines, lines_of(first));

  // Another phrase for the same event is another event: another key.
  Tracker d = Tracker::open(dir.file("d.db"));
  const CompanyId x = d.add_company({.name = "X"});
  d.record({.company = x,
            .announced_on = Date::ymd(2023, 1, 1),
            .headcount = Headcount::parse("about 100")});
  const std::string key_about = member(lines_of(export_jsonl(d))[1], "key");
  d.update(d.events().front().id, {.company = x,
                                   .announced_on = Date::ymd(2023, 1, 1),
                                   .headcount = Headcount::parse("roughly 100")});
  const std::string key_roughly = member(lines_of(export_jsonl(d))[1], "key");
  EXPECT_TRUE(std::regex_match(key_about, computed));
  EXPECT_TRUE(std::regex_match(key_roughly, computed));
  EXPECT_NE(key_about, key_roughly);
}

// After a round trip the imported copy holds the computed key explicitly;
// the same facts recorded again without a key must get another key, and that
// file must round-trip and re-import like any other.
TEST(JsonlFormat, ComputedKeyTakenByAnExplicitKeyGetsAnother) {
  TempDir dir;
  const NewEvent facts{.announced_on = Date::ymd(2023, 1, 1),
                       .headcount = Headcount::parse("about 100"),
                       .sources = {{.url = "https://example.com/x"}}};
  Tracker a = Tracker::open(dir.file("a.db"));
  NewEvent in_a = facts;
  in_a.company = a.add_company({.name = "X"});
  a.record(in_a);
  write_file(dir.file("a.jsonl"), export_jsonl(a));

  Tracker b = Tracker::open(dir.file("b.db"));
  import_jsonl(b, dir.file("a.jsonl"));
  NewEvent in_b = facts;
  in_b.company = b.company_id("X");
  b.record(in_b);  // not a duplicate: the imported copy has a key
  ASSERT_EQ(b.count_events(), 2);
  const std::string b_export = export_jsonl(b);
  const std::vector<std::string> lines = lines_of(b_export);
  ASSERT_EQ(lines.size(), 3U);
  const std::string k1 = member(lines[1], "key"), k2 = member(lines[2], "key");
  const std::regex computed("ev:[0-9a-f]{32}");
  EXPECT_TRUE(std::regex_match(k1, computed)) << k1;
  EXPECT_TRUE(std::regex_match(k2, computed)) << k2;
  EXPECT_NE(k1, k2);
  EXPECT_NE(member(lines_of(read_file(dir.file("a.jsonl")))[1], "key"), "");

  write_file(dir.file("b.jsonl"), b_export);
  Tracker c = Tracker::open(dir.file("c.db"));
  EXPECT_EQ(import_jsonl(c, dir.file("b.jsonl")).imported, 2);
  EXPECT_EQ(export_jsonl(c), b_export);

  const io::ImportSummary self = import_jsonl(b, dir.file("b.jsonl"));
  EXPECT_EQ(self.imported, 0);
  EXPECT_EQ(self.already_present, 2);
  EXPECT_EQ(b.count_events(), 2);
  EXPECT_EQ(export_jsonl(b), b_export);
}

TEST(JsonlFormat, EmptyDatabaseExportsAnEmptyFileThatImports) {
  TempDir dir;
  Tracker a = Tracker::open(dir.file("a.db"));
  EXPECT_EQ(export_jsonl(a), "");
  write_file(dir.file("empty.jsonl"), "");
  const io::ImportSummary s = import_jsonl(a, dir.file("empty.jsonl"));
  EXPECT_EQ(s.rows_read, 0);
  EXPECT_EQ(s.imported, 0);
  EXPECT_EQ(s.rejected, 0);
}

// ---- The round trip -----------------------------------------------------------

TEST(JsonlRoundTrip, ExportImportExportIsByteIdentical) {
  TempDir dir;
  Tracker a = Tracker::open(dir.file("a.db"));
  const examples::AmazonFacts facts = examples::record_amazon_facts(a);
  record_extras(a);
  const std::string file1 = dir.file("file1.jsonl");
  write_file(file1, export_jsonl(a));

  Tracker b = Tracker::open(dir.file("b.db"));
  const io::ImportSummary s = import_jsonl(b, file1);
  EXPECT_EQ(s.rows_read, static_cast<std::int64_t>(lines_of(read_file(file1)).size()));
  EXPECT_EQ(s.imported, a.count_events());
  EXPECT_EQ(s.duplicates, 0);
  EXPECT_EQ(s.already_present, 0);
  EXPECT_EQ(s.rejected, 0);
  const std::string file2 = dir.file("file2.jsonl");
  write_file(file2, export_jsonl(b));
  EXPECT_EQ(read_file(file2), read_file(file1));

  // Same totals, inclusions and claims on both sides.
  const Filter amazon_22_23{
      .company = facts.amazon, .from = Date::ymd(2022, 1, 1), .to = Date::ymd(2023, 12, 31)};
  const Filter b_amazon_22_23{.company = b.company_id("Amazon"),
                              .from = Date::ymd(2022, 1, 1),
                              .to = Date::ymd(2023, 12, 31)};
  const Total ta = a.total(amazon_22_23);
  const Total tb = b.total(b_amazon_22_23);
  EXPECT_EQ(tb.to_string(), ta.to_string());
  EXPECT_EQ(tb.to_string(), "at least 27,000");
  EXPECT_EQ(tb.low, ta.low);
  EXPECT_EQ(tb.high, ta.high);
  EXPECT_EQ(tb.estimate, ta.estimate);
  EXPECT_EQ(tb.counted_events, ta.counted_events);
  EXPECT_EQ(tb.inside_events, ta.inside_events);
  EXPECT_EQ(b.total().to_string(), a.total().to_string());
  EXPECT_EQ(b.total().estimate, a.total().estimate);
  const auto by_year_a = a.totals_by(Grouping::year);
  const auto by_year_b = b.totals_by(Grouping::year);
  ASSERT_EQ(by_year_b.size(), by_year_a.size());
  for (std::size_t i = 0; i < by_year_a.size(); ++i) {
    EXPECT_EQ(by_year_b[i].label, by_year_a[i].label);
    EXPECT_EQ(by_year_b[i].total.to_string(), by_year_a[i].total.to_string());
    EXPECT_EQ(by_year_b[i].total.estimate, by_year_a[i].total.estimate);
  }
  const auto rec_a = a.reconcile();
  const auto rec_b = b.reconcile();
  ASSERT_EQ(rec_b.size(), 1U);
  ASSERT_EQ(rec_a.size(), 1U);
  EXPECT_EQ(rec_b[0].events.to_string(), rec_a[0].events.to_string());
  EXPECT_EQ(rec_b[0].verdict, rec_a[0].verdict);
  // Explicit keys survive as they are.
  EXPECT_TRUE(b.find_event("a-includer"));
  EXPECT_EQ(b.event(*b.find_event("z-included")).included_in, b.find_event("a-includer"));

  // Importing file1 again adds nothing and says so.
  const std::string before = dump(dir.file("b.db"));
  const io::ImportSummary again = import_jsonl(b, file1);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.already_present, a.count_events());
  EXPECT_EQ(again.duplicates, 0);
  EXPECT_EQ(again.rejected, 0);
  EXPECT_EQ(dump(dir.file("b.db")), before);

  // B's events all carry keys now; exporting still writes the same file.
  EXPECT_EQ(export_jsonl(b), read_file(file1));
}

// An export imported back into the database it came from: its events without
// keys are recognised by their facts (and take the computed key), not
// recorded a second time.
TEST(JsonlRoundTrip, ImportingAnExportIntoItsOwnDatabaseAddsNothing) {
  TempDir dir;
  const std::string db = dir.file("a.db");
  Tracker a = Tracker::open(db);
  const examples::AmazonFacts facts = examples::record_amazon_facts(a);
  record_extras(a);
  const std::int64_t events = a.count_events();
  const std::string total = a.total().to_string();
  const std::string file1 = dir.file("file1.jsonl");
  write_file(file1, export_jsonl(a));

  const io::ImportSummary s = import_jsonl(a, file1);
  EXPECT_EQ(s.imported, 0);
  EXPECT_EQ(s.duplicates, 0);
  EXPECT_EQ(s.already_present, events);
  EXPECT_EQ(a.count_events(), events);
  EXPECT_EQ(a.total().to_string(), total);
  EXPECT_EQ(export_jsonl(a), read_file(file1));
  // The keyless events now carry the keys they were exported under, and
  // keep their inclusions.
  EXPECT_TRUE(std::regex_match(a.event(facts.nov_2022).key, std::regex("ev:[0-9a-f]{32}")));
  EXPECT_EQ(a.event(facts.nov_2022).included_in, facts.jan_2023);

  const std::string before = dump(db);
  const io::ImportSummary again = import_jsonl(a, file1);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.already_present, events);
  EXPECT_EQ(dump(db), before);
}

TEST(JsonlRoundTrip, ImportIntoAutoDetectsByExtensionAndFirstLine) {
  TempDir dir;
  Tracker a = Tracker::open(dir.file("a.db"));
  examples::record_amazon_facts(a);
  const std::string text = export_jsonl(a);
  write_file(dir.file("export.ndjson"), text);
  write_file(dir.file("export.txt"), text);
  Tracker b = Tracker::open(dir.file("b.db"));
  EXPECT_EQ(io::import_file(b, dir.file("export.ndjson")).format, io::Format::jsonl);
  const io::ImportSummary s = io::import_file(b, dir.file("export.txt"));
  EXPECT_EQ(s.format, io::Format::jsonl);
  EXPECT_EQ(s.already_present, 8);
  EXPECT_EQ(export_jsonl(b), text);
}

// ---- Import details -----------------------------------------------------------

const char* const kCompanyLine = R"({"type":"company","name":"Hooli","aliases":["Hooli XYZ"]})";
const char* const kEventLine =
    R"({"type":"event","key":"hooli-1","company":"Hooli","announced_on":"2023-02-01",)"
    R"("precision":"day","headcount":{"phrase":"100","kind":"exact","low":100,"high":100,)"
    R"("estimate":100}})";

TEST(JsonlImport, RepeatedLinesCountAsDuplicatesThenAsAlreadyPresent) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"));
  const std::string path = dir.file("dup.jsonl");
  write_file(path, std::string(kCompanyLine) + "\n" + kEventLine + "\n" + kEventLine + "\n" +
                       kCompanyLine + "\n" + kEventLine + "\n");
  const io::ImportSummary first = import_jsonl(t, path);
  EXPECT_EQ(first.rows_read, 5);
  EXPECT_EQ(first.imported, 1);
  EXPECT_EQ(first.duplicates, 2);
  EXPECT_EQ(first.already_present, 0);
  EXPECT_EQ(t.count_events(), 1);
  EXPECT_EQ(t.companies().size(), 1U);

  const io::ImportSummary second = import_jsonl(t, path);
  EXPECT_EQ(second.imported, 0);
  EXPECT_EQ(second.duplicates, 0);
  EXPECT_EQ(second.already_present, 3);
  EXPECT_EQ(t.count_events(), 1);
}

TEST(JsonlImport, BlankLinesCrlfAndBomAreAccepted) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"));
  const std::string path = dir.file("crlf.jsonl");
  write_file(path,
             std::string("\xEF\xBB\xBF") + kCompanyLine + "\r\n\r\n   \r\n" + kEventLine + "\r\n");
  const io::ImportSummary s = import_jsonl(t, path);
  EXPECT_EQ(s.rows_read, 2);
  EXPECT_EQ(s.imported, 1);
  EXPECT_EQ(t.event(*t.find_event("hooli-1")).company_name, "Hooli");
  EXPECT_EQ(t.find_company("Hooli XYZ")->name, "Hooli");
}

TEST(JsonlImport, ExistingCompaniesAreKeptAndGainAliases) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"));
  t.add_company({.name = "Hooli", .industry = "Search"});
  const std::string path = dir.file("c.jsonl");
  write_file(path, std::string(kCompanyLine) + "\n");
  import_jsonl(t, path);
  const Company hooli = *t.find_company("hooli xyz");
  EXPECT_EQ(hooli.name, "Hooli");
  EXPECT_EQ(hooli.industry, "Search");
}

TEST(JsonlImport, ReportsProgressAndTheWholeSizeAtTheEnd) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"));
  const std::string path = dir.file("p.jsonl");
  write_file(path, std::string(kCompanyLine) + "\n" + kEventLine + "\n");
  std::int64_t last_done = -1, last_total = -1;
  io::ImportOptions options;
  options.progress = [&](std::int64_t done, std::int64_t total) {
    last_done = done;
    last_total = total;
  };
  io::import_file(t, path, options);
  EXPECT_EQ(last_total, static_cast<std::int64_t>(read_file(path).size()));
  EXPECT_EQ(last_done, last_total);
}

struct BadLine {
  const char* name;
  std::string line;
  const char* reason;  // a part of the message after "FILE:3: "
};

void PrintTo(const BadLine& bad, std::ostream* os) {
  *os << bad.name;
}

std::string event_with(const std::string& replace_from, const std::string& replace_to) {
  std::string line = kEventLine;
  const auto at = line.find(replace_from);
  EXPECT_NE(at, std::string::npos) << replace_from;
  return line.replace(at, replace_from.size(), replace_to);
}

std::vector<BadLine> bad_lines() {
  const std::string head = R"({"phrase":"100","kind":"exact","low":100,"high":100,"estimate":100})";
  auto headcount = [&](const std::string& h) { return event_with(head, h); };
  return {
      {"MalformedJson", R"({"type":"company","name":"X")", "not valid JSON"},
      {"NotAnObject", "[1,2]", "must be a JSON object"},
      {"UnknownType", R"({"type":"widget"})", "type: is not a record type"},
      {"MissingType", R"({"name":"X"})", "type: is required"},
      {"TypeNotAString", R"({"type":1})", "type: must be a string"},
      {"UnknownField", R"({"type":"company","name":"X","colour":"red"})",
       "colour: is not a known field"},
      {"UnknownParent", R"({"type":"company","name":"X","parent":"Nobody"})", "parent: "},
      {"AliasTaken", R"({"type":"company","name":"X","aliases":["Y","GLBX"]})", "alias: "},
      {"InvalidDate", event_with("2023-02-01", "2023-02-30"), "announced_on: "},
      {"FutureDate", event_with("2023-02-01", "9999-02-01"), "announced_on: "},
      {"PrecisionMismatch", event_with(R"("precision":"day")", R"("precision":"month")"),
       "precision: "},
      {"PhraseDisagrees",
       headcount(R"({"phrase":"about 100","kind":"exact","low":100,)"
                 R"("high":100,"estimate":100})"),
       "headcount: the phrase \"about 100\" does not agree"},
      {"PartsDisagree",
       headcount(R"({"phrase":"","kind":"exact","low":100,"high":101,)"
                 R"("estimate":100})"),
       "headcount"},
      {"NegativeCount",
       headcount(R"({"phrase":"","kind":"exact","low":-5,"high":-5,)"
                 R"("estimate":-5})"),
       "headcount"},
      // SQLite's length() stops at a NUL, so this phrase would once reach
      // the schema's CHECK as empty (found by fuzz_jsonl_import).
      {"PhraseWithNul",
       headcount(R"({"phrase":"\u0000 more than 1,000","kind":"phrase","low":1001,)"
                 R"("high":1500,"estimate":1200})"),
       "headcount: contains a control character: \"\\x00 more than 1,000\""},
      {"PhraseWithBell",
       headcount(R"({"phrase":"about\u0007100","kind":"about","low":100,"high":100,)"
                 R"("estimate":100})"),
       "headcount: contains a control character"},
      {"CountAsText",
       headcount(R"({"phrase":"100","kind":"exact","low":"100","high":100,)"
                 R"("estimate":100})"),
       "headcount.low: must be a whole number"},
      {"FractionalCount",
       headcount(R"({"phrase":"100","kind":"exact","low":100.5,"high":100,)"
                 R"("estimate":100})"),
       "headcount.low: must be a whole number"},
      {"MissingHigh", headcount(R"({"phrase":"100","kind":"exact","low":100,"estimate":100})"),
       "headcount.high: is required"},
      {"UnknownKind",
       headcount(R"({"phrase":"100","kind":"lots","low":100,"high":100,)"
                 R"("estimate":100})"),
       "headcount.kind: "},
      {"InvalidUtf8", event_with("Hooli", "Hoo\xFFli"), "not valid UTF-8"},
      {"UnknownCompany", event_with(R"("company":"Hooli")", R"("company":"Nobody")"), "company: "},
      {"UnknownInclude",
       event_with(R"("precision":"day")", R"("precision":"day","includes":["nope"])"),
       "includes[0]: "},
      {"MissingKey", event_with(R"("key":"hooli-1",)", ""), "key: is required"},
      {"BadTier",
       event_with(R"("precision":"day")",
                  R"("precision":"day","sources":[{"url":"https://x.example",)"
                  R"("tier":"gossip"}])"),
       "sources[0].tier: "},
      {"ClaimPeriodReversed",
       R"({"type":"claim","company":"Hooli","include_subsidiaries":true,)"
       R"("period_start":"2023-12-31","period_end":"2023-01-01","headcount":{"phrase":"100",)"
       R"("kind":"exact","low":100,"high":100,"estimate":100}})",
       "period_end: "},
      {"ClaimScopeNotBoolean",
       R"({"type":"claim","company":"Hooli","include_subsidiaries":"yes",)"
       R"("period_start":"2023-01-01","period_end":"2023-12-31","headcount":{"phrase":"100",)"
       R"("kind":"exact","low":100,"high":100,"estimate":100}})",
       "include_subsidiaries: must be true or false"},
  };
}

class JsonlBadLine : public ::testing::TestWithParam<BadLine> {};

// A bad third line fails a strict import naming FILE:3 and leaves the
// database exactly as it was; with skip_bad the two good lines go in and the
// bad one goes to the rejects file.
TEST_P(JsonlBadLine, StrictFailsAtItsLineAndSkipBadRejectsIt) {
  const BadLine& bad = GetParam();
  TempDir dir;
  const std::string db = dir.file("t.db");
  Tracker t = Tracker::open(db);
  import_jsonl(t, kCanonical);  // so "unchanged" means something
  const std::string path = dir.file("bad.jsonl");
  write_file(path, std::string(kCompanyLine) + "\n" + kEventLine + "\n" + bad.line + "\n");

  const std::string before = dump(db);
  try {
    import_jsonl(t, path);
    ADD_FAILURE() << "expected ImportError";
  } catch (const io::ImportError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.field(), path + ":3");
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(path + ":3: ", 0), 0U) << what;
    EXPECT_NE(what.find(bad.reason), std::string::npos) << what;
  }
  EXPECT_EQ(dump(db), before) << "the database changed";

  const std::string rejects = dir.file("rejects.csv");
  const io::ImportSummary s = import_jsonl(t, path, /*skip_bad=*/true, rejects);
  EXPECT_EQ(s.rows_read, 3);
  EXPECT_EQ(s.imported, 1);
  EXPECT_EQ(s.rejected, 1);
  EXPECT_TRUE(t.find_event("hooli-1"));
  EXPECT_FALSE(t.find_company("X")) << "a rejected line leaves nothing behind";
  EXPECT_FALSE(t.find_company("Y")) << "a rejected line leaves nothing behind";
  const std::string written = read_file(rejects);
  EXPECT_EQ(written.rfind("line,reason,record\n3,", 0), 0U) << written;
  // The reason is a CSV field there: quotes doubled.
  std::string quoted_reason;
  for (const char* c = bad.reason; *c != '\0'; ++c) {
    quoted_reason += *c == '"' ? std::string("\"\"") : std::string(1, *c);
  }
  EXPECT_NE(written.find(quoted_reason), std::string::npos) << written;
}

INSTANTIATE_TEST_SUITE_P(Jsonl, JsonlBadLine, ::testing::ValuesIn(bad_lines()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(JsonlImport, SkipBadWritesEachRejectQuotedWithItsLine) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"));
  const std::string path = dir.file("mixed.jsonl");
  write_file(path, std::string(kCompanyLine) + "\n" +         // 1
                       "\n" +                                 // 2 (blank: not a row)
                       R"({"type":"widget","a":1})" + "\n" +  // 3
                       kEventLine + "\n" +                    // 4
                       "{oops\n" +                            // 5
                       R"({"type":"company","name":"Initrode","aliases":["Hooli XYZ"]})" +
                       "\n");  // 6: its alias is taken, so the company is not added either
  const std::string rejects = dir.file("rejects.csv");
  const io::ImportSummary s = import_jsonl(t, path, true, rejects);
  EXPECT_EQ(s.rows_read, 5);
  EXPECT_EQ(s.imported, 1);
  EXPECT_EQ(s.rejected, 3);
  EXPECT_FALSE(t.find_company("Initrode"));
  const std::vector<std::string> rows = lines_of(read_file(rejects));
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[0], "line,reason,record");
  EXPECT_EQ(rows[1], R"(3,"type: is not a record type (company, event or claim): ""widget""",)"
                     R"("{""type"":""widget"",""a"":1}")");
  EXPECT_EQ(rows[2].rfind("5,\"not valid JSON: ", 0), 0U) << rows[2];
  EXPECT_EQ(rows[2].substr(rows[2].size() - 6), ",{oops");
  EXPECT_EQ(rows[3].rfind("6,\"alias: ", 0), 0U) << rows[3];
}

// A write the schema refuses although every check before it passed (here a
// trigger someone added at the prompt) stops the import, with or without
// skip_bad, naming the line and keeping SQLite's verdict; nothing is written.
TEST(JsonlImport, AConstraintTheChecksMissedStopsTheImportAtItsLine) {
  TempDir dir;
  const std::string db = dir.file("t.db");
  Tracker t = Tracker::open(db);
  ASSERT_EQ(exec_raw(db,
                     "CREATE TRIGGER no_more BEFORE INSERT ON layoff_event "
                     "BEGIN SELECT RAISE(ABORT, 'no new events here'); END;"),
            0);
  const std::string path = dir.file("blocked.jsonl");
  write_file(path, std::string(kCompanyLine) + "\n" + kEventLine + "\n");
  const std::string before = dump(db);
  for (const bool skip_bad : {false, true}) {
    try {
      import_jsonl(t, path, skip_bad);
      ADD_FAILURE() << "expected ImportError, skip_bad " << skip_bad;
    } catch (const io::ImportError& e) {
      EXPECT_EQ(e.line(), 2);
      EXPECT_EQ(e.code(), ErrorCode::constraint);
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(path + ":2: ", 0), 0U) << what;
      EXPECT_NE(what.find("no new events here"), std::string::npos) << what;
    }
    EXPECT_EQ(dump(db), before) << "the database changed, skip_bad " << skip_bad;
  }
}

TEST(JsonlImport, MissingFileIsAnIoError) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"));
  try {
    import_jsonl(t, dir.file("nope.jsonl"));
    ADD_FAILURE() << "expected ImportError";
  } catch (const io::ImportError& e) {
    EXPECT_EQ(e.code(), ErrorCode::io_error);
  }
}

}  // namespace
}  // namespace layoffs::test

namespace layoffs::test {
namespace {

// Kind, status (with its note) and US state survive export and import, and
// the second export is byte for byte the first.
TEST(JsonlKindStatus, RoundTripKeepsKindStatusAndState) {
  TempDir dir;
  std::string first;
  {
    Tracker a = Tracker::open(dir.file("a.db"));
    const CompanyId amazon = a.add_company({.name = "Amazon"});
    const EventId ann = a.record({.company = amazon,
                                  .announced_on = Date::parse("2023-01-04"),
                                  .headcount = Headcount::parse("just over 18,000")});
    const EventId wa = a.record({.company = amazon,
                                 .announced_on = Date::parse("2023-01-18"),
                                 .headcount = Headcount::exact(1'852),
                                 .kind = EventKind::filing,
                                 .us_state = "WA"});
    a.set_status(wa, EventStatus::superseded, "amended notice of 2023-02-01");
    a.record({.company = amazon,
              .announced_on = Date::parse("2023-02-01"),
              .headcount = Headcount::exact(2'320),
              .kind = EventKind::filing,
              .status = EventStatus::retracted,
              .status_note = "filed in error",
              .us_state = "CA"});
    (void)ann;
    first = export_jsonl(a);
  }
  EXPECT_NE(first.find("\"kind\":\"filing\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"status\":\"superseded\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"status_note\":\"amended notice of 2023-02-01\""), std::string::npos);
  EXPECT_NE(first.find("\"us_state\":\"WA\""), std::string::npos) << first;
  EXPECT_EQ(first.find("\"kind\":\"announcement\""), std::string::npos)
      << "defaults are left out, so older exports stay byte-identical";
  write_file(dir.file("a.jsonl"), first);
  Tracker b = Tracker::open(dir.file("b.db"));
  import_jsonl(b, dir.file("a.jsonl"));
  EXPECT_EQ(export_jsonl(b), first);
  const Total t = b.total();
  EXPECT_EQ(t.to_string(), "at least 18,000");
  EXPECT_EQ(t.superseded_events, 1);
  EXPECT_EQ(t.retracted_events, 1);
}

TEST(JsonlKindStatus, BadKindStatusOrStateNamesTheLine) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("t.db"));
  const std::string head =
      "{\"type\":\"company\",\"name\":\"Acme\"}\n"
      "{\"type\":\"event\",\"key\":\"k1\",\"company\":\"Acme\",\"announced_on\":\"2023-01-01\","
      "\"precision\":\"day\",\"headcount\":{\"phrase\":\"5\",\"kind\":\"exact\",\"low\":5,"
      "\"high\":5,\"estimate\":5}";
  for (const std::string& extra :
       {std::string(",\"kind\":\"notice\""), std::string(",\"status\":\"gone\""),
        std::string(",\"us_state\":\"Wash.\""), std::string(",\"status_note\":\"x\"")}) {
    write_file(dir.file("bad.jsonl"), head + extra + "}\n");
    try {
      import_jsonl(t, dir.file("bad.jsonl"));
      ADD_FAILURE() << "accepted " << extra;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(":2"), std::string::npos) << e.what();
    }
    EXPECT_EQ(t.count_events(), 0) << extra;
  }
}

}  // namespace
}  // namespace layoffs::test
