// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Golden tests: the SVG of every chart of a small fixed database is pinned in
// tests/report/golden/, so a change to a chart shows as a diff in review.
// After a deliberate change, regenerate them with
//
//   LAYOFFS_UPDATE_GOLDEN=1 build/tests/layoffs_report_tests --gtest_filter='ReportGolden*'
//
// and look at the new files (they open in any browser) before committing.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "report.h"
#include "report_fixture.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

using report::ChartKind;

void check_golden(const std::string& name, const std::string& svg) {
  const std::string path = std::string(LAYOFFS_GOLDEN_DIR) + "/" + name + ".svg";
  const char* update = std::getenv("LAYOFFS_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    write_file(path, svg);
    std::cout << "[ golden   ] wrote " << path << "\n";
    return;
  }
  const std::string expected = read_file(path);
  ASSERT_FALSE(expected.empty()) << path << " is missing: run with LAYOFFS_UPDATE_GOLDEN=1";
  EXPECT_EQ(svg, expected) << "the " << name
                           << " chart changed; if that is intended, regenerate the golden files "
                              "(see golden_test.cpp) and review them";
}

class ReportGolden : public ::testing::Test {
 protected:
  void SetUp() override { facts_ = record_report_facts(tracker_); }
  report::ReportData collect(const Filter& f, ChartKind kind) {
    report::ReportOptions o;
    o.filter = f;
    return report::collect(tracker_, o, kind);
  }
  Tracker tracker_ = Tracker::open(":memory:");
  ReportFacts facts_;
};

TEST_F(ReportGolden, TimelineOfAllCompaniesStackedByCompany) {
  const Filter f{.from = Date::parse("2023-01"), .to = Date::parse("2023-06")};
  check_golden("timeline_all",
               report::render_svg(collect(f, ChartKind::timeline), ChartKind::timeline));
}

TEST_F(ReportGolden, TimelineOfACompanyStackedBySubsidiary) {
  const Filter f{.company = facts_.acme};
  check_golden("timeline_company",
               report::render_svg(collect(f, ChartKind::timeline), ChartKind::timeline));
}

TEST_F(ReportGolden, TopCompanies) {
  check_golden("companies",
               report::render_svg(collect({}, ChartKind::companies), ChartKind::companies));
}

TEST_F(ReportGolden, ClaimsAgainstEvents) {
  check_golden("claims", report::render_svg(collect({}, ChartKind::claims), ChartKind::claims));
}

TEST_F(ReportGolden, CoverageOfAnnouncementsByFilings) {
  check_golden("coverage",
               report::render_svg(collect({}, ChartKind::coverage), ChartKind::coverage));
}

TEST_F(ReportGolden, StateTileMapOfFilings) {
  check_golden("states", report::render_svg(collect({}, ChartKind::states), ChartKind::states));
}

TEST_F(ReportGolden, Industries) {
  check_golden("industry",
               report::render_svg(collect({}, ChartKind::industry), ChartKind::industry));
}

TEST_F(ReportGolden, Countries) {
  check_golden("country", report::render_svg(collect({}, ChartKind::country), ChartKind::country));
}

}  // namespace
}  // namespace layoffs::test
