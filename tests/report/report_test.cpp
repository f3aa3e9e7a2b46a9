// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The HTML page and `layoffs report`: sections, numbers equal to the
// library's, escaping of everything the database holds, links only to
// http(s) sources, the event list's limit, and the CLI's errors.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "report.h"
#include "report_fixture.h"
#include "svg.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The value of the element carrying data-field="name".
std::string field(const std::string& html, const std::string& name) {
  const std::regex re("data-field=\"" + name + "\">([^<]*)<");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string("(missing)");
}

std::vector<std::string> attribute_values(const std::string& html, const std::string& attr) {
  std::vector<std::string> out;
  const std::regex re("\\s" + attr + "=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

class ReportPage : public ::testing::Test {
 protected:
  void SetUp() override { facts_ = record_report_facts(tracker_); }
  std::string page(const report::ReportOptions& o) {
    return report::render_html(report::collect(tracker_, o));
  }
  Tracker tracker_ = Tracker::open(":memory:");
  ReportFacts facts_;
};

TEST_F(ReportPage, HasEverySectionAndEveryChartIsAlsoATable) {
  const std::string html = page({});
  for (const char* id : {"headline", "timeline", "companies", "industry", "country", "states",
                         "claims", "coverage", "events", "data-quality"}) {
    EXPECT_TRUE(contains(html, std::string("id=\"") + id + "\"")) << id;
  }
  // The charts, each with a title and a description, each followed by a table.
  for (const char* chart :
       {"timeline", "companies", "industry", "country", "states", "claims", "coverage"}) {
    EXPECT_TRUE(contains(html, std::string("<svg id=\"") + chart + "\"")) << chart;
    EXPECT_TRUE(contains(html, std::string("<title id=\"") + chart + "-title\">")) << chart;
    EXPECT_TRUE(contains(html, std::string("<desc id=\"") + chart + "-desc\">")) << chart;
    const auto svg_at = html.find(std::string("<svg id=\"") + chart + "\"");
    const auto section_end = html.find("</section>", svg_at);
    EXPECT_NE(html.substr(svg_at, section_end - svg_at).find("<table"), std::string::npos)
        << chart << " has no table";
  }
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_TRUE(contains(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(contains(html, "@media print"));
}

TEST_F(ReportPage, HeadlineNumbersAreTheLibrarysTotal) {
  for (const Filter& f : {Filter{}, Filter{.company = facts_.acme},
                          Filter{.company = facts_.acme, .include_subsidiaries = false},
                          Filter{.from = Date::parse("2023-03"), .to = Date::parse("2023-05")}}) {
    report::ReportOptions o;
    o.filter = f;
    const std::string html = page(o);
    const Total t = tracker_.total(f);
    EXPECT_EQ(field(html, "text"), report::escape(t.to_string()));
    EXPECT_EQ(field(html, "short"), report::escape(t.to_short_string()));
    EXPECT_EQ(field(html, "low"), format_count(t.low));
    EXPECT_EQ(field(html, "high"), t.high ? format_count(*t.high) : "unbounded");
    EXPECT_EQ(field(html, "estimate"), format_count(t.estimate));
    EXPECT_EQ(field(html, "selected_events"), std::to_string(t.selected_events));
    EXPECT_EQ(field(html, "counted_events"), std::to_string(t.counted_events));
    EXPECT_EQ(field(html, "superseded_events"), std::to_string(t.superseded_events));
    EXPECT_EQ(field(html, "retracted_events"), std::to_string(t.retracted_events));
    EXPECT_EQ(field(html, "unknown_events"), std::to_string(t.unknown_events));
    EXPECT_EQ(field(html, "inside_events"), std::to_string(t.inside_events));
  }
}

TEST_F(ReportPage, NoTextSmallerThanElevenPixels) {
  const std::string html = page({});
  int sizes = 0;
  const std::regex svg_size("font-size=\"([0-9.]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), svg_size);
       it != std::sregex_iterator(); ++it, ++sizes) {
    EXPECT_GE(std::stod((*it)[1].str()), 11.0) << (*it)[0].str();
  }
  const std::regex css_size("font-size:\\s*([0-9.]+)(px|pt)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), css_size);
       it != std::sregex_iterator(); ++it, ++sizes) {
    EXPECT_GE(std::stod((*it)[1].str()), 11.0) << (*it)[0].str();
  }
  EXPECT_GT(sizes, 10);  // the pattern did find the sizes
}

TEST_F(ReportPage, ChartsUseTheOkabeItoPalette) {
  const std::string html = page({});
  const std::set<std::string> allowed = {
      // Okabe-Ito, grey for "all others", the map's blues, ink, greys, white.
      "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
      "#F0E442", "#999999", "#222222", "#595959", "#dddddd", "#ffffff",
      "#f2f2f2", "#deebf7", "#a6cbe6", "#6aa6d3", "#2f86c1"};
  const std::regex fill("(?:fill|stroke|stop-color)=\"(#[0-9A-Fa-f]{6})\"");
  int seen = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), fill); it != std::sregex_iterator();
       ++it, ++seen) {
    EXPECT_TRUE(allowed.count((*it)[1].str())) << (*it)[1].str();
  }
  EXPECT_GT(seen, 10);
}

TEST_F(ReportPage, EscapesWhatTheDatabaseHoldsAndLinksOnlyHttpSources) {
  const std::string html = page({});
  EXPECT_FALSE(contains(html, "Bolt & Sons <Ltd>"));
  EXPECT_TRUE(contains(html, "Bolt &amp; Sons &lt;Ltd&gt;"));
  EXPECT_FALSE(contains(html, "<b>closure</b>"));
  EXPECT_FALSE(contains(html, "<script>x</script>"));
  // The javascript: source is shown as text, never as a link.
  EXPECT_TRUE(contains(html, "javascript:alert(1)"));
  const std::set<std::string> sources = {
      "https://news.example.com/acme-jan", "https://news.example.com/acme-mar",
      report::escape("https://example.org/bolt?a=1&b=2\"><script>x</script>")};
  for (const std::string& href : attribute_values(html, "href")) {
    EXPECT_TRUE(href.rfind("#", 0) == 0 || sources.count(href)) << "unexpected link " << href;
  }
  // Nothing for a browser to fetch: no src, no stylesheet link, no url()
  // other than the SVG's own gradients.
  EXPECT_TRUE(attribute_values(html, "src").empty());
  EXPECT_FALSE(contains(html, "<link"));
  EXPECT_FALSE(contains(html, "@import"));
  const std::regex url_fn("url\\((?!#)");
  EXPECT_FALSE(std::regex_search(html, url_fn));
}

TEST_F(ReportPage, TimelineHasEveryPeriodInTheRange) {
  report::ReportOptions o;
  o.filter = {.from = Date::parse("2022-11"), .to = Date::parse("2023-08")};
  const auto data = report::collect(tracker_, o);
  ASSERT_EQ(data.granularity, "month");
  ASSERT_EQ(data.timeline.periods.size(), 10u);
  EXPECT_EQ(data.timeline.periods.front(), "2022-11");
  EXPECT_EQ(data.timeline.periods.back(), "2023-08");
  // Each period's numbers are the library's for that month; empty ones are 0.
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < data.timeline.periods.size(); ++i) {
    const Date month = Date::parse(data.timeline.periods[i]);
    const Total t = tracker_.total({.from = month, .to = month});
    EXPECT_EQ(data.timeline.totals[i].low, t.low) << data.timeline.periods[i];
    EXPECT_EQ(data.timeline.totals[i].estimate, t.estimate) << data.timeline.periods[i];
    EXPECT_EQ(data.timeline.totals[i].high, t.high) << data.timeline.periods[i];
    sum += data.timeline.totals[i].estimate;
    // The stack adds up to the column.
    std::int64_t stacked = 0;
    for (const auto& s : data.timeline.series) {
      stacked += s.estimates[i];
    }
    if (!data.timeline.series.empty()) {
      EXPECT_EQ(stacked, t.estimate) << data.timeline.periods[i];
    }
  }
  EXPECT_EQ(sum, data.total.estimate);  // estimates add up over any split
}

