// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The bad-input corpus: one table of bad inputs across every public entry
// point (companies, aliases, parents, dates, headcounts, percentages, text
// fields, keys, inclusions, batches, transactions, claims, filters, lookups,
// enum parsers and open options). Each entry must fail with its own
// ErrorCode and, where one is meaningful, the field it names; and each must
// leave the database byte-identical: the main file, the -wal (committed data
// may live there in WAL mode) and the logical content.
//
// Import rows (CSV and JSON Lines) have their own table in
// tests/io/bad_import_corpus_test.cpp, since they need layoffs_io.
#include <chrono>
#include <functional>
#include <iostream>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/error.h>
#include <layoffs/layoffs.h>
#include <sqlite3.h>

#include "amazon_facts.h"
#include "test_util.h"
#include "tracker_fixture.h"

namespace layoffs::test {
namespace {

// What the corpus runs against: the Amazon facts plus an unrelated company
// tree with a keyed event, so that inclusions across trees, taken keys and
// same-day inclusions all have something to hit.
struct Fixture {
  examples::AmazonFacts amazon;
  CompanyId globex, globex_labs;
  EventId globex_2023;
};

using Call = std::function<void(Tracker&, const Fixture&)>;

struct BadInput {
  std::string what;
  Call call;
  ErrorCode code;
  std::string field;  // "" where no single field is to blame
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// A valid event of Amazon's that no fixture event duplicates, changed by
// `change` so that exactly one thing about it is wrong.
NewEvent event_with(const Fixture& f, const std::function<void(NewEvent&)>& change) {
  NewEvent e{.company = f.amazon.amazon,
             .announced_on = Date::ymd(2021, 6, 1),
             .headcount = Headcount::exact(123)};
  change(e);
  return e;
}

NewEvent on(const Fixture& f, Date day) {
  return event_with(f, [&](NewEvent& e) { e.announced_on = day; });
}

NewEvent counted(const Fixture& f, Headcount h) {
  return event_with(f, [&](NewEvent& e) { e.headcount = std::move(h); });
}

NewClaim claim_with(const Fixture& f, const std::function<void(NewClaim&)>& change) {
  NewClaim c{.company = f.amazon.amazon,
             .period_start = Date::year_only(2021),
             .period_end = Date::year_only(2021),
             .headcount = Headcount::at_least(5)};
  change(c);
  return c;
}

// An event as stored, to be handed back to update() with one change.
NewEvent stored(Tracker& t, EventId id, const std::function<void(NewEvent&)>& change) {
  NewEvent e = t.event(id);
  change(e);
  return e;
}

std::vector<BadInput> corpus() {
  using E = ErrorCode;
  const auto record = [](std::function<void(NewEvent&)> change) -> Call {
    return [change](Tracker& t, const Fixture& f) { t.record(event_with(f, change)); };
  };
  const auto add = [](NewCompany c) -> Call {
    return [c](Tracker& t, const Fixture&) { t.add_company(c); };
  };
  const auto parsed_date = [](std::string text) -> Call {
    return [text](Tracker& t, const Fixture& f) {
      t.record(on(f, Date::parse(text, "announced_on")));
    };
  };
  const auto parsed_count = [](std::string text) -> Call {
    return [text](Tracker& t, const Fixture& f) { t.record(counted(f, Headcount::parse(text))); };
  };
  const auto claim = [](std::function<void(NewClaim&)> change) -> Call {
    return [change](Tracker& t, const Fixture& f) { t.record_claim(claim_with(f, change)); };
  };
  const std::string long_name(201, 'n');
  const CompanyId nobody(987'654);
  const EventId no_event(987'654);

  return {
      // ---- Company names and details (add_company, ensure_company).
      {"name empty", add({.name = ""}), E::invalid_argument, "name"},
      {"name blank", add({.name = " \t\n "}), E::invalid_argument, "name"},
      {"name 201 bytes", add({.name = long_name}), E::invalid_argument, "name"},
      {"name invalid UTF-8", add({.name = "Caf\xe9"}), E::invalid_argument, "name"},
      {"name overlong UTF-8", add({.name = "\xc0\xaf"}), E::invalid_argument, "name"},
      {"name UTF-16 surrogate", add({.name = "\xed\xa0\x80"}), E::invalid_argument, "name"},
      {"name with NUL", add({.name = std::string("Nul\0Co", 6)}), E::invalid_argument, "name"},
      {"name with line break", add({.name = "Two\nLines"}), E::invalid_argument, "name"},
      {"name with DEL", add({.name = "Del\x7f"}), E::invalid_argument, "name"},
      {"name taken", add({.name = "Amazon"}), E::already_exists, "name"},
      {"name taken, other case and spacing", add({.name = "  aMaZoN  "}), E::already_exists,
       "name"},
      {"name taken by an alias", add({.name = "amazon   web services"}), E::already_exists, "name"},
      {"alias taken by another company", add({.name = "New Co", .aliases = {"ok", "AWS"}}),
       E::already_exists, "aliases[1]"},
      {"alias blank", add({.name = "New Co", .aliases = {"fine", " "}}), E::invalid_argument,
       "aliases[1]"},
      {"add_company alias 201 bytes", add({.name = "New Co", .aliases = {long_name}}),
       E::invalid_argument, "aliases[0]"},
      {"industry with control character", add({.name = "New Co", .industry = "Retail\x01"}),
       E::invalid_argument, "industry"},
      {"hq_location 201 bytes", add({.name = "New Co", .hq_location = long_name}),
       E::invalid_argument, "hq_location"},
      {"country invalid UTF-8", add({.name = "New Co", .country = "\xc3\x28"}), E::invalid_argument,
       "country"},
      {"add_company parent unknown", add({.name = "New Co", .parent = nobody}), E::not_found,
       "parent"},
      {"parent id 0", add({.name = "New Co", .parent = CompanyId(0)}), E::not_found, "parent"},
      {"parent id negative", add({.name = "New Co", .parent = CompanyId(-3)}), E::not_found,
       "parent"},
      {"ensure_company name blank", [](Tracker& t, const Fixture&) { t.ensure_company({}); },
       E::invalid_argument, "name"},
      {"ensure_company of an existing company with a bad detail",
       [](Tracker& t, const Fixture&) {
         t.ensure_company({.name = "Amazon", .industry = std::string(201, 'i')});
       },
       E::invalid_argument, "industry"},
      {"ensure_company with an unknown parent",
       [nobody](Tracker& t, const Fixture&) {
         t.ensure_company({.name = "AWS", .parent = nobody});
       },
       E::not_found, "parent"},

      // ---- Aliases (add_alias).
      {"alias empty", [](Tracker& t, const Fixture& f) { t.add_alias(f.amazon.amazon, ""); },
       E::invalid_argument, "alias"},
      {"alias is another company's name",
       [](Tracker& t, const Fixture& f) { t.add_alias(f.amazon.amazon, "Twitch"); },
       E::already_exists, "alias"},
      {"alias is another company's alias, other case",
       [](Tracker& t, const Fixture& f) { t.add_alias(f.amazon.amazon, "TWITCH  interactive"); },
       E::already_exists, "alias"},
      {"alias for an unknown company",
       [nobody](Tracker& t, const Fixture&) { t.add_alias(nobody, "Ghost"); }, E::not_found,
       "company"},
      {"alias with a tab inside",
       [](Tracker& t, const Fixture& f) { t.add_alias(f.amazon.amazon, "AM\tZN"); },
       E::invalid_argument, "alias"},
      {"alias 201 bytes",
       [long_name](Tracker& t, const Fixture& f) { t.add_alias(f.amazon.amazon, long_name); },
       E::invalid_argument, "alias"},

      // ---- Parents (set_parent).
      {"parent is the company itself",
       [](Tracker& t, const Fixture& f) { t.set_parent(f.amazon.amazon, f.amazon.amazon); },
       E::cycle, "parent"},
      {"parent is a child (cycle)",
       [](Tracker& t, const Fixture& f) { t.set_parent(f.amazon.amazon, f.amazon.aws); }, E::cycle,
       "parent"},
      {"Globex under its own subsidiary (cycle)",
       [](Tracker& t, const Fixture& f) { t.set_parent(f.globex, f.globex_labs); }, E::cycle,
       "parent"},
      {"set_parent to an unknown parent",
       [nobody](Tracker& t, const Fixture& f) { t.set_parent(f.amazon.aws, nobody); }, E::not_found,
       "parent"},
      {"set_parent of an unknown company",
       [nobody](Tracker& t, const Fixture& f) { t.set_parent(nobody, f.amazon.amazon); },
       E::not_found, "company"},
      {"detaching a company whose event Amazon includes",
       [](Tracker& t, const Fixture& f) { t.set_parent(f.amazon.twitch, std::nullopt); },
       E::invalid_inclusion, "parent"},
      {"moving a company whose event Amazon includes to another tree",
       [](Tracker& t, const Fixture& f) { t.set_parent(f.amazon.twitch, f.globex); },
       E::invalid_inclusion, "parent"},

      // ---- Dates: parsing, factories, and the range the library accepts.
      {"date 2024-02-30", parsed_date("2024-02-30"), E::invalid_argument, "announced_on"},
      {"date 2023-02-29", parsed_date("2023-02-29"), E::invalid_argument, "announced_on"},
      {"date month 13", parsed_date("2023-13"), E::invalid_argument, "announced_on"},
      {"date month 00", parsed_date("2023-00-10"), E::invalid_argument, "announced_on"},
      {"date day 00", parsed_date("2023-01-00"), E::invalid_argument, "announced_on"},
      {"date without dashes", parsed_date("20230105"), E::invalid_argument, "announced_on"},
      {"date without leading zeros", parsed_date("2023-1-5"), E::invalid_argument, "announced_on"},
      {"date with slashes", parsed_date("2023/01/05"), E::invalid_argument, "announced_on"},
      {"date with a leading space", parsed_date(" 2023-01-05"), E::invalid_argument,
       "announced_on"},
      {"date with a time", parsed_date("2023-01-05T00:00:00Z"), E::invalid_argument,
       "announced_on"},
      {"date empty", parsed_date(""), E::invalid_argument, "announced_on"},
      {"date year 0", parsed_date("0000-01-01"), E::invalid_argument, "announced_on"},
      {"date five-digit year", parsed_date("10000-01-01"), E::invalid_argument, "announced_on"},
      {"date in words", parsed_date("January 2023"), E::invalid_argument, "announced_on"},
      {"Date::ymd 2023-02-29",
       [](Tracker& t, const Fixture& f) { t.record(on(f, Date::ymd(2023, 2, 29))); },
       E::invalid_argument, "date"},
      {"Date::year_month month 0",
       [](Tracker& t, const Fixture& f) { t.record(on(f, Date::year_month(2023, 0))); },
       E::invalid_argument, "date"},
      {"Date::plus_days past 9999-12-31",
       [](Tracker& t, const Fixture& f) { t.record(on(f, Date::ymd(9999, 12, 31).plus_days(1))); },
       E::invalid_argument, "date"},
      {"announced before 1900",
       record([](NewEvent& e) { e.announced_on = Date::ymd(1899, 12, 31); }), E::invalid_argument,
       "announced_on"},
      {"announced a month from now",
       record([](NewEvent& e) { e.announced_on = Date::today().plus_days(31); }),
       E::invalid_argument, "announced_on"},
      {"announced the year after next (year precision)",
       record([](NewEvent& e) { e.announced_on = Date::year_only(Date::today().year() + 2); }),
       E::invalid_argument, "announced_on"},
      {"effective before 1900", record([](NewEvent& e) { e.effective_on = Date::year_only(1850); }),
       E::invalid_argument, "effective_on"},
      {"source published in the future", record([](NewEvent& e) {
         e.sources = {
             {.url = "https://example.com/a", .published_on = Date::today().plus_days(60)}};
       }),
       E::invalid_argument, "sources[0].published_on"},

      // ---- Headcounts (Headcount::parse and the factories).
      {"headcount a bunch", parsed_count("a bunch"), E::invalid_argument, "headcount"},
      {"headcount empty", parsed_count(""), E::invalid_argument, "headcount"},
      {"headcount blank", parsed_count("   "), E::invalid_argument, "headcount"},
      {"headcount negative", parsed_count("-5"), E::invalid_argument, "headcount"},
      {"headcount European thousands", parsed_count("10.000"), E::invalid_argument, "headcount"},
      {"headcount bad grouping", parsed_count("10,00"), E::invalid_argument, "headcount"},
      {"headcount leading zero", parsed_count("007"), E::invalid_argument, "headcount"},
      {"headcount fraction of a person", parsed_count("16000.5"), E::invalid_argument, "headcount"},
      {"headcount above the maximum", parsed_count("100,000,001"), E::invalid_argument,
       "headcount"},
      {"headcount inverted range", parsed_count("60-40"), E::invalid_argument, "headcount"},
      {"headcount inverted between", parsed_count("between 60 and 40"), E::invalid_argument,
       "headcount"},
      {"headcount about nothing", parsed_count("about"), E::invalid_argument, "headcount"},
      {"headcount more than nothing", parsed_count("more than"), E::invalid_argument, "headcount"},
      {"headcount several", parsed_count("several"), E::invalid_argument, "headcount"},
      {"headcount exponent", parsed_count("1e4"), E::invalid_argument, "headcount"},
      {"headcount hexadecimal", parsed_count("0x10"), E::invalid_argument, "headcount"},
      {"headcount at least with plus", parsed_count("more than 27,000+"), E::invalid_argument,
       "headcount"},
      {"headcount of bananas", parsed_count("10 bananas"), E::invalid_argument, "headcount"},
      {"Headcount::exact(-1)",
       [](Tracker& t, const Fixture& f) { t.record(counted(f, Headcount::exact(-1))); },
       E::invalid_argument, "headcount"},
      {"Headcount::range(10, 5)",
       [](Tracker& t, const Fixture& f) { t.record(counted(f, Headcount::range(10, 5))); },
       E::invalid_argument, "headcount"},
      {"Headcount::at_least(kMax + 1)",
       [](Tracker& t, const Fixture& f) {
         t.record(counted(f, Headcount::at_least(Headcount::kMax + 1)));
       },
       E::invalid_argument, "headcount"},
      {"Headcount::from_parts exact with low != high",
       [](Tracker& t, const Fixture& f) {
         t.record(counted(f, Headcount::from_parts(HeadcountKind::exact, 1, 2, 1, "")));
       },
       E::invalid_argument, "headcount"},

      // ---- Workforce percentages.
      {"workforce_pct negative", record([](NewEvent& e) { e.workforce_pct = -0.1; }),
       E::invalid_argument, "workforce_pct"},
      {"workforce_pct above 100", record([](NewEvent& e) { e.workforce_pct = 100.5; }),
       E::invalid_argument, "workforce_pct"},
      {"workforce_pct NaN", record([](NewEvent& e) { e.workforce_pct = kNaN; }),
       E::invalid_argument, "workforce_pct"},
      {"workforce_pct infinite", record([](NewEvent& e) { e.workforce_pct = kInf; }),
       E::invalid_argument, "workforce_pct"},
      {"workforce_pct minus infinity", record([](NewEvent& e) { e.workforce_pct = -kInf; }),
       E::invalid_argument, "workforce_pct"},

      // ---- Departments, reasons, sources, locations, country, notes, keys.
      {"department empty", record([](NewEvent& e) { e.departments = {""}; }), E::invalid_argument,
       "departments[0]"},
      {"department with control character", record([](NewEvent& e) {
         e.departments = {"ok", "\x02"};
       }),
       E::invalid_argument, "departments[1]"},
      {"department 201 bytes", record([](NewEvent& e) { e.departments = {std::string(201, 'd')}; }),
       E::invalid_argument, "departments[0]"},
      {"101 departments", record([](NewEvent& e) { e.departments.assign(101, "Sales"); }),
       E::invalid_argument, "departments"},
      {"reason name empty", record([](NewEvent& e) { e.reasons = {{""}}; }), E::invalid_argument,
       "reasons[0].name"},
      {"reason name 501 bytes", record([](NewEvent& e) { e.reasons = {{std::string(501, 'r')}}; }),
       E::invalid_argument, "reasons[0].name"},
      {"reason category out of range", record([](NewEvent& e) {
         e.reasons = {{"x", static_cast<ReasonCategory>(99)}};
       }),
       E::invalid_argument, "reasons[0].category"},
      {"reason category conflicting with the stored one", record([](NewEvent& e) {
         e.reasons = {{"fine", std::nullopt}, {"uncertain economy", ReasonCategory::automation}};
       }),
       E::invalid_argument, "reasons[1].category"},
      {"source URL empty", record([](NewEvent& e) { e.sources = {{}}; }), E::invalid_argument,
       "sources[0].url"},
      {"source URL without a scheme",
       record([](NewEvent& e) { e.sources = {{.url = "example.com"}}; }), E::invalid_argument,
       "sources[0].url"},
      {"source URL starting with a colon",
       record([](NewEvent& e) { e.sources = {{.url = "://example.com"}}; }), E::invalid_argument,
       "sources[0].url"},
      {"source URL with a space",
       record([](NewEvent& e) { e.sources = {{.url = "https://exa mple.com"}}; }),
       E::invalid_argument, "sources[0].url"},
      {"source URL 2049 bytes",
       record([](NewEvent& e) { e.sources = {{.url = "https://" + std::string(2041, 'u')}}; }),
       E::invalid_argument, "sources[0].url"},
      {"source tier out of range", record([](NewEvent& e) {
         e.sources = {{.url = "https://example.com/t", .tier = static_cast<SourceTier>(7)}};
       }),
       E::invalid_argument, "sources[0].tier"},
      {"source title 1001 bytes", record([](NewEvent& e) {
         e.sources = {{.url = "https://example.com/t", .title = std::string(1001, 't')}};
       }),
       E::invalid_argument, "sources[0].title"},
      {"second source's publisher with control character", record([](NewEvent& e) {
         e.sources = {{.url = "https://example.com/1"},
                      {.url = "https://example.com/2", .publisher = "Pub\x1b"}};
       }),
       E::invalid_argument, "sources[1].publisher"},
      {"location with ';'", record([](NewEvent& e) { e.locations = {"Seattle; Austin"}; }),
       E::invalid_argument, "locations[0]"},
      {"location empty", record([](NewEvent& e) {
         e.locations = {"Seattle", ""};
       }),
       E::invalid_argument, "locations[1]"},
      {"country with line break", record([](NewEvent& e) { e.country = "United\nStates"; }),
       E::invalid_argument, "country"},
      {"notes 10001 bytes", record([](NewEvent& e) { e.notes = std::string(10'001, 'n'); }),
       E::invalid_argument, "notes"},
      {"notes with NUL", record([](NewEvent& e) { e.notes = std::string("a\0b", 3); }),
       E::invalid_argument, "notes"},
      {"notes invalid UTF-8", record([](NewEvent& e) { e.notes = "\xf5\x80\x80\x80"; }),
       E::invalid_argument, "notes"},
      {"key with leading space", record([](NewEvent& e) { e.key = " k-1"; }), E::invalid_argument,
       "key"},
      {"key 201 bytes", record([](NewEvent& e) { e.key = std::string(201, 'k'); }),
       E::invalid_argument, "key"},
      {"key with control character", record([](NewEvent& e) { e.key = "k\x01"; }),
       E::invalid_argument, "key"},
      {"company_stage 201 bytes",
       record([](NewEvent& e) { e.company_stage = std::string(201, 's'); }), E::invalid_argument,
       "company_stage"},
      {"funds_raised_musd negative", record([](NewEvent& e) { e.funds_raised_musd = -1; }),
       E::invalid_argument, "funds_raised_musd"},
      {"funds_raised_musd NaN", record([](NewEvent& e) { e.funds_raised_musd = kNaN; }),
       E::invalid_argument, "funds_raised_musd"},
      {"funds_raised_musd above ten trillion dollars",
       record([](NewEvent& e) { e.funds_raised_musd = 1e8; }), E::invalid_argument,
       "funds_raised_musd"},
      {"event of an unknown company", record([nobody](NewEvent& e) { e.company = nobody; }),
       E::not_found, "company"},
      {"event without a company", record([](NewEvent& e) { e.company = CompanyId(); }),
       E::not_found, "company"},

      // ---- Inclusions.
      {"includes an unknown event", record([no_event](NewEvent& e) { e.includes = {no_event}; }),
       E::not_found, "includes[0]"},
      {"includes a later event",
       [](Tracker& t, const Fixture& f) {
         t.record(event_with(f, [&](NewEvent& e) {
           e.announced_on = Date::ymd(2022, 10, 1);
           e.includes = {f.amazon.one_medical_feb_2024};
         }));
       },
       E::invalid_inclusion, "includes[0]"},
      {"includes an unrelated company's event",
       [](Tracker& t, const Fixture& f) {
         t.record(event_with(f, [&](NewEvent& e) {
           e.announced_on = Date::ymd(2023, 12, 1);
           e.includes = {f.globex_2023};
         }));
       },
       E::invalid_inclusion, "includes[0]"},
      {"includes an event already included elsewhere",
       [](Tracker& t, const Fixture& f) {
         t.record(event_with(f, [&](NewEvent& e) {
           e.announced_on = Date::ymd(2023, 6, 1);
           e.includes = {f.amazon.nov_2022};
         }));
       },
       E::invalid_inclusion, "includes[0]"},
      {"includes the same event twice",
       [](Tracker& t, const Fixture& f) {
         t.record(event_with(f, [&](NewEvent& e) {
           e.announced_on = Date::ymd(2024, 5, 1);
           e.includes = {f.amazon.aws_apr_2024, f.amazon.aws_apr_2024};
         }));
       },
       E::invalid_inclusion, "includes[1]"},
      {"update: an event includes itself",
       [](Tracker& t, const Fixture& f) {
         t.update(f.amazon.jan_2023, stored(t, f.amazon.jan_2023, [&](NewEvent& e) {
                    e.includes.push_back(f.amazon.jan_2023);
                  }));
       },
       E::invalid_inclusion, "includes[1]"},
      {"update: a same-day inclusion loop",
       [](Tracker& t, const Fixture& f) {
         // March 2023: Amazon's 9,000 includes Twitch's 400 of the same day.
         t.update(f.amazon.twitch_mar_2023, stored(t, f.amazon.twitch_mar_2023, [&](NewEvent& e) {
                    e.includes = {f.amazon.mar_2023};
                  }));
       },
       E::invalid_inclusion, "includes[0]"},
      {"update: an included event moved after its includer",
       [](Tracker& t, const Fixture& f) {
         t.update(f.amazon.nov_2022, stored(t, f.amazon.nov_2022, [](NewEvent& e) {
                    e.announced_on = Date::ymd(2023, 2, 1);
                  }));
       },
       E::invalid_inclusion, "announced_on"},
      {"update: an included event moved to another company tree",
       [](Tracker& t, const Fixture& f) {
         t.update(f.amazon.nov_2022,
                  stored(t, f.amazon.nov_2022, [&](NewEvent& e) { e.company = f.globex; }));
       },
       E::invalid_inclusion, "company"},
      {"duplicate facts with an inclusion the original lacks",
       [](Tracker& t, const Fixture& f) {
         NewEvent again = stored(t, f.amazon.aws_apr_2024, [&](NewEvent& e) {
           e.includes = {f.amazon.prime_video_jan_2024};
         });
         t.record(again);
       },
       E::already_exists, "includes[0]"},
      {"update into a duplicate of another event",
       [](Tracker& t, const Fixture& f) {
         t.update(f.amazon.aws_apr_2024, t.event(f.amazon.prime_video_jan_2024));
       },
       E::already_exists, "id"},
      {"update taking another event's key",
       [](Tracker& t, const Fixture& f) {
         t.update(f.amazon.aws_apr_2024,
                  stored(t, f.amazon.aws_apr_2024, [](NewEvent& e) { e.key = "globex-2023"; }));
       },
       E::already_exists, "id"},
      {"update of an unknown event",
       [no_event](Tracker& t, const Fixture& f) {
         t.update(no_event, event_with(f, [](NewEvent&) {}));
       },
       E::not_found, "id"},
      {"update with a bad field",
       [](Tracker& t, const Fixture& f) {
         t.update(f.amazon.aws_apr_2024,
                  stored(t, f.amazon.aws_apr_2024, [](NewEvent& e) { e.workforce_pct = 101; }));
       },
       E::invalid_argument, "workforce_pct"},
      {"remove of an unknown event", [no_event](Tracker& t, const Fixture&) { t.remove(no_event); },
       E::not_found, "id"},

      // ---- Batches and transactions: one bad element undoes the others.
      {"batch with a bad third element",
       [](Tracker& t, const Fixture& f) {
         std::vector<NewEvent> batch;
         for (int i = 0; i < 3; ++i) {
           batch.push_back(on(f, Date::ymd(2020, 3, 1 + i)));
         }
         batch[2].workforce_pct = 200;
         t.record_batch(batch);
       },
       E::invalid_argument, "events[2].workforce_pct"},
      {"batch with an unknown company in the second element",
       [nobody](Tracker& t, const Fixture& f) {
         std::vector<NewEvent> batch = {on(f, Date::ymd(2020, 4, 1)), on(f, Date::ymd(2020, 4, 2))};
         batch[1].company = nobody;
         t.record_batch(batch);
       },
       E::not_found, "events[1].company"},
      {"batch whose second element duplicates the first with a new inclusion",
       [](Tracker& t, const Fixture& f) {
         std::vector<NewEvent> batch = {on(f, Date::ymd(2024, 6, 1)), on(f, Date::ymd(2024, 6, 1))};
         batch[1].includes = {f.amazon.aws_apr_2024};
         t.record_batch(batch);
       },
       E::already_exists, "events[1].includes[0]"},
      {"transaction whose second write fails",
       [](Tracker& t, const Fixture& f) {
         t.transaction([&] {
           t.add_company({.name = "Fresh Co"});
           t.record(on(f, Date::ymd(2020, 5, 1)));
           t.record(event_with(f, [](NewEvent& e) { e.locations = {"a;b"}; }));
         });
       },
       E::invalid_argument, "locations[0]"},
      {"transaction whose work throws after writing",
       [](Tracker& t, const Fixture& f) {
         t.transaction([&] {
           t.record(on(f, Date::ymd(2020, 6, 1)));
           throw Error(ErrorCode::not_found, "the caller gave up");
         });
       },
       E::not_found, ""},
      {"nested transaction failing inside an outer one that fails too",
       [](Tracker& t, const Fixture& f) {
         t.transaction([&] {
           t.record(on(f, Date::ymd(2020, 7, 1)));
           try {
             t.transaction([&] {
               t.record(on(f, Date::ymd(2020, 7, 2)));
               t.set_parent(f.amazon.amazon, f.amazon.amazon);
             });
           } catch (const Error&) {
             // The inner savepoint is undone; the outer one then fails too.
           }
           t.add_alias(f.amazon.amazon, "Twitch");
         });
       },
       E::already_exists, "alias"},

      // ---- Claims.
      {"claim company unknown", claim([nobody](NewClaim& c) { c.company = nobody; }), E::not_found,
       "company"},
      {"claim period ends before it starts",
       claim([](NewClaim& c) { c.period_end = Date::year_only(2020); }), E::invalid_argument,
       "period_end"},
      {"claim period starts before 1900",
       claim([](NewClaim& c) { c.period_start = Date::year_only(1899); }), E::invalid_argument,
       "period_start"},
      {"claim source URL bad", claim([](NewClaim& c) { c.source = Source{.url = "nope"}; }),
       E::invalid_argument, "source.url"},
      {"claim source tier out of range", claim([](NewClaim& c) {
         c.source = Source{.url = "https://example.com/c", .tier = static_cast<SourceTier>(-1)};
       }),
       E::invalid_argument, "source.tier"},
      {"claim notes 10001 bytes", claim([](NewClaim& c) { c.notes = std::string(10'001, 'n'); }),
       E::invalid_argument, "notes"},

      // ---- Filters (total, totals_by, events, count_events, reconcile).
      {"total of an unknown company",
       [nobody](Tracker& t, const Fixture&) { (void)t.total({.company = nobody}); }, E::not_found,
       "filter.company"},
      {"total of company id 0",
       [](Tracker& t, const Fixture&) { (void)t.total({.company = CompanyId(0)}); }, E::not_found,
       "filter.company"},
      {"events of an unknown company",
       [nobody](Tracker& t, const Fixture&) {
         (void)t.events({.company = nobody, .include_subsidiaries = false});
       },
       E::not_found, "filter.company"},
      {"count_events with an inverted range",
       [](Tracker& t, const Fixture&) {
         (void)t.count_events({.from = Date::year_only(2024), .to = Date::year_only(2023)});
       },
       E::invalid_argument, "filter.to"},
      {"total with an inverted month range",
       [](Tracker& t, const Fixture&) {
         (void)t.total({.from = Date::year_month(2023, 5), .to = Date::year_month(2023, 4)});
       },
       E::invalid_argument, "filter.to"},
      {"count_events with a blank department",
       [](Tracker& t, const Fixture&) { (void)t.count_events({.departments = {"  "}}); },
       E::invalid_argument, "filter.departments[0]"},
      {"events with an empty second department",
       [](Tracker& t, const Fixture&) {
         (void)t.events({.departments = {"HR", ""}});
       },
       E::invalid_argument, "filter.departments[1]"},
      {"total with a blank reason",
       [](Tracker& t, const Fixture&) { (void)t.total({.reasons = {"\t"}}); }, E::invalid_argument,
       "filter.reasons[0]"},
      {"count_events with a department that is not UTF-8",
       [](Tracker& t, const Fixture&) { (void)t.count_events({.departments = {"\xff"}}); },
       E::invalid_argument, "filter.departments[0]"},
      {"total with a control character in the country",
       [](Tracker& t, const Fixture&) { (void)t.total({.country = "US\x01"}); },
       E::invalid_argument, "filter.country"},
      {"totals_by of an unknown company",
       [nobody](Tracker& t, const Fixture&) {
         (void)t.totals_by(Grouping::year, {.company = nobody});
       },
       E::not_found, "filter.company"},
      {"totals_by with an inverted range",
       [](Tracker& t, const Fixture&) {
         (void)t.totals_by(Grouping::department,
                           {.from = Date::ymd(2023, 2, 1), .to = Date::ymd(2023, 1, 31)});
       },
       E::invalid_argument, "filter.to"},
      {"reconcile with an inverted range",
       [](Tracker& t, const Fixture&) {
         (void)t.reconcile({.from = Date::year_only(2023), .to = Date::year_only(2022)});
       },
       E::invalid_argument, "filter.to"},
      {"reconcile of an unknown company",
       [nobody](Tracker& t, const Fixture&) { (void)t.reconcile({.company = nobody}); },
       E::not_found, "filter.company"},
      {"events with a negative offset",
       [](Tracker& t, const Fixture&) { (void)t.events({}, EventOrder::announced_asc, 10, -1); },
       E::invalid_argument, "offset"},

      // ---- Lookups.
      {"company_id of an unknown name",
       [](Tracker& t, const Fixture&) { (void)t.company_id("No Such Co"); }, E::not_found,
       "company"},
      {"company of an unknown id",
       [nobody](Tracker& t, const Fixture&) { (void)t.company(nobody); }, E::not_found, "company"},
      {"event of an unknown id",
       [no_event](Tracker& t, const Fixture&) { (void)t.event(no_event); }, E::not_found, "id"},
      {"subtree of an unknown company",
       [nobody](Tracker& t, const Fixture&) { (void)t.subtree(nobody); }, E::not_found, "company"},

      // ---- Enum parsers.
      {"grouping weekly", [](Tracker&, const Fixture&) { (void)parse_grouping("weekly"); },
       E::invalid_argument, "group"},
      {"source tier blog", [](Tracker&, const Fixture&) { (void)parse_source_tier("blog"); },
       E::invalid_argument, "source.tier"},
      {"reason category greed",
       [](Tracker&, const Fixture&) { (void)parse_reason_category("greed"); }, E::invalid_argument,
       "reason.category"},
      {"date precision week", [](Tracker&, const Fixture&) { (void)parse_date_precision("week"); },
       E::invalid_argument, "precision"},
      {"headcount kind lots", [](Tracker&, const Fixture&) { (void)parse_headcount_kind("lots"); },
       E::invalid_argument, "headcount_kind"},

      // ---- Open options, on the corpus's own file while it is open.
      {"open with a negative busy timeout",
       [](Tracker& t, const Fixture&) {
         Tracker::open(t.path(), {.busy_timeout = std::chrono::milliseconds(-1)});
       },
       E::invalid_argument, "busy_timeout"},
      {"open with a busy timeout over 24 hours",
       [](Tracker& t, const Fixture&) {
         Tracker::open(t.path(), {.busy_timeout = std::chrono::hours(25)});
       },
       E::invalid_argument, "busy_timeout"},
      {"open of an empty path", [](Tracker&, const Fixture&) { Tracker::open(""); },
       E::invalid_argument, "path"},
  };
}

// The state a failed call must leave untouched.
struct State {
  std::string main, wal, content;
  bool operator==(const State&) const = default;
};

class BadInputCorpus : public TrackerTest {
 protected:
  void SetUp() override {
    f_.amazon = examples::record_amazon_facts(t_);
    f_.globex = t_.add_company({.name = "Globex", .aliases = {"Globex Corporation"}});
    f_.globex_labs = t_.add_company({.name = "Globex Labs", .parent = f_.globex});
    f_.globex_2023 = t_.record({.company = f_.globex_labs,
                                .announced_on = Date::ymd(2023, 5, 1),
                                .headcount = Headcount::exact(50),
                                .key = "globex-2023"});
    // Move everything into the main file, so that a write, even one rolled
    // back after spilling, would show in the -wal's bytes.
    std::string error;
    ASSERT_EQ(exec_raw(path_, "PRAGMA wal_checkpoint(TRUNCATE)", &error), SQLITE_OK) << error;
    ASSERT_EQ(read_file(path_ + "-wal"), "");
  }

  // read_file() opens and closes a descriptor of the database while t_ is
  // open, which drops this process's POSIX locks on it (see
  // multiprocess_test.cpp); harmless here, as no other process uses the file.
  State state() const { return {read_file(path_), read_file(path_ + "-wal"), dump(path_)}; }

  Fixture f_;
};

TEST_F(BadInputCorpus, EveryEntryFailsWithItsCodeAndFieldAndChangesNoByte) {
  const std::vector<BadInput> table = corpus();
  ASSERT_GE(table.size(), 100u);
  State before = state();
  ASSERT_FALSE(before.main.empty());
  for (const BadInput& bad : table) {
    SCOPED_TRACE(bad.what);
    try {
      bad.call(t_, f_);
      ADD_FAILURE() << bad.what << ": expected " << to_string(bad.code) << ", nothing was thrown";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), bad.code) << bad.what << ": " << to_string(e.code()) << ": " << e.what();
      if (!bad.field.empty()) {
        EXPECT_EQ(e.field(), bad.field) << bad.what << ": " << e.what();
        // The message names the field for a person, too.
        EXPECT_NE(std::string(e.what()).find(bad.field), std::string::npos) << e.what();
      }
    }
    const State after = state();
    if (!(after == before)) {
      ADD_FAILURE() << bad.what << ": the database changed ("
                    << (after.main != before.main ? "main file bytes, " : "")
                    << (after.wal != before.wal ? "-wal bytes, " : "")
                    << (after.content != before.content ? "content" : "no content change") << ")";
      before = after;  // report each entry's own change, not its predecessors'
    }
  }
  std::cout << "[  FIGURES ] bad-input corpus: " << table.size() << " entries" << std::endl;

  // The Tracker is still usable after all of that: nothing was left inside a
  // transaction, and a good write lands.
  const EventId good = t_.record(on(f_, Date::ymd(2021, 6, 2)));
  EXPECT_EQ(t_.event(good).headcount.low(), 123);
  EXPECT_NE(state().content, before.content);
  EXPECT_TRUE(t_.check().empty());
}

TEST_F(BadInputCorpus, EntryNamesAreUnique) {
  // Failures are reported by name, so two entries must not share one.
  std::set<std::string> names;
  for (const BadInput& bad : corpus()) {
    EXPECT_TRUE(names.insert(bad.what).second) << "duplicate entry name: " << bad.what;
  }
}

}  // namespace
}  // namespace layoffs::test
