// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// `layoffs report`: one self-contained HTML page (inline CSS and SVG, no
// script, no network request, system fonts) that shows what the database
// knows about a scope of events, with every chart also given as a table.
// Built on the public API only, like lib/io; the core knows nothing of it.
//
// Two steps, so the cost of drawing can be measured apart from the queries
// (layoffs_bench report/library against report/queries): collect() runs the
// queries, render_html() / render_svg() turn their results into text and
// touch no database.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <layoffs/layoffs.h>

#include "charts.h"

namespace layoffs::report {

enum class ChartKind { timeline, companies, industry, country, states, claims, coverage };
// "timeline", "companies", "industry", "country", "states", "claims",
// "coverage".
std::string_view to_string(ChartKind kind) noexcept;
// The inverse; throws Error(invalid_argument) naming `field` and the text.
ChartKind parse_chart_kind(std::string_view text, std::string_view field = "chart");

struct ReportOptions {
  Filter filter;                  // the scope: company (with subsidiaries or not), dates, ...
  std::size_t event_limit = 100;  // list every event up to this many, else the largest this many
  std::size_t bar_rows = 12;      // rows in each bar chart (the table lists them all)
  std::size_t stack_series = 5;   // companies stacked in the timeline; the rest are "others"
  std::string source_name;        // shown in the footer, e.g. the database's file name
};

// Everything the page shows, as the library returned it.
struct ReportData {
  ReportOptions options;
  std::string scope;  // "Amazon (incl. subsidiaries)", "All companies"
  // The filter's dates ("2022-01-01 to 2023-12-31"), else the first and
  // last event's ("2020-03-11 to 2023-03-06"); "" when there are no events.
  std::string period;
  std::optional<Date> first, last;  // the same range as dates
  std::string company_name;         // "" for all companies
  Total total;

  std::string granularity;  // "month", "quarter" or "year"
  TimelineData timeline;
  std::vector<GroupTotal> timeline_groups;  // what totals_by returned, before gaps were filled

  std::string companies_grouping;  // "company" (within a tree) or "top company"
  std::vector<BarRow> companies;   // all of them, largest first
  std::vector<BarRow> industries;  // the companies' industries, largest first
  std::vector<BarRow> countries;   // the events' countries (else their companies')
  // People on file in filings (WARN notices), by USPS code: the filter with
  // kind = filing, grouped by the filing's state. Filings without a state
  // are in `filings_without_state`.
  std::map<std::string, Total> states;
  Total filings;  // every filing in scope
  Total filings_without_state;

  std::vector<Reconciliation> claims;
  // Tracker::coverage for the filter: every active announcement in scope,
  // with what its linked filings put on file (most have none).
  std::vector<Coverage> coverage;

  std::int64_t event_count = 0;     // events the filter selects
  std::vector<Event> events;        // at most options.event_limit, by date
  bool events_are_largest = false;  // true when event_count > event_limit
};

// Runs the queries for the page (or, with `only`, for that chart alone).
// Throws what the Tracker throws.
ReportData collect(const Tracker& tracker, const ReportOptions& options,
                   std::optional<ChartKind> only = std::nullopt);

// The page. Deterministic: the same data gives the same bytes.
std::string render_html(const ReportData& data);

// One chart alone as a standalone .svg document. Throws
// Error(invalid_argument) for a chart that collect() did not gather or this
// build cannot draw.
std::string render_svg(const ReportData& data, ChartKind kind);

// The words of a chart (title with the finding, subtitle, description), as
// both render functions use them.
ChartText chart_text(const ReportData& data, ChartKind kind);

}  // namespace layoffs::report