TEST_F(ReportPage, LongPeriodsAreQuarterlyThenYearly) {
  report::ReportOptions o;
  o.filter = {.from = Date::parse("2020-01"), .to = Date::parse("2023-12")};
  EXPECT_EQ(report::collect(tracker_, o, report::ChartKind::timeline).granularity, "quarter");
  o.filter = {.from = Date::parse("2000"), .to = Date::parse("2023")};
  const auto data = report::collect(tracker_, o, report::ChartKind::timeline);
  EXPECT_EQ(data.granularity, "year");
  EXPECT_EQ(data.timeline.periods.size(), 24u);
}

TEST_F(ReportPage, EventListStopsAtTheLimitWithTheLargestAndSaysHowManyAreLeftOut) {
  report::ReportOptions o;
  o.event_limit = 3;
  const auto data = report::collect(tracker_, o);
  EXPECT_EQ(data.event_count, 9);
  ASSERT_EQ(data.events.size(), 3u);
  EXPECT_TRUE(data.events_are_largest);
  // The three largest estimates (about 1,000; several hundred = 500;
  // 2,500+), listed by date.
  EXPECT_EQ(data.events[0].announced_on, Date::ymd(2023, 1, 10));
  EXPECT_EQ(data.events[1].announced_on, Date::ymd(2023, 2, 14));
  EXPECT_EQ(data.events[2].announced_on, Date::ymd(2023, 3, 2));
  const std::string html = report::render_html(data);
  EXPECT_TRUE(contains(html, "6 smaller events are left out")) << html;
  o.event_limit = 100;
  EXPECT_EQ(report::collect(tracker_, o).events.size(), 9u);
}

