// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tracker_fixture.h"

namespace layoffs::test {
namespace {

class EventTest : public TrackerTest {
 protected:
  CompanyId amazon_ = company("Amazon");
  CompanyId aws_ = company("AWS", amazon_);
  CompanyId other_ = company("Meta");

  NewEvent event(const char* date, const char* headcount, CompanyId c = CompanyId()) {
    return {.company = c.valid() ? c : amazon_,
            .announced_on = Date::parse(date),
            .headcount = Headcount::parse(headcount)};
  }
};

TEST_F(EventTest, RecordAndReadBackEveryField) {
  const EventId id = t_.record({
      .company = aws_,
      .announced_on = Date::parse("2024-04-03"),
      .effective_on = Date::parse("2024-06"),
      .headcount = Headcount::parse("several hundred"),
      .workforce_pct = 0.5,
      .departments = {"Sales", "Physical Stores Technology", "sales"},
      .reasons = {{"overlapping roles", ReasonCategory::restructuring}, {"streamlining", {}}},
      .sources = {{.url = "https://example.com/a",
                   .title = "AWS cuts",
                   .publisher = "Example News",
                   .published_on = Date::parse("2024-04-04"),
                   .tier = SourceTier::media_report},
                  {.url = "https://example.com/memo", .tier = SourceTier::company_statement}},
      .locations = {"Seattle", "Arlington, VA"},
      .country = "United States",
      .notes = "Still hiring.\nIn priority areas.",
  });
  const Event e = t_.event(id);
  EXPECT_EQ(e.id, id);
  EXPECT_EQ(e.company, aws_);
  EXPECT_EQ(e.company_name, "AWS");
  EXPECT_EQ(e.announced_on, Date::parse("2024-04-03"));
  ASSERT_TRUE(e.effective_on.has_value());
  EXPECT_EQ(e.effective_on->iso(), "2024-06-01");
  EXPECT_EQ(e.headcount.kind(), HeadcountKind::phrase);
  EXPECT_EQ(e.headcount.phrase(), "several hundred");
  EXPECT_EQ(e.headcount.low(), 300);
  EXPECT_EQ(e.headcount.high(), 999);
  EXPECT_DOUBLE_EQ(*e.workforce_pct, 0.5);
  // Deduplicated case-insensitively, returned in the order given.
  EXPECT_EQ(e.departments, (std::vector<std::string>{"Sales", "Physical Stores Technology"}));
  ASSERT_EQ(e.reasons.size(), 2u);
  EXPECT_EQ(e.reasons[0].name, "overlapping roles");
  EXPECT_EQ(e.reasons[0].category, ReasonCategory::restructuring);
  EXPECT_FALSE(e.reasons[1].category.has_value());
  ASSERT_EQ(e.sources.size(), 2u);
  EXPECT_EQ(e.sources[0].url, "https://example.com/a");
  EXPECT_EQ(e.sources[0].title, "AWS cuts");
  EXPECT_EQ(e.sources[0].publisher, "Example News");
  EXPECT_EQ(e.sources[0].published_on, Date::parse("2024-04-04"));
  EXPECT_EQ(e.sources[1].tier, SourceTier::company_statement);
  EXPECT_EQ(e.locations, (std::vector<std::string>{"Seattle", "Arlington, VA"}));
  EXPECT_EQ(e.country, "United States");
  EXPECT_EQ(e.notes, "Still hiring.\nIn priority areas.");
  EXPECT_FALSE(e.included_in.has_value());
  EXPECT_EQ(e.created_at.size(), 20u);
}

TEST_F(EventTest, MonthAndYearPrecisionSurviveARoundTrip) {
  const EventId m = t_.record(event("2024-01", "just over 500"));
  const EventId y = t_.record(event("2019", "unknown"));
  EXPECT_EQ(t_.event(m).announced_on.to_string(), "2024-01");
  EXPECT_EQ(t_.event(m).announced_on.precision(), DatePrecision::month);
  EXPECT_EQ(t_.event(y).announced_on.to_string(), "2019");
  EXPECT_TRUE(t_.event(y).headcount.is_unknown());
}

TEST_F(EventTest, TheSameEventTwiceReturnsTheExistingId) {
  NewEvent e = event("2022-11-16", "about 10,000");
  e.sources = {{.url = "https://example.com/nov"}};
  const EventId first = t_.record(e);
  const std::string before = dump(path_);
  e.notes = "a second report of the same facts";
  e.departments = {"Retail"};
  EXPECT_EQ(t_.record(e), first);
  EXPECT_EQ(dump(path_), before);
  EXPECT_EQ(t_.count_events(), 1);
  // A different first source, date or headcount is a different event.
  NewEvent other_source = e;
  other_source.sources = {{.url = "https://example.com/other"}};
  EXPECT_NE(t_.record(other_source), first);
  EXPECT_NE(t_.record(event("2022-11-17", "about 10,000")), first);
  EXPECT_EQ(t_.count_events(), 3);
}

// Regression: the duplicate check ran before the inclusions were validated,
// so a repeated record() silently dropped a new inclusion or accepted a
// nonexistent one.
TEST_F(EventTest, ADuplicateMustNotDropOrInventInclusions) {
  const EventId nov = t_.record(event("2022-11-16", "about 10,000"));
  const EventId jan = t_.record(event("2023-01-04", "just over 18,000"));
  NewEvent again = event("2023-01-04", "just over 18,000");
  again.includes = {nov};
  expect_rejected([&] { t_.record(again); }, ErrorCode::already_exists, "includes[0]");
  again.includes = {EventId(999)};
  expect_rejected([&] { t_.record(again); }, ErrorCode::already_exists, "includes[0]");
  // Once the inclusion is recorded, repeating it is a plain duplicate.
  again.includes = {nov};
  t_.update(jan, again);
  EXPECT_EQ(t_.record(again), jan);
}

TEST_F(EventTest, SourcesAreSharedByUrlAndFilledIn) {
  t_.record({.company = amazon_,
             .announced_on = Date::parse("2023-01-04"),
             .headcount = Headcount::exact(1),
             .sources = {{.url = "https://example.com/s"}}});
  const EventId second =
      t_.record({.company = other_,
                 .announced_on = Date::parse("2023-01-05"),
                 .headcount = Headcount::exact(2),
                 .sources = {{.url = "https://example.com/s", .title = "Now with a title"}}});
  EXPECT_EQ(t_.event(second).sources.at(0).title, "Now with a title");
  std::string err;
  EXPECT_EQ(exec_raw(path_, "SELECT 1", &err), 0);
  EXPECT_NE(dump(path_).find("https://example.com/s|Now with a title|"), std::string::npos);
}

TEST_F(EventTest, BatchIsAllOrNothing) {
  std::vector<NewEvent> batch = {event("2023-01-01", "100"), event("2023-02-01", "200"),
                                 event("2023-03-01", "300")};
  batch[2].departments = {""};
  expect_rejected([&] { t_.record_batch(batch); }, ErrorCode::invalid_argument,
                  "events[2].departments[0]");
  EXPECT_EQ(t_.count_events(), 0);
  batch[2].departments = {"Ops"};
  const auto ids = t_.record_batch(batch);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(t_.count_events(), 3);
  EXPECT_EQ(t_.event(ids[1]).headcount.low(), 200);
  // The same batch again adds nothing and returns the same ids.
  EXPECT_EQ(t_.record_batch(batch), ids);
  EXPECT_EQ(t_.count_events(), 3);
}

TEST_F(EventTest, BatchErrorOnALaterElementNamesItAndKeepsEarlierOnesOut) {
  std::vector<NewEvent> batch = {event("2023-01-01", "100"), event("2023-02-01", "200")};
  batch[1].company = CompanyId(424242);
  expect_rejected([&] { t_.record_batch(batch); }, ErrorCode::not_found, "events[1].company");
}

TEST_F(EventTest, UpdateReplacesEverything) {
  NewEvent e = event("2023-01-04", "18,000");
  e.departments = {"Stores"};
  e.sources = {{.url = "https://example.com/a"}};
  const EventId id = t_.record(e);
  NewEvent changed = event("2023-01-05", "just over 18,000");
  changed.departments = {"PXT"};
  changed.reasons = {{"economy", ReasonCategory::market_conditions}};
  t_.update(id, changed);
  const Event got = t_.event(id);
  EXPECT_EQ(got.announced_on, Date::parse("2023-01-05"));
  EXPECT_EQ(got.headcount.kind(), HeadcountKind::at_least);
  EXPECT_EQ(got.departments, std::vector<std::string>{"PXT"});
  EXPECT_TRUE(got.sources.empty());
  EXPECT_EQ(got.reasons.at(0).name, "economy");
}

TEST_F(EventTest, UpdateIntoADuplicateIsRefused) {
  const EventId a = t_.record(event("2023-01-01", "100"));
  const EventId b = t_.record(event("2023-01-02", "100"));
  (void)a;
  expect_rejected([&] { t_.update(b, event("2023-01-01", "100")); }, ErrorCode::already_exists,
                  "id");
}

TEST_F(EventTest, UpdateAndRemoveOfAMissingEventAreNotFound) {
  expect_rejected([&] { t_.update(EventId(77), event("2023-01-01", "1")); }, ErrorCode::not_found,
                  "id");
  expect_rejected([&] { t_.remove(EventId(77)); }, ErrorCode::not_found, "id");
  EXPECT_THROW(t_.event(EventId(77)), Error);
}

TEST_F(EventTest, RemoveFreesIncludedEvents) {
  const EventId nov = t_.record(event("2022-11-16", "about 10,000"));
  NewEvent jan = event("2023-01-04", "just over 18,000");
  jan.includes = {nov};
  const EventId jan_id = t_.record(jan);
  EXPECT_EQ(t_.event(nov).included_in, jan_id);
  t_.remove(jan_id);
  EXPECT_FALSE(t_.event(nov).included_in.has_value());
  EXPECT_EQ(t_.count_events(), 1);
  EXPECT_TRUE(t_.check().empty());
}

TEST_F(EventTest, InclusionsAreReadBack) {
  const EventId nov = t_.record(event("2022-11-16", "about 10,000"));
  const EventId twitch = t_.record(event("2022-12-01", "400", aws_));
  NewEvent jan = event("2023-01-04", "just over 18,000");
  jan.includes = {twitch, nov};
  const EventId id = t_.record(jan);
  EXPECT_EQ(t_.event(id).includes, (std::vector<EventId>{nov, twitch}));  // by date
  EXPECT_EQ(t_.event(twitch).included_in, id);
}

TEST_F(EventTest, InvalidInclusionsAreRefused) {
  const EventId nov = t_.record(event("2022-11-16", "about 10,000"));
  const EventId later = t_.record(event("2023-06-01", "5"));
  const EventId meta = t_.record(event("2022-11-09", "11,000", other_));
  NewEvent jan = event("2023-01-04", "just over 18,000");

  jan.includes = {later};
  expect_rejected([&] { t_.record(jan); }, ErrorCode::invalid_inclusion, "includes[0]");
  jan.includes = {meta};
  expect_rejected([&] { t_.record(jan); }, ErrorCode::invalid_inclusion, "includes[0]");
  jan.includes = {EventId(999)};
  expect_rejected([&] { t_.record(jan); }, ErrorCode::not_found, "includes[0]");
  jan.includes = {nov, nov};
  expect_rejected([&] { t_.record(jan); }, ErrorCode::invalid_inclusion, "includes[1]");

  jan.includes = {nov};
  const EventId jan_id = t_.record(jan);
  // Already included by January: a second includer is refused.
  NewEvent feb = event("2023-02-01", "20,000");
  feb.includes = {nov};
  expect_rejected([&] { t_.record(feb); }, ErrorCode::invalid_inclusion, "includes[0]");
  // An event cannot include itself.
  jan.includes = {jan_id};
  expect_rejected([&] { t_.update(jan_id, jan); }, ErrorCode::invalid_inclusion, "includes[0]");
}

TEST_F(EventTest, AMonthMayIncludeADayOfThatMonth) {
  const EventId day = t_.record(event("2023-01-04", "100"));
  NewEvent month = event("2023-01", "at least 500");
  month.includes = {day};
  const EventId id = t_.record(month);
  EXPECT_EQ(t_.event(day).included_in, id);
  NewEvent too_early = event("2022-12", "at least 500");
  too_early.includes = {t_.record(event("2023-01-05", "7"))};
  expect_rejected([&] { t_.record(too_early); }, ErrorCode::invalid_inclusion, "includes[0]");
}

TEST_F(EventTest, SameDayInclusionLoopsAreRefused) {
  const EventId a = t_.record(event("2023-03-20", "about 9,000"));
  NewEvent b = event("2023-03-20", "10,000", aws_);
  b.includes = {a};
  const EventId b_id = t_.record(b);
  NewEvent a_again = event("2023-03-20", "about 9,000");
  a_again.includes = {b_id};
  expect_rejected([&] { t_.update(a, a_again); }, ErrorCode::invalid_inclusion, "includes[0]");
}

TEST_F(EventTest, MovingAnIncludedEventAfterItsIncluderIsRefused) {
  const EventId nov = t_.record(event("2022-11-16", "about 10,000"));
  NewEvent jan = event("2023-01-04", "just over 18,000");
  jan.includes = {nov};
  t_.record(jan);
  expect_rejected([&] { t_.update(nov, event("2023-02-01", "about 10,000")); },
                  ErrorCode::invalid_inclusion, "announced_on");
  expect_rejected([&] { t_.update(nov, event("2022-11-16", "about 10,000", other_)); },
                  ErrorCode::invalid_inclusion, "company");
}

// The cuts may take effect after today, up to five years (1,830 days) after
// the last day of the announcement's period.
TEST_F(EventTest, EffectiveDatesMayLieAheadUpToFiveYearsAfterTheAnnouncement) {
  NewEvent e = event("2023-01-04", "100");
  e.effective_on = Date::parse("2028-01-08");
  EXPECT_NO_THROW(t_.record(e));
  e = event("2023", "100");
  e.effective_on = Date::parse("2028-12");  // 2023-12-31 plus 1,830 days is 2029-01-03
  EXPECT_NO_THROW(t_.record(e));
  e.effective_on = Date::parse("2029-01-05");
  try {
    t_.record(e);
    ADD_FAILURE() << "accepted";
  } catch (const Error& err) {
    EXPECT_EQ(err.field(), "effective_on");
    EXPECT_EQ(std::string(err.what()),
              "effective_on: is more than five years after announced_on (2023): \"2029-01-05\"");
  }
}

TEST_F(EventTest, BadFieldsAreRefusedNamingTheField) {
  const auto with = [&](auto change) {
    NewEvent e = event("2023-01-04", "100");
    change(e);
    return e;
  };
  struct Case {
    const char* field;
    ErrorCode code;
    std::function<void(NewEvent&)> change;
  };
  const std::vector<Case> cases = {
      {"company", ErrorCode::not_found, [](NewEvent& e) { e.company = CompanyId(999); }},
      {"announced_on", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.announced_on = Date::today().plus_days(30); }},
      {"announced_on", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.announced_on = Date::parse("1850-01-01"); }},
      {"effective_on", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.effective_on = Date::parse("1800"); }},
      // Found by fuzz_jsonl_import: a mistyped year once went in and only
      // check() objected.
      {"effective_on", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.effective_on = Date::parse("4046-03-01"); }},
      {"effective_on", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.effective_on = Date::parse("2028-01-09"); }},
      {"workforce_pct", ErrorCode::invalid_argument, [](NewEvent& e) { e.workforce_pct = 150; }},
      {"workforce_pct", ErrorCode::invalid_argument, [](NewEvent& e) { e.workforce_pct = -1; }},
      {"workforce_pct", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.workforce_pct = std::numeric_limits<double>::quiet_NaN(); }},
      {"departments[1]", ErrorCode::invalid_argument,
       [](NewEvent& e) {
         e.departments = {"ok", "  "};
       }},
      {"departments[0]", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.departments = {std::string(201, 'd')}; }},
      {"reasons[0].name", ErrorCode::invalid_argument, [](NewEvent& e) { e.reasons = {{""}}; }},
      {"sources[0].url", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.sources = {{.url = "not a url"}}; }},
      {"sources[0].url", ErrorCode::invalid_argument, [](NewEvent& e) { e.sources = {{}}; }},
      {"sources[0].published_on", ErrorCode::invalid_argument,
       [](NewEvent& e) {
         e.sources = {{.url = "https://x.test", .published_on = Date::today().plus_days(9)}};
       }},
      {"sources[0].tier", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.sources = {{.url = "https://x.test", .tier = SourceTier(9)}}; }},
      {"locations[0]", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.locations = {"Seattle; Austin"}; }},
      {"country", ErrorCode::invalid_argument, [](NewEvent& e) { e.country = "\xc3\x28"; }},
      {"notes", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.notes = std::string(10'001, 'n'); }},
      {"notes", ErrorCode::invalid_argument, [](NewEvent& e) { e.notes = "bell\x07"; }},
      {"departments", ErrorCode::invalid_argument,
       [](NewEvent& e) { e.departments.assign(101, "x"); }},
      {"reasons[0].category", ErrorCode::invalid_argument,
       [](NewEvent& e) {
         e.reasons = {{"x", ReasonCategory(42)}};
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    expect_rejected([&] { t_.record(with(c.change)); }, c.code, c.field);
  }
  EXPECT_EQ(t_.count_events(), 0);
}

TEST_F(EventTest, AConflictingReasonCategoryIsRefused) {
  NewEvent e = event("2023-01-04", "100");
  e.reasons = {{"economy", ReasonCategory::market_conditions}};
  t_.record(e);
  NewEvent f = event("2023-02-04", "100");
  f.reasons = {{"Economy", ReasonCategory::cost_cutting}};
  expect_rejected([&] { t_.record(f); }, ErrorCode::invalid_argument, "reasons[0].category");
  // Naming it without a category, or with the same one, is fine.
  f.reasons = {{"ECONOMY", {}}};
  EXPECT_NO_THROW(t_.record(f));
}

TEST_F(EventTest, EventsAreListedInOrderWithLimitAndOffset) {
  t_.record(event("2023-03-01", "300"));
  t_.record(event("2023-01-01", "100"));
  t_.record(event("2023-02-01", "5,000"));
  auto dates = [](const std::vector<Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
      out.push_back(e.announced_on.to_string());
    return out;
  };
  EXPECT_EQ(dates(t_.events()),
            (std::vector<std::string>{"2023-01-01", "2023-02-01", "2023-03-01"}));
  EXPECT_EQ(dates(t_.events({}, EventOrder::announced_desc, 2)),
            (std::vector<std::string>{"2023-03-01", "2023-02-01"}));
  EXPECT_EQ(dates(t_.events({}, EventOrder::headcount_desc, 1, 1)),
            std::vector<std::string>{"2023-03-01"});
  EXPECT_EQ(dates(t_.events({.from = Date::parse("2023-02")})),
            (std::vector<std::string>{"2023-02-01", "2023-03-01"}));
  EXPECT_THROW(t_.events({}, EventOrder::announced_asc, -1, -5), Error);
}

TEST_F(EventTest, FiltersSelectByDepartmentReasonAndCountry) {
  NewEvent a = event("2023-01-01", "100");
  a.departments = {"Sales"};
  a.reasons = {{"AI"}};
  NewEvent b = event("2023-02-01", "200", aws_);
  b.departments = {"Marketing"};
  b.country = "India";
  t_.add_company({.name = "Acme", .country = "Germany"});
  NewEvent c = event("2023-03-01", "300", t_.company_id("Acme"));
  t_.record_batch(std::vector<NewEvent>{a, b, c});
  EXPECT_EQ(t_.count_events({.departments = {"sales"}}), 1);
  EXPECT_EQ(t_.count_events({.departments = {"SALES", "marketing"}}), 2);
  EXPECT_EQ(t_.count_events({.reasons = {"ai"}}), 1);
  EXPECT_EQ(t_.count_events({.country = "india"}), 1);
  EXPECT_EQ(t_.count_events({.country = "Germany"}), 1);
  EXPECT_EQ(t_.count_events({.company = amazon_, .include_subsidiaries = false}), 1);
  EXPECT_EQ(t_.count_events({.company = amazon_}), 2);
  expect_rejected([&] { t_.count_events({.company = CompanyId(999)}); }, ErrorCode::not_found,
                  "filter.company");
  expect_rejected(
      [&] { t_.count_events({.from = Date::parse("2024"), .to = Date::parse("2023")}); },
      ErrorCode::invalid_argument, "filter.to");
  expect_rejected([&] { t_.count_events({.departments = {""}}); }, ErrorCode::invalid_argument,
                  "filter.departments[0]");
}

TEST_F(EventTest, StringsAreBoundNeverSpliced) {
  const std::string evil = "x'); DROP TABLE layoff_event; --";
  const CompanyId c = company(evil);
  NewEvent e = event("2023-01-01", "1", c);
  e.departments = {evil};
  e.notes = evil;
  const EventId id = t_.record(e);
  EXPECT_EQ(t_.event(id).notes, evil);
  EXPECT_EQ(t_.company_id(evil), c);
  EXPECT_EQ(t_.count_events({.departments = {evil}}), 1);
}

TEST_F(EventTest, AKeyIdentifiesAnEventOnItsOwn) {
  NewEvent a = event("2023-01-04", "100");
  a.key = "row-1";
  const EventId id = t_.record(a);
  EXPECT_EQ(t_.find_event("row-1"), id);
  EXPECT_FALSE(t_.find_event("row-2").has_value());
  EXPECT_EQ(t_.event(id).key, "row-1");
  // Same key, different content: the existing event, unchanged.
  NewEvent changed = event("2023-05-05", "999");
  changed.key = "row-1";
  const std::string before = dump(path_);
  EXPECT_EQ(t_.record(changed), id);
  EXPECT_EQ(dump(path_), before);
  // Same content, another key: a second event (keys bypass the content rule).
  NewEvent twin = a;
  twin.key = "row-2";
  EXPECT_NE(t_.record(twin), id);
  EXPECT_EQ(t_.count_events(), 2);
}

TEST_F(EventTest, BadKeysAndSnapshotFieldsAreRefused) {
  NewEvent e = event("2023-01-04", "100");
  e.key = " padded";
  expect_rejected([&] { t_.record(e); }, ErrorCode::invalid_argument, "key");
  e.key = std::string(201, 'k');
  expect_rejected([&] { t_.record(e); }, ErrorCode::invalid_argument, "key");
  e.key = "";
  e.funds_raised_musd = -1;
  expect_rejected([&] { t_.record(e); }, ErrorCode::invalid_argument, "funds_raised_musd");
  e.funds_raised_musd = std::nullopt;
  e.company_stage = "\x01";
  expect_rejected([&] { t_.record(e); }, ErrorCode::invalid_argument, "company_stage");
}

TEST_F(EventTest, CompanyStageAndFundsRaisedRoundTrip) {
  NewEvent e = event("2023-01-04", "100");
  e.company_stage = "Series B";
  e.funds_raised_musd = 120.5;
  const Event got = t_.event(t_.record(e));
  EXPECT_EQ(got.company_stage, "Series B");
  EXPECT_DOUBLE_EQ(*got.funds_raised_musd, 120.5);
}

TEST_F(EventTest, UpdateCannotTakeAnotherEventsKey) {
  NewEvent a = event("2023-01-04", "100");
  a.key = "a";
  NewEvent b = event("2023-01-05", "100");
  b.key = "b";
  t_.record(a);
  const EventId b_id = t_.record(b);
  b.key = "a";
  expect_rejected([&] { t_.update(b_id, b); }, ErrorCode::already_exists, "id");
}

TEST_F(EventTest, ATransactionCommitsEverythingOrNothing) {
  expect_rejected(
      [&] {
        t_.transaction([&] {
          t_.add_company({.name = "Inside"});
          t_.record(event("2023-01-01", "1"));
          t_.record(event("2023-01-02", "2"));
          throw invalid_field("test", "x", "deliberate failure");
        });
      },
      ErrorCode::invalid_argument, "test");
  EXPECT_EQ(t_.count_events(), 0);
  EXPECT_FALSE(t_.find_company("Inside").has_value());

  int caught = 0;
  t_.transaction([&] {
    t_.record(event("2023-01-01", "1"));
    try {
      t_.record(event("2023-01-02", "2", CompanyId(999)));  // fails: its savepoint rolls back
    } catch (const Error&) {
      ++caught;
    }
    t_.record(event("2023-01-03", "3"));
    EXPECT_EQ(t_.count_events(), 2);  // reads see the transaction's own writes
  });
  EXPECT_EQ(caught, 1);
  EXPECT_EQ(t_.count_events(), 2);
  EXPECT_TRUE(t_.check().empty());
  // The connection is out of the transaction: another Tracker can write.
  Tracker other = Tracker::open(path_, {.busy_timeout = std::chrono::milliseconds(100)});
  EXPECT_NO_THROW(other.add_company({.name = "After"}));
}

// The id caches behind record() must forget tags whose rows a failed write
// rolled back: here "Brand new" is inserted, then its event fails on a
// reason-category conflict, and the next event names "Brand new" again.
TEST_F(EventTest, IdCachesForgetRolledBackTags) {
  NewEvent first = event("2023-01-01", "1");
  first.reasons = {{"economy", ReasonCategory::market_conditions}};
  t_.record(first);
  t_.transaction([&] {
    NewEvent failing = event("2023-01-02", "2");
    failing.departments = {"Brand new"};
    failing.reasons = {{"Fresh reason", ReasonCategory::other}, {"economy", ReasonCategory::other}};
    EXPECT_THROW(t_.record(failing), Error);
    NewEvent ok = event("2023-01-03", "3");
    ok.departments = {"Brand new"};
    ok.reasons = {{"Fresh reason", ReasonCategory::automation}};
    t_.record(ok);
  });
  const auto events = t_.events({.departments = {"Brand new"}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reasons.at(0).category, ReasonCategory::automation);
  EXPECT_TRUE(t_.check().empty());
}

}  // namespace
}  // namespace layoffs::test
