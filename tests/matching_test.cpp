// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Matching filings to the announcements they belong to, and coverage
// (issue 10 §4), with companies created by hand.
#include <cmath>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "tracker_fixture.h"

namespace layoffs::test {
namespace {

class MatchingTest : public TrackerTest {
 protected:
  CompanyId amazon_ = company("Amazon");
  CompanyId aws_ = company("AWS", amazon_);
  CompanyId contractor_ = company("Flagship Facility Services at Amazon");

  EventId announce(const char* date, const char* phrase, CompanyId c) {
    return t_.record(
        {.company = c, .announced_on = Date::parse(date), .headcount = Headcount::parse(phrase)});
  }
  EventId file(const char* date, std::int64_t n, const char* state, CompanyId c) {
    return t_.record({.company = c,
                      .announced_on = Date::parse(date),
                      .headcount = Headcount::exact(n),
                      .kind = EventKind::filing,
                      .us_state = state});
  }
};

// The "Done when", with companies created by hand: Amazon's 2023
// notices go to its announcements, the contractor's to none, and the total
// is the announcements' alone.
TEST_F(MatchingTest, AmazonsNoticesGoToItsAnnouncementsAndTheTotalStaysTheSame) {
  announce("2022-11-16", "10,000", amazon_);
  const EventId jan = announce("2023-01-04", "8,000", amazon_);
  announce("2022-10-28", "150", amazon_);
  const EventId ca1 = file("2023-01-18", 7, "CA", amazon_);
  const EventId ca2 = file("2023-01-18", 5, "CA", amazon_);
  const EventId wa = file("2023-03-19", 2'320, "WA", amazon_);
  const EventId contractor = file("2023-01-20", 34, "CA", contractor_);
  const Filter amazon_2022_2023{
      .company = amazon_, .from = Date::parse("2022-01-01"), .to = Date::parse("2023-12-31")};
  EXPECT_EQ(t_.total(amazon_2022_2023).to_string(), "20,482");

  const auto proposals = t_.match_filings();
  ASSERT_EQ(proposals.size(), 3u);
  for (const auto& p : proposals) {
    EXPECT_EQ(p.announcement, jan) << p.reason;
    EXPECT_FALSE(p.ambiguous) << p.reason;
    EXPECT_NE(p.filing, contractor);
  }
  EXPECT_EQ(proposals[2].filing, wa);
  EXPECT_EQ(proposals[2].days_after, 74);
  EXPECT_EQ(proposals[2].room_before, 7'988);
  EXPECT_EQ(proposals[2].room_after, 5'668);
  EXPECT_NE(proposals[2].reason.find("74 days after"), std::string::npos) << proposals[2].reason;
  EXPECT_TRUE(t_.event(wa).included_in == std::nullopt) << "proposing changes nothing";

  EXPECT_EQ(t_.apply_matches(proposals), 3);
  EXPECT_EQ(t_.event(ca1).included_in, jan);
  EXPECT_EQ(t_.event(ca2).included_in, jan);
  EXPECT_EQ(t_.event(wa).included_in, jan);
  EXPECT_FALSE(t_.event(contractor).included_in.has_value());
  EXPECT_EQ(t_.total(amazon_2022_2023).to_string(), "18,150");
  EXPECT_TRUE(t_.match_filings().empty()) << "nothing left to match";

  const auto cov = t_.coverage({.company = amazon_, .from = Date::parse("2023")});
  ASSERT_EQ(cov.size(), 1u);
  EXPECT_EQ(cov[0].on_file.to_string(), "2,332");
  ASSERT_EQ(cov[0].by_state.size(), 2u);
  EXPECT_EQ(cov[0].by_state[0].first, "WA");
  EXPECT_EQ(cov[0].by_state[0].second.to_string(), "2,320");
  EXPECT_EQ(cov[0].by_state[1].first, "CA");
  ASSERT_TRUE(cov[0].share.has_value());
  EXPECT_NEAR(*cov[0].share, 2'332.0 / 8'000.0, 1e-9);

  // Unlinking restores the totals exactly.
  t_.unlink(wa);
  t_.unlink(ca1);
  t_.unlink(ca2);
  EXPECT_EQ(t_.total(amazon_2022_2023).to_string(), "20,482");
  EXPECT_TRUE(t_.check().empty());
}

// With the 2023-03-20 announcement recorded, Washington's notice of the day
// before goes there: the nearest wins.
// Review (issue 13 follow-up): a total that counts announcements and
// filings no event includes says how many of those filings it counted.
TEST_F(MatchingTest, TheTotalCountsTheFilingsNotMatchedYetWhenItCountsAnnouncementsToo) {
  const EventId jan = announce("2023-01-04", "8,000", amazon_);
  const EventId ca = file("2023-01-18", 7, "CA", amazon_);
  const EventId wa = file("2023-01-19", 20, "WA", aws_);
  file("2023-01-20", 34, "CA", contractor_);
  EXPECT_EQ(t_.total().unmatched_filings, 3);
  EXPECT_EQ(t_.total({.company = amazon_}).unmatched_filings, 2);
  // No announcement counted, no note: the contractor's filing alone.
  EXPECT_EQ(t_.total({.company = contractor_}).unmatched_filings, 0);
  EXPECT_EQ(t_.total({.kind = EventKind::filing}).unmatched_filings, 0);
  // Per group: by company, each company's own; by kind, never.
  for (const GroupTotal& g : t_.totals_by(Grouping::top_company)) {
    EXPECT_EQ(g.total.unmatched_filings, g.label == "Amazon" ? 2 : 0) << g.label;
  }
  for (const GroupTotal& g : t_.totals_by(Grouping::kind)) {
    EXPECT_EQ(g.total.unmatched_filings, 0) << g.label;
  }
  t_.link(jan, std::vector<EventId>{ca});
  EXPECT_EQ(t_.total({.company = amazon_}).unmatched_filings, 1);
  // From 2023-01-10 no announcement is counted: no note, though WA's
  // filing is not linked (and CA's, linked to one outside the selection,
  // is counted on its own but matched).
  EXPECT_EQ(t_.total({.company = amazon_, .from = Date::parse("2023-01-10")}).unmatched_filings, 0);
  t_.link(jan, std::vector<EventId>{wa});
  EXPECT_EQ(t_.total({.company = amazon_}).unmatched_filings, 0);
  EXPECT_EQ(t_.total().unmatched_filings, 1);  // the contractor's, next to Amazon's announcement
}

TEST_F(MatchingTest, TheNearestAnnouncementWins) {
  announce("2023-01-04", "just over 18,000", amazon_);
  const EventId march = announce("2023-03-20", "about 9,000", aws_);
  const EventId wa = file("2023-03-19", 2'320, "WA", amazon_);
  const auto proposals = t_.match_filings({.company = amazon_});
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0].announcement, march);
  EXPECT_EQ(proposals[0].days_after, -1);
  EXPECT_NE(proposals[0].reason.find("1 day before"), std::string::npos) << proposals[0].reason;
  t_.apply_matches(proposals);
  EXPECT_EQ(t_.event(wa).included_in, march);
  const auto cov = t_.coverage({.company = aws_});
  ASSERT_EQ(cov.size(), 1u);
  EXPECT_EQ(cov[0].on_file.to_string(), "2,320");
  EXPECT_EQ(std::lround(*cov[0].share * 100), 26);
}

TEST_F(MatchingTest, EquallyNearAnnouncementsAreAmbiguousAndNeverApplied) {
  announce("2023-03-10", "1,000", amazon_);
  announce("2023-03-30", "2,000", aws_);
  const EventId f = file("2023-03-20", 100, "WA", amazon_);
  const auto proposals = t_.match_filings();
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_TRUE(proposals[0].ambiguous);
  EXPECT_EQ(proposals[0].candidates.size(), 2u);
  EXPECT_NE(proposals[0].reason.find("ambiguous"), std::string::npos);
  EXPECT_EQ(t_.apply_matches(proposals), 0);
  EXPECT_FALSE(t_.event(f).included_in.has_value());
}

TEST_F(MatchingTest, AnAnnouncementWithoutRoomOrOutOfTheWindowIsNotProposed) {
  announce("2023-01-04", "100", amazon_);
  file("2023-01-10", 80, "WA", amazon_);
  file("2023-01-11", 30, "CA", amazon_);  // 80 + 30 > 100: no room left for it
  file("2023-06-01", 5, "NY", amazon_);   // 148 days later
  file("2022-12-01", 5, "NY", amazon_);   // 34 days before
  const auto proposals = t_.match_filings();
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0].filing_headcount, "80");
  // A wider window before finds the December notice (room: 20 left).
  const auto wider = t_.match_filings({}, {.days_before = 40});
  EXPECT_EQ(wider.size(), 2u);
  expect_rejected([&] { (void)t_.match_filings({}, {.days_after = 120}); },
                  ErrorCode::invalid_argument, "days_after");
}

TEST_F(MatchingTest, ApplyingIsOneTransaction) {
  const EventId a = announce("2023-01-04", "100", amazon_);
  const EventId f1 = file("2023-01-10", 80, "WA", amazon_);
  const EventId f2 = file("2023-01-11", 10, "CA", amazon_);
  auto proposals = t_.match_filings();
  ASSERT_EQ(proposals.size(), 2u);
  // Someone links more in between: the second link no longer fits, and
  // neither is applied.
  const EventId f3 = file("2023-01-05", 15, "OR", amazon_);
  t_.link(a, std::vector<EventId>{f3});
  EXPECT_THROW(t_.apply_matches(proposals), Error);
  EXPECT_FALSE(t_.event(f1).included_in.has_value());
  EXPECT_FALSE(t_.event(f2).included_in.has_value());
}

}  // namespace
}  // namespace layoffs::test