TEST_F(ReportPage, TheMapShowsFilingsByStateAndAFilingIsCountedOnce) {
  const auto data = report::collect(tracker_, {});
  ASSERT_EQ(data.states.size(), 2u);
  EXPECT_EQ(data.states.at("WA").to_string(), "212");
  EXPECT_EQ(data.states.at("NY").to_string(), "15");
  EXPECT_EQ(data.filings.selected_events, 2);
  // The Washington notice is inside Acme Cloud's announcement: the headline
  // counts it once (the company's total is the same with or without it).
  EXPECT_EQ(data.total.inside_events, 2);  // January inside March, the notice inside February
  const std::string html = report::render_html(data);
  EXPECT_TRUE(contains(html, "<g class=\"tile\" data-state=\"WA\">"));
  EXPECT_TRUE(contains(html, "Most people on file in Washington: 212"));
}

// The coverage table holds, for each announcement with linked filings, what
// Tracker::coverage says for the same filter; without any, a note says how
// to link them.
TEST_F(ReportPage, CoverageNumbersAreTheLibrarysCoverage) {
  for (const Filter& f :
       {Filter{}, Filter{.company = facts_.acme}, Filter{.company = facts_.acme_cloud},
        Filter{.from = Date::parse("2023-02"), .to = Date::parse("2023-02")}}) {
    report::ReportOptions o;
    o.filter = f;
    const std::string html = page(o);
    std::map<std::string, std::vector<std::string>> want;
    for (const Coverage& c : tracker_.coverage(f)) {
      if (c.on_file.selected_events == 0) {
        continue;
      }
      const long percent = std::lround(*c.share * 100);
      want[std::to_string(c.announcement.value())] = {
          report::escape("\u201c" + c.headcount.phrase() + "\u201d"),
          format_count(c.headcount.estimate()),
          report::escape(c.on_file.to_string()),
          format_count(c.on_file.estimate),
          std::to_string(percent) + " %",
          c.by_state.front().first + " " + report::escape(c.by_state.front().second.to_string())};
    }
    // The fixture's one link: the Washington notice inside Acme Cloud's February announcement.
    ASSERT_EQ(want.size(), 1u);
    std::map<std::string, std::vector<std::string>> got;
    const std::regex row(
        "<tr data-event=\"(\\d+)\"><td class=\"label\">[^<]*</td><td "
        "class=\"announced\">([^<]*)</td><td class=\"n estimate\">([^<]*)</td><td class=\"n "
        "on-file\">([^<]*)</td><td class=\"n on-file-estimate\">([^<]*)</td><td class=\"n "
        "share\">([^<]*)</td><td class=\"states\">([^<]*)</td></tr>");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), row);
         it != std::sregex_iterator(); ++it) {
      got[(*it)[1].str()] = {(*it)[2].str(), (*it)[3].str(), (*it)[4].str(),
                             (*it)[5].str(), (*it)[6].str(), (*it)[7].str()};
    }
    EXPECT_EQ(got, want);
    EXPECT_TRUE(contains(html, "<svg id=\"coverage\""));
    EXPECT_TRUE(contains(html, "on file in WA 212"));
  }
  // Acme's own events and Bolt's have no linked filing: a note, no chart.
  for (const Filter& f : {Filter{.company = facts_.acme, .include_subsidiaries = false},
                          Filter{.company = facts_.bolt}}) {
    report::ReportOptions o;
    o.filter = f;
    const std::string html = page(o);
    EXPECT_FALSE(contains(html, "<svg id=\"coverage\"")) << html;
    EXPECT_TRUE(contains(html, "<code>layoffs match --apply</code>"));
  }
}

