// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Issue 10's "Done when" on the real files: layoffs.fyi's 2020-2023 data and
// Big Local News' WARN slice in one database, matched, count each person
// once.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "import.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

const std::string kFyi = std::string(LAYOFFS_SHARED_DATA_DIR) + "/layoffs_fyi_2020_2023.csv";
const std::string kWarn =
    std::string(LAYOFFS_SHARED_DATA_DIR) + "/warn_bln_integrated_slice_2023-01.csv";

void import_both(Tracker& t) {
  io::ImportOptions o;
  o.skip_bad = true;
  io::import_file(t, kFyi, o);
  io::import_file(t, kWarn, o);
}

const Filter kAmazon2022To2023(const Tracker& t) {
  return {.company = t.company_id("Amazon"),
          .from = Date::parse("2022-01-01"),
          .to = Date::parse("2023-12-31")};
}

TEST(MatchRealData, LinkedFilingsLeaveAmazonsTotalAsTheAnnouncementsSayIt) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("both.db"));
  import_both(t);
  const Filter amazon = kAmazon2022To2023(t);
  const Total before = t.total(amazon);
  EXPECT_GT(before.estimate, 18'150) << "the notices are counted on top, twice";

  const auto proposals = t.match_filings();
  t.apply_matches(proposals);
  EXPECT_EQ(t.total(amazon).to_string(), "18,150");

  // Every active Amazon notice of 2023 is inside an Amazon announcement, and
  // no event outside Amazon's tree is inside an Amazon event.
  const std::vector<CompanyId> tree = t.subtree(t.company_id("Amazon"));
  const std::set<CompanyId> amazon_tree(tree.begin(), tree.end());
  int linked = 0;
  for (const Event& f : t.events({.company = t.company_id("Amazon"),
                        .from = Date::parse("2023"),
                        .to = Date::parse("2023"),
                        .kind = EventKind::filing})) {
    if (f.status != EventStatus::active) {
      continue;
    }
    ASSERT_TRUE(f.included_in.has_value()) << f.announced_on.to_string() << " " << f.us_state;
    const Event a = t.event(*f.included_in);
    EXPECT_EQ(a.kind, EventKind::announcement);
    EXPECT_TRUE(amazon_tree.count(a.company));
    EXPECT_EQ(a.announced_on, Date::parse("2023-01-04")) << "the file ends before 2023-03-20";
    ++linked;
  }
  EXPECT_GE(linked, 3);  // CA's two active notices and WA's 2,320
  for (const Event& e : t.events({.kind = EventKind::filing})) {
    if (e.included_in && !amazon_tree.count(e.company)) {
      EXPECT_FALSE(amazon_tree.count(t.event(*e.included_in).company)) << e.company_name;
    }
  }
  EXPECT_TRUE(t.check().empty());
}

// The active filings that no event includes, counted from the rows
// themselves (not through Total), over the whole file or one company tree.
int unlinked_active_filings(Tracker& t, const Filter& f = {}) {
  Filter filings = f;
  filings.kind = EventKind::filing;
  int n = 0;
  for (const Event& e : t.events(filings)) {
    n += e.status == EventStatus::active && !e.included_in ? 1 : 0;
  }
  return n;
}

// Review: fyi and WARN in one file double count until matched; the total
// says how many filings it counts on their own.
TEST(MatchRealData, TheTotalSaysHowManyFilingsAreNotMatchedYet) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("both.db"));
  import_both(t);
  const int unlinked = unlinked_active_filings(t);
  ASSERT_GT(unlinked, 0);
  const Total all = t.total();
  EXPECT_EQ(all.unmatched_filings, unlinked);
  // Amazon, before matching: its notices are counted on top of its announcements.
  const Filter amazon = kAmazon2022To2023(t);
  EXPECT_EQ(t.total(amazon).unmatched_filings, unlinked_active_filings(t, amazon));
  EXPECT_GT(t.total(amazon).unmatched_filings, 0);
  // Only one kind counted: nothing to double count, no note.
  EXPECT_EQ(t.total({.kind = EventKind::filing}).unmatched_filings, 0);
  EXPECT_EQ(t.total({.kind = EventKind::announcement}).unmatched_filings, 0);
  // Per group, by kind: each group holds one kind.
  for (const GroupTotal& g : t.totals_by(Grouping::kind)) {
    EXPECT_EQ(g.total.unmatched_filings, 0) << g.label;
  }

  t.apply_matches(t.match_filings());
  EXPECT_EQ(t.total(amazon).unmatched_filings, 0) << "every Amazon notice is matched";
  const int left = unlinked_active_filings(t);
  EXPECT_LT(left, unlinked);
  EXPECT_EQ(t.total().unmatched_filings, left);
}

TEST(MatchRealData, WithMarchRecordedWashingtonsNoticeGoesThere) {
  TempDir dir;
  Tracker t = Tracker::open(dir.file("both.db"));
  import_both(t);
  const EventId march = t.record({.company = t.company_id("Amazon"),
                                  .announced_on = Date::parse("2023-03-20"),
                                  .headcount = Headcount::parse("about 9,000")});
  t.apply_matches(t.match_filings({.company = t.company_id("Amazon")}));
  const auto wa =
      t.events({.company = t.company_id("Amazon"), .us_state = "WA", .kind = EventKind::filing});
  int active = 0;
  for (const Event& e : wa) {
    if (e.status == EventStatus::active) {
      ++active;
      EXPECT_EQ(e.headcount.estimate(), 2'320);
      EXPECT_EQ(e.included_in, march);
    }
  }
  EXPECT_EQ(active, 1);
  const auto cov = t.coverage({.company = t.company_id("Amazon"), .from = Date::parse("2023-03")});
  ASSERT_EQ(cov.size(), 1u);
  EXPECT_EQ(cov[0].on_file.to_string(), "2,320");
  ASSERT_EQ(cov[0].by_state.size(), 1u);
  EXPECT_EQ(cov[0].by_state[0].first, "WA");
}

}  // namespace
}  // namespace layoffs::test
