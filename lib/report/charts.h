// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The report's charts, drawn with SvgWriter from plain data (no Tracker in
// here), so the golden test can pin them and the HTML page can reuse them.
// Every chart: a title that says the finding, a subtitle that says what is
// measured, a <desc> that says the numbers in words, bars from zero, the
// range a count allows as a whisker (fading out when there is no upper
// bound), numbers written as the library writes them ("27,000+",
// "300–999"), Okabe–Ito colours and no text under 11 px.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <layoffs/query.h>

namespace layoffs::report {

// Okabe & Ito's colour-blind-safe palette, in the order stacks use it.
inline constexpr std::array<std::string_view, 7> kPalette = {
    "#0072B2",  // blue
    "#E69F00",  // orange
    "#009E73",  // bluish green
    "#CC79A7",  // reddish purple
    "#56B4E9",  // sky blue
    "#D55E00",  // vermillion
    "#F0E442",  // yellow
};
inline constexpr std::string_view kOtherColour = "#999999";  // "all others" in a stack
inline constexpr std::string_view kInk = "#222222";          // text, whiskers
inline constexpr std::string_view kMuted = "#595959";        // secondary text (7:1 on white)
inline constexpr std::string_view kGrid = "#dddddd";

// What a chart says about itself.
struct ChartText {
  std::string id;           // unique in the page: "timeline", "companies", ...
  std::string title;        // the finding
  std::string subtitle;     // what is measured
  std::string description;  // the numbers in words, for <desc>
};

// ---- timeline ---------------------------------------------------------

struct TimelineSeries {
  std::string name;
  std::vector<std::int64_t> estimates;  // one per period; add up to the period's estimate
  bool others = false;                  // "all others": drawn in grey, whatever its place
};

// "Jan 2023" for "2023-01", "Q1 2023" for "2023-Q1", "2023" for "2023".
std::string period_name(std::string_view period);

struct TimelineData {
  std::vector<std::string> periods;  // labels, oldest first, no gaps: "2023-01", "2023-Q1", "2023"
  std::vector<Total> totals;         // one per period
  std::vector<TimelineSeries> series;  // the stack, bottom first; may be empty (one colour)
};

// Columns at each period's best estimate (stacked by series), a whisker from
// the period's low to its high, a fading whisker when the high is unbounded,
// and a marker under the axis for periods with events that have no count.
std::string timeline_svg(const ChartText& text, const TimelineData& data, bool standalone = false);

// ---- horizontal bars ----------------------------------------------------

struct BarRow {
  std::string label;
  Total total;
};

// One bar per row at its estimate, largest first as given, with its range
// and its value as text ("27,000+").
std::string bars_svg(const ChartText& text, const std::vector<BarRow>& rows,
                     bool standalone = false);

// ---- US tile-grid map ---------------------------------------------------

// One square per state (and DC, PR) in a grid that keeps rough geography;
// shaded by the best estimate of people on file. `by_state` is keyed by USPS
// code; codes not on the grid are left to the table.
std::string state_map_svg(const ChartText& text, const std::map<std::string, Total>& by_state,
                          bool standalone = false);
// The codes the grid draws, in reading order.
std::vector<std::string> state_grid_codes();

// ---- claims against events ------------------------------------------------

struct ClaimRow {
  std::string label;    // "Amazon, 2022-01-01 to 2023-12-31"
  Headcount claimed;    // what was said
  Total events;         // what the recorded events add up to
  std::string verdict;  // "consistent", "events fall short", "events exceed"
};

// For each claim, the claimed range and the events' range on one scale.
std::string claims_svg(const ChartText& text, const std::vector<ClaimRow>& rows,
                       bool standalone = false);

// ---- coverage: how much of each announcement is on file ------------------

struct CoverageRow {
  std::string label;            // "Amazon, 2023-03-20"
  Headcount announced;          // the announcement's figure
  Total on_file;                // the filings linked to it
  std::optional<double> share;  // on_file's estimate over the announced estimate
  std::string states;           // "WA 2,320; NY 15" ("no state" for filings without one)
};

// "26 %", "<1 %" for a share above zero that rounds to 0, "–" when there is
// no share (the announcement has no usable count).
std::string share_text(const std::optional<double>& share);

// For each announcement a bar at its best estimate, the part on file
// (linked filings' best estimate) shaded in it, the share and the states.
std::string coverage_svg(const ChartText& text, const std::vector<CoverageRow>& rows,
                         bool standalone = false);

// ---- helpers shared with the page ----------------------------------------

// Events the filter selected (any status), and those skipped because a
// selected event includes them: the counts the charts print besides the
// numbers.
inline int selected_events(const Total& t) noexcept {
  return t.selected_events;
}
inline int inside_events(const Total& t) noexcept {
  return t.inside_events;
}

// A round axis step for values up to `max` with about `ticks` ticks.
std::int64_t nice_step(std::int64_t max, int ticks);
// The text a reader sees for a range: "300–999", "18,000+", "10,000".
std::string range_text(std::int64_t low, const std::optional<std::int64_t>& high);
// Approximate width of `text` in px at `font_size` (for placing labels).
double text_width(std::string_view text, double font_size);

}  // namespace layoffs::report
