// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// layoffs report: the self-contained HTML report, or one chart as SVG.
#include "cmd_report.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <layoffs/layoffs.h>

#include "report.h"

namespace layoffs::cli {
namespace {

struct ReportArgs {
  std::string company, from, to, output, format = "html", chart;
  bool no_subsidiaries = false;
  std::size_t limit = 100;
};

int run_report(const ReportArgs& a, const std::string& db) {
  if (a.format == "svg" && a.chart.empty()) {
    throw invalid_field("--chart", "", "is required with --format svg:");
  }
  if (a.format == "html" && !a.chart.empty()) {
    throw invalid_field("--chart", a.chart, "needs --format svg (the page has every chart):");
  }
  std::optional<report::ChartKind> chart;
  if (!a.chart.empty()) {
    chart = report::parse_chart_kind(a.chart, "--chart");
    if (!report::chart_available(*chart)) {
      throw invalid_field("--chart", a.chart,
                          "needs a grouping this version of the library does not have:");
    }
  }
  auto tracker = Tracker::open(db, {.read_only = true});
  report::ReportOptions options;
  if (!a.company.empty()) {
    options.filter.company = tracker.company_id(a.company);
  }
  options.filter.include_subsidiaries = !a.no_subsidiaries;
  if (!a.from.empty()) {
    options.filter.from = Date::parse(a.from, "--from");
  }
  if (!a.to.empty()) {
    options.filter.to = Date::parse(a.to, "--to");
  }
  options.event_limit = a.limit;
  options.source_name = std::filesystem::path(db).filename().string();

  const report::ReportData data = report::collect(tracker, options, chart);
  const std::string text = chart ? report::render_svg(data, *chart) : report::render_html(data);

  const std::string path = !a.output.empty() ? a.output
                           : chart           ? "report-" + a.chart + ".svg"
                                             : "report.html";
  if (path == "-") {
    std::cout << text;
    return 0;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    throw Error(ErrorCode::io_error, "-o: cannot write '" + path + "'", "-o", path);
  }
  std::cout << "wrote " << path << ": " << data.scope
            << (data.period.empty() ? "" : ", " + data.period) << ", " << data.total.to_string()
            << " (" << report::selected_events(data.total) << " events)\n";
  return 0;
}

}  // namespace

std::pair<CLI::App*, std::function<int()>> add_report_command(CLI::App& app,
                                                              const std::string& db) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Write a self-contained HTML report with charts (or one chart as SVG)");
  cmd->add_option("--company", a->company, "Company name or alias (default: all companies)");
  cmd->add_flag("--no-subsidiaries", a->no_subsidiaries, "Only the company's own events");
  cmd->add_option("--from", a->from, "First date, YYYY[-MM[-DD]]");
  cmd->add_option("--to", a->to, "Last date, YYYY[-MM[-DD]] (through the end of that period)");
  cmd->add_option("-o,--output", a->output,
                  "Output file (default report.html, or report-CHART.svg; - for stdout)");
  cmd->add_option("--format", a->format, "html (the page) or svg (one chart)")
      ->check(CLI::IsMember({"html", "svg"}));
  cmd->add_option("--chart", a->chart,
                  "With --format svg: timeline, companies, industry, country, states or claims")
      ->check(CLI::IsMember({"timeline", "companies", "industry", "country", "states", "claims"}));
  cmd->add_option("--limit", a->limit,
                  "List every event up to this many, else the largest this many (default 100)")
      ->check(CLI::PositiveNumber);
  return {cmd, [a, &db] { return run_report(*a, db); }};
}

}  // namespace layoffs::cli
