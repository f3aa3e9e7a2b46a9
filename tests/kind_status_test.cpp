// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Announcements and filings, superseded and retracted events, US states
// (migration 0003): the schema, the API, the filters and groupings, and the
// vocabulary of Total.
#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "tracker_fixture.h"

namespace layoffs::test {
namespace {

class KindStatusTest : public TrackerTest {
 protected:
  EventId record(CompanyId c, const char* date, Headcount h,
                 EventKind kind = EventKind::announcement, std::string state = {},
                 std::vector<EventId> includes = {}) {
    return t_.record({.company = c,
                      .announced_on = Date::parse(date),
                      .headcount = h,
                      .includes = std::move(includes),
                      .kind = kind,
                      .us_state = std::move(state)});
  }
};

TEST_F(KindStatusTest, TheSchemaRefusesBadKindsStatusesNotesAndStatesAtThePrompt) {
  company("Acme");
  const std::string insert =
      "INSERT INTO layoff_event (company_id, announced_on, headcount_kind, headcount_low, "
      "headcount_high, headcount_estimate, headcount_phrase";
  auto row = [&](const std::string& columns, const std::string& values) {
    std::string error;
    const int rc = exec_raw(
        path_, insert + columns + ") VALUES (1, '2023-01-01', 'exact', 5, 5, 5, '5'" + values + ")",
        &error);
    return rc == 0 ? std::string("ok") : error;
  };
  EXPECT_EQ(row(", kind, status, us_state", ", 'filing', 'retracted', 'WA'"), "ok");
  EXPECT_NE(row(", kind", ", 'Filing'"), "ok");
  EXPECT_NE(row(", kind", ", 'notice'"), "ok");
  EXPECT_NE(row(", status", ", 'withdrawn'"), "ok");
  EXPECT_NE(row(", us_state", ", 'wa'"), "ok");
  EXPECT_NE(row(", us_state", ", 'Washington'"), "ok");
  EXPECT_NE(row(", us_state", ", 'XX'"), "ok");
  EXPECT_NE(row(", us_state", ", ''"), "ok");
  // A note belongs to an event that is not active, and is not blank.
  EXPECT_NE(row(", status_note", ", 'why'"), "ok");
  EXPECT_NE(row(", status, status_note", ", 'superseded', '  '"), "ok");
  EXPECT_EQ(row(", status, status_note", ", 'superseded', 'amended on 2023-02-01'"), "ok");
  EXPECT_EQ(query(path_,
                  "SELECT kind, status, coalesce(status_note, '-'), coalesce(us_state, '-') "
                  "FROM event_summary ORDER BY event_id"),
            (std::vector<std::string>{"filing|retracted|-|WA|",
                                      "announcement|superseded|amended on 2023-02-01|-|"}));
  EXPECT_TRUE(t_.check().empty());
}

TEST_F(KindStatusTest, KindStatusAndStateAreStoredAndReadBack) {
  const CompanyId acme = company("Acme");
  const EventId id = t_.record({.company = acme,
                                .announced_on = Date::parse("2023-01-18"),
                                .headcount = Headcount::exact(2'320),
                                .kind = EventKind::filing,
                                .status = EventStatus::superseded,
                                .status_note = "amended",
                                .us_state = "washington"});
  const Event e = t_.event(id);
  EXPECT_EQ(e.kind, EventKind::filing);
  EXPECT_EQ(e.status, EventStatus::superseded);
  EXPECT_EQ(e.status_note, "amended");
  EXPECT_EQ(e.us_state, "WA");
  EXPECT_EQ(to_string(EventKind::filing), "filing");
  EXPECT_EQ(parse_event_status("retracted"), EventStatus::retracted);
  EXPECT_THROW(parse_event_kind("Filing"), Error);
  EXPECT_EQ(us_state_code(" ny "), "NY");
  EXPECT_EQ(us_state_code("District of Columbia"), "DC");
  EXPECT_EQ(us_state_code("Wash."), "");
  EXPECT_EQ(us_state_name("WA"), "Washington");
}

TEST_F(KindStatusTest, BadStatesAndNotesAreRefusedNamingTheField) {
  const CompanyId acme = company("Acme");
  expect_rejected(
      [&] {
        t_.record({.company = acme,
                   .announced_on = Date::parse("2023-01-18"),
                   .headcount = Headcount::exact(5),
                   .us_state = "Wash."});
      },
      ErrorCode::invalid_argument, "us_state");
  expect_rejected(
      [&] {
        t_.record({.company = acme,
                   .announced_on = Date::parse("2023-01-18"),
                   .headcount = Headcount::exact(5),
                   .status_note = "an active event has no note"});
      },
      ErrorCode::invalid_argument, "status_note");
  const EventId id = record(acme, "2023-01-18", Headcount::exact(5));
  expect_rejected([&] { t_.set_status(id, EventStatus::active, "why"); },
                  ErrorCode::invalid_argument, "status_note");
  expect_rejected([&] { t_.set_status(id, EventStatus::retracted, std::string(2'001, 'x')); },
                  ErrorCode::invalid_argument, "status_note");
  expect_rejected([&] { t_.set_status(EventId(999), EventStatus::retracted); },
                  ErrorCode::not_found, "id");
}

TEST_F(KindStatusTest, SupersededAndRetractedEventsAreListedButNeverCounted) {
  const CompanyId acme = company("Acme");
  const EventId a = record(acme, "2023-01-10", Headcount::exact(100));
  const EventId b = record(acme, "2023-02-10", Headcount::exact(40));
  const EventId c = record(acme, "2023-03-10", Headcount::exact(7));
  t_.set_status(b, EventStatus::superseded, "by the amended notice");
  t_.set_status(c, EventStatus::retracted, "denied by the company");
  const Total t = t_.total({.company = acme});
  EXPECT_EQ(t.to_string(), "100");
  EXPECT_EQ(t.selected_events, 3);
  EXPECT_EQ(t.counted_events, 1);
  EXPECT_EQ(t.inside_events, 0);
  EXPECT_EQ(t.superseded_events, 1);
  EXPECT_EQ(t.retracted_events, 1);
  EXPECT_EQ(t_.count_events({.company = acme}), 3);
  EXPECT_EQ(t_.events({.company = acme}).size(), 3u);
  EXPECT_EQ(t_.event(c).status_note, "denied by the company");
  // Group totals leave them out too, and still say they were there.
  const auto months = t_.totals_by(Grouping::month, {.company = acme});
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[1].total.to_string(), "0");
  EXPECT_EQ(months[1].total.superseded_events, 1);
  // The view agrees.
  EXPECT_EQ(query(path_,
                  "SELECT events_counted, total_low, total_high, total_estimate, "
                  "events_superseded, events_retracted FROM company_totals"),
            (std::vector<std::string>{"1|100|100|100|1|1|"}));
  // Clearing the status makes it count again, and drops the note.
  t_.set_status(c, EventStatus::active);
  EXPECT_EQ(t_.total({.company = acme}).to_string(), "107");
  EXPECT_EQ(t_.event(c).status_note, "");
  (void)a;
}

// An event that is not active is transparent to inclusions: what it includes
// belongs to the nearest active event above it.
TEST_F(KindStatusTest, AnInactiveEventInAChainIsTransparent) {
  const CompanyId co = company("Chain Co");
  const EventId c = record(co, "2022-11-01", Headcount::exact(10'000));
  const EventId b =
      record(co, "2023-01-01", Headcount::exact(18'000), EventKind::announcement, {}, {c});
  record(co, "2023-03-01", Headcount::exact(27'000), EventKind::announcement, {}, {b});
  t_.set_status(b, EventStatus::retracted, "never happened");
  EXPECT_EQ(t_.total({.company = co}).to_string(), "27,000");
  // 2023 alone: A less C (B is not counted, and C lies outside).
  const Total y2023 =
      t_.total({.company = co, .from = Date::parse("2023"), .to = Date::parse("2023")});
  EXPECT_EQ(y2023.to_string(), "17,000");
  EXPECT_EQ(y2023.retracted_events, 1);
  EXPECT_EQ(y2023.counted_events, 1);
  const auto years = t_.totals_by(Grouping::year, {.company = co});
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].total.estimate + years[1].total.estimate, 27'000);
  EXPECT_EQ(query(path_, "SELECT total_estimate FROM company_totals"),
            (std::vector<std::string>{"27000|"}));
}

TEST_F(KindStatusTest, FiltersByStateIndustryAndKind) {
  const CompanyId amazon = t_.add_company({.name = "Amazon", .industry = "Retail"});
  const CompanyId aws =
      t_.add_company({.name = "AWS", .parent = amazon, .industry = "Cloud  computing"});
  record(amazon, "2023-01-04", Headcount::exact(18'000));
  record(amazon, "2023-01-18", Headcount::exact(1'852), EventKind::filing, "WA");
  record(amazon, "2023-01-18", Headcount::exact(300), EventKind::filing, "ny");
  record(aws, "2023-04-03", Headcount::exact(500), EventKind::announcement, "WA");
  EXPECT_EQ(t_.total({.us_state = "WA"}).to_string(), "2,352");
  EXPECT_EQ(t_.total({.us_state = "new york"}).to_string(), "300");
  EXPECT_EQ(t_.total({.industry = "cloud computing"}).to_string(), "500");
  EXPECT_EQ(t_.total({.industry = "retail"}).to_string(), "20,152");
  EXPECT_EQ(t_.total({.industry = "mining"}).to_string(), "0");
  EXPECT_EQ(t_.total({.kind = EventKind::filing}).to_string(), "2,152");
  EXPECT_EQ(t_.total({.kind = EventKind::announcement}).to_string(), "18,500");
  EXPECT_EQ(t_.total({.us_state = "WA", .kind = EventKind::filing}).to_string(), "1,852");
  expect_rejected([&] { (void)t_.total({.us_state = "Wash."}); }, ErrorCode::invalid_argument,
                  "filter.us_state");
}

TEST_F(KindStatusTest, GroupsByIndustryCountryStateAndKind) {
  const CompanyId amazon =
      t_.add_company({.name = "Amazon", .industry = "Retail", .country = "United States"});
  const CompanyId other = t_.add_company({.name = "Zalando"});
  record(amazon, "2023-01-04", Headcount::exact(18'000));
  record(amazon, "2023-01-18", Headcount::exact(1'852), EventKind::filing, "WA");
  record(amazon, "2023-01-18", Headcount::exact(300), EventKind::filing, "NY");
  t_.record({.company = other,
             .announced_on = Date::parse("2023-03-01"),
             .headcount = Headcount::exact(200),
             .country = "Germany"});
  auto labels = [](const std::vector<GroupTotal>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) {
      out.push_back(r.label + "=" + r.total.to_string() + "/" + std::to_string(r.key));
    }
    return out;
  };
  EXPECT_EQ(labels(t_.totals_by(Grouping::industry)),
            (std::vector<std::string>{"Retail=20,152/0", "(none)=200/0"}));
  EXPECT_EQ(labels(t_.totals_by(Grouping::country)),
            (std::vector<std::string>{"United States=20,152/0", "Germany=200/0"}));
  EXPECT_EQ(labels(t_.totals_by(Grouping::us_state)),
            (std::vector<std::string>{"(none)=18,200/0", "WA=1,852/0", "NY=300/0"}));
  EXPECT_EQ(labels(t_.totals_by(Grouping::kind)),
            (std::vector<std::string>{"announcement=18,200/0", "filing=2,152/1"}));
  EXPECT_EQ(parse_grouping("us_state"), Grouping::us_state);
  EXPECT_EQ(to_string(Grouping::kind), "kind");
}

TEST_F(KindStatusTest, PeriodsAllReturnsEveryPeriodEmptyOnesIncluded) {
  const CompanyId acme = company("Acme");
  record(acme, "2023-01-10", Headcount::exact(100));
  record(acme, "2023-04-10", Headcount::exact(50));
  auto labels = [](const std::vector<GroupTotal>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) {
      out.push_back(r.label + "=" + r.total.to_string());
    }
    return out;
  };
  EXPECT_EQ(labels(t_.totals_by(Grouping::month, {}, Periods::all)),
            (std::vector<std::string>{"2023-01=100", "2023-02=0", "2023-03=0", "2023-04=50"}));
  EXPECT_EQ(labels(t_.totals_by(Grouping::month, {})),
            (std::vector<std::string>{"2023-01=100", "2023-04=50"}));
  EXPECT_EQ(labels(t_.totals_by(Grouping::quarter,
                                {.from = Date::parse("2022-11"), .to = Date::parse("2023")},
                                Periods::all)),
            (std::vector<std::string>{"2022-Q4=0", "2023-Q1=100", "2023-Q2=50", "2023-Q3=0",
                                      "2023-Q4=0"}));
  EXPECT_EQ(labels(t_.totals_by(Grouping::year, {.from = Date::parse("2021")}, Periods::all)),
            (std::vector<std::string>{"2021=0", "2022=0", "2023=150"}));
  const auto months =
      t_.totals_by(Grouping::month,
                   {.from = Date::parse("2023-11-15"), .to = Date::parse("2024-02")}, Periods::all);
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months[1].label, "2023-12");
  EXPECT_EQ(months[1].key, 202312);
  EXPECT_EQ(months[2].label, "2024-01");
  EXPECT_EQ(months[2].total.selected_events, 0);
  // Nothing selected and no bounds: no periods.
  EXPECT_TRUE(t_.totals_by(Grouping::month, {.kind = EventKind::filing}, Periods::all).empty());
  // Other groupings ignore it.
  EXPECT_EQ(t_.totals_by(Grouping::company, {}, Periods::all).size(), 1u);
}

TEST_F(KindStatusTest, TheVocabularyAddsUp) {
  const CompanyId co = company("Co");
  const EventId x = record(co, "2022-11-01", Headcount::exact(10'000));
  record(co, "2023-01-01", Headcount::at_least(18'000), EventKind::announcement, {}, {x});
  record(co, "2023-02-01", Headcount::unknown());
  const EventId r = record(co, "2023-03-01", Headcount::exact(5));
  t_.set_status(r, EventStatus::retracted, "denied");
  const Total t = t_.total();
  EXPECT_EQ(t.selected_events, 4);
  EXPECT_EQ(t.counted_events, 2);
  EXPECT_EQ(t.inside_events, 1);
  EXPECT_EQ(t.unknown_events, 1);
  EXPECT_EQ(t.retracted_events, 1);
  EXPECT_EQ(t.selected_events,
            t.counted_events + t.inside_events + t.superseded_events + t.retracted_events);
}

}  // namespace
}  // namespace layoffs::test