TEST(ReportEmpty, AnEmptyDatabaseGivesAPageThatSaysSo) {
  auto t = Tracker::open(":memory:");
  const std::string html = report::render_html(report::collect(t, {}));
  EXPECT_TRUE(contains(html, "No layoff events on file for All companies"));
  EXPECT_EQ(field(html, "text"), "0");
  EXPECT_TRUE(contains(html, "</html>"));
}

TEST(ReportChartKind, ParsesNamesAndRefusesOthers) {
  EXPECT_EQ(report::parse_chart_kind("timeline"), report::ChartKind::timeline);
  EXPECT_EQ(report::parse_chart_kind("states"), report::ChartKind::states);
  EXPECT_EQ(report::parse_chart_kind("coverage"), report::ChartKind::coverage);
  try {
    report::parse_chart_kind("pie", "--chart");
    FAIL() << "a pie chart was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "--chart");
    EXPECT_EQ(e.value(), "pie");
  }
}

// ---- the CLI ----------------------------------------------------------------

struct CliResult {
  int code = -1;
  std::string out, err;
};

CliResult cli(const TempDir& dir, const std::vector<std::string>& args) {
  const std::string out_path = dir.file(".stdout"), err_path = dir.file(".stderr");
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.path().c_str()) != 0) {
      _exit(120);
    }
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(err, 2);
    unsetenv("LAYOFFS_DB");
    std::string program = LAYOFFS_CLI;
    std::vector<std::string> copies(args);
    std::vector<char*> argv{program.data()};
    for (auto& a : copies) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(121);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out_path), read_file(err_path)};
}

class ReportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = Tracker::open(dir_.file("r.db"));
    record_report_facts(t);
  }
  CliResult run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", dir_.file("r.db"), "report"});
    return cli(dir_, args);
  }
  TempDir dir_;
};

TEST_F(ReportCli, WritesThePageAndSaysWhat) {
  const CliResult r = run({"--company", "Acme Corp", "-o", "acme.html"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "wrote acme.html: Acme Corp (incl. subsidiaries)")) << r.out;
  const std::string html = read_file(dir_.file("acme.html"));
  EXPECT_TRUE(contains(html, "<h1>Acme Corp cut at least 2,800 jobs")) << html.substr(0, 2000);
  EXPECT_FALSE(contains(html, "Zürich Data"));  // another company's event is not listed
}

TEST_F(ReportCli, OneChartAsSvg) {
  const CliResult r = run({"--format", "svg", "--chart", "timeline", "-o", "-"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline\"", 0), 0u)
      << r.out.substr(0, 200);
  const CliResult file = run({"--format", "svg", "--chart", "claims"});
  ASSERT_EQ(file.code, 0) << file.err;
  EXPECT_TRUE(contains(read_file(dir_.file("report-claims.svg")), "events fall short"));
}

TEST_F(ReportCli, BadRequestsAreRefusedWithTheFieldNamed) {
  CliResult r = run({"--format", "svg"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "--chart")) << r.err;
  r = run({"--chart", "timeline"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "--format svg")) << r.err;
  r = run({"--format", "svg", "--chart", "pie"});
  EXPECT_EQ(r.code, 2) << r.err;  // CLI11 refuses it: a usage error
  r = run({"--company", "Nobody"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "Nobody")) << r.err;
  r = run({"--from", "2023-02-30"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "--from")) << r.err;
  r = run({"-o", dir_.file("no/such/dir/r.html")});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "cannot write")) << r.err;
}

}  // namespace
}  // namespace layoffs::test
