// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// layoffs report [filters] [-o FILE] [--format html|svg --chart NAME]: the
// self-contained HTML report (lib/report), or one of its charts as SVG.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "report.h"

namespace layoffs::cli {
namespace {

struct ReportArgs {
  FilterArgs filter;
  std::string output, format = "html", chart;
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
  }
  auto tracker = Tracker::open(db, {.read_only = true});
  report::ReportOptions options;
  options.filter = make_filter(tracker, a.filter);
  options.event_limit = a.limit;
  options.source_name = std::filesystem::path(db).filename().string();

  // One read snapshot, as for the exports: every chart and table of the
  // page from the same state of the file, whatever another process writes.
  report::ReportData data;
  tracker.read([&] { data = report::collect(tracker, options, chart); });
  const std::string text = chart ? report::render_svg(data, *chart) : report::render_html(data);

  const std::string path = !a.output.empty() ? a.output
                           : chart           ? "report-" + a.chart + ".svg"
                                             : "report.html";
  if (path == "-") {
    std::cout << text;
    return kOk;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    throw Error(ErrorCode::io_error, "-o: cannot write '" + path + "'", "-o", path);
  }
  std::cout << "wrote " << path << ": " << data.scope
            << (data.period.empty() ? "" : ", " + data.period) << ", " << data.total.to_string()
            << " (" << data.total.selected_events << " events)\n";
  return kOk;
}

}  // namespace

void add_report_commands(Registry& r) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* cmd = r.app.add_subcommand(
      "report", "Write a self-contained HTML report with charts (or one chart as SVG)");
  add_filter_options(cmd, a->filter);
  cmd->add_option("-o,--output", a->output,
                  "Output file (default report.html, or report-CHART.svg; - for stdout)");
  cmd->add_option("--format", a->format, "html (the page) or svg (one chart)")
      ->check(CLI::IsMember({"html", "svg"}));
  cmd->add_option("--chart", a->chart,
                  "With --format svg: timeline, companies, industry, country, states, claims or "
                  "coverage")
      ->check(CLI::IsMember(
          {"timeline", "companies", "industry", "country", "states", "claims", "coverage"}));
  cmd->add_option("--limit", a->limit,
                  "List every event up to this many, else the largest this many (default 100)")
      ->check(CLI::PositiveNumber);
  const std::string& db = r.db;
  r.handle(cmd, [a, &db] { return run_report(*a, db); });
}

}  // namespace layoffs::cli
