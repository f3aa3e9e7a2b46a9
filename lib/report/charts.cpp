// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "charts.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <layoffs/headcount.h>

#include "svg.h"

namespace layoffs::report {
namespace {

constexpr double kWidth = 680;  // fits A4 and letter at 96 dpi inside 15 mm margins
constexpr double kTitleSize = 16;
constexpr double kSmall = 11;  // the smallest text anywhere

// Code points, not bytes: "Ualá" is four wide.
std::size_t length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The first `n` code points of `s`, with "…" if anything was cut.
std::string clip(std::string_view s, std::size_t n) {
  if (length(s) <= n) {
    return std::string(s);
  }
  std::size_t seen = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++seen > n - 1) {
      break;
    }
  }
  return std::string(s.substr(0, i)) + "\u2026";
}

// Greedy word wrap to lines of at most `chars` code points.
std::vector<std::string> wrap(std::string_view text, std::size_t chars) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t space = text.find(' ', pos);
    const std::string_view word =
        text.substr(pos, space == std::string_view::npos ? std::string_view::npos : space - pos);
    if (!line.empty() && length(line) + 1 + length(word) > chars) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + std::string(word);
    pos = space == std::string_view::npos ? text.size() : space + 1;
  }
  if (!line.empty()) {
    lines.push_back(line);
  }
  return lines;
}

// A white page for a standalone file, the title and subtitle; returns the
// y below them.
double header(SvgWriter& svg, const ChartText& t, bool standalone, double height) {
  if (standalone) {
    svg.element("rect", {{"width", kWidth}, {"height", height}, {"fill", "#ffffff"}});
  }
  double y = 4;
  for (const auto& line : wrap(t.title, 68)) {
    y += kTitleSize + 4;
    svg.text(0, y, line, {{"font-size", kTitleSize}, {"font-weight", "bold"}, {"fill", kInk}});
  }
  for (const auto& line : wrap(t.subtitle, 100)) {
    y += 16;
    svg.text(0, y, line, {{"font-size", 12}, {"fill", kMuted}});
  }
  return y + 8;
}

// How many header lines a ChartText takes, to size the document first.
double header_height(const ChartText& t) {
  return 4 + static_cast<double>(wrap(t.title, 68).size()) * (kTitleSize + 4) +
         static_cast<double>(wrap(t.subtitle, 100).size()) * 16 + 8;
}

void gradients(SvgWriter& svg) {
  svg.open("defs");
  // Fading whiskers are thin rects, not lines: a gradient in bounding-box
  // units has nothing to stretch over on a line of zero width.
  for (const auto& [name, x2, y1, y2] : {std::tuple{"up", 0, 1, 0}, std::tuple{"right", 1, 0, 0}}) {
    svg.open("linearGradient",
             {{"id", svg.id() + "-fade-" + name}, {"x1", 0}, {"y1", y1}, {"x2", x2}, {"y2", y2}});
    svg.element("stop", {{"offset", 0}, {"stop-color", kInk}, {"stop-opacity", 1}});
    svg.element("stop", {{"offset", 1}, {"stop-color", kInk}, {"stop-opacity", 0}});
    svg.close();
  }
  svg.close();
}

std::string fade(const SvgWriter& svg, const char* direction) {
  return "url(#" + svg.id() + "-fade-" + direction + ")";
}

// The key that explains bars, whiskers, fades and markers once, at (x, y).
void key(SvgWriter& svg, double y, bool horizontal, bool unknowns) {
  double x = 0;
  const Attrs label{{"font-size", kSmall}, {"fill", kMuted}};
  svg.open("g", {{"class", "key"}});
  svg.element("rect",
              {{"x", x}, {"y", y - 9}, {"width", 14}, {"height", 10}, {"fill", kPalette[0]}});
  svg.text(x + 18, y, "best estimate", label);
  x += 18 + text_width("best estimate", kSmall) + 16;
  if (horizontal) {
    svg.element("line", {{"x1", x},
                         {"x2", x + 18},
                         {"y1", y - 4},
                         {"y2", y - 4},
                         {"stroke", kInk},
                         {"stroke-width", 1.5}});
  } else {
    svg.element("line", {{"x1", x + 4},
                         {"x2", x + 4},
                         {"y1", y - 11},
                         {"y2", y + 2},
                         {"stroke", kInk},
                         {"stroke-width", 1.5}});
  }
  svg.text(x + 22, y, "range: low to high", label);
  x += 22 + text_width("range: low to high", kSmall) + 16;
  if (horizontal) {
    svg.element(
        "rect",
        {{"x", x}, {"y", y - 5}, {"width", 22}, {"height", 2}, {"fill", fade(svg, "right")}});
  } else {
    svg.element(
        "rect",
        {{"x", x + 3}, {"y", y - 12}, {"width", 2}, {"height", 14}, {"fill", fade(svg, "up")}});
  }
  svg.text(x + 26, y, "no upper bound", label);
  x += 26 + text_width("no upper bound", kSmall) + 16;
  if (unknowns) {
    svg.element("circle", {{"cx", x + 4},
                           {"cy", y - 4},
                           {"r", 4},
                           {"fill", "none"},
                           {"stroke", kPalette[5]},
                           {"stroke-width", 1.5}});
    svg.text(x + 12, y, "events with no count", label);
  }
  svg.close();
}

std::string total_words(const Total& t) {
  std::string out = t.to_string() + " (low " + format_count(t.low) + ", high " +
                    (t.high ? format_count(*t.high) : std::string("unbounded")) +
                    ", best estimate " + format_count(t.estimate);
  const int selected = selected_events(t);
  out += "; " + std::to_string(selected) + (selected == 1 ? " event" : " events");
  if (t.unknown_events > 0) {
    out += ", " + std::to_string(t.unknown_events) + " with no count";
  }
  return out + ")";
}

std::string_view series_colour(const std::vector<TimelineSeries>& series, std::size_t s) {
  return series[s].others || s >= kPalette.size() ? kOtherColour : kPalette[s];
}

const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string period_name(std::string_view p) {
  if (p.size() == 7 && p[4] == '-' && p[5] == 'Q') {
    return std::string(p.substr(5)) + " " + std::string(p.substr(0, 4));
  }
  if (p.size() == 7 && p[4] == '-' && p[5] >= '0' && p[5] <= '1') {
    const int m = (p[5] - '0') * 10 + (p[6] - '0');
    if (m >= 1 && m <= 12) {
      return std::string(kMonths[m - 1]) + " " + std::string(p.substr(0, 4));
    }
  }
  return std::string(p);
}

std::int64_t nice_step(std::int64_t max, int ticks) {
  if (max <= 0 || ticks <= 0) {
    return 1;
  }
  const double raw = static_cast<double>(max) / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (f * mag >= raw) {
      return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(f * mag)));
    }
  }
  return static_cast<std::int64_t>(std::llround(10 * mag));
}

std::string range_text(std::int64_t low, const std::optional<std::int64_t>& high) {
  if (!high) {
    return format_count(low) + "+";
  }
  if (*high == low) {
    return format_count(low);
  }
  return format_count(low) + "\u2013" + format_count(*high);
}

double text_width(std::string_view text, double font_size) {
  return static_cast<double>(length(text)) * font_size * 0.58;
}

// ---- timeline ---------------------------------------------------------------

std::string timeline_svg(const ChartText& t, const TimelineData& d, bool standalone) {
  const std::size_t n = d.periods.size();
  const bool stacked = d.series.size() > 1;
  const bool any_unknown = std::any_of(d.totals.begin(), d.totals.end(),
                                       [](const Total& x) { return x.unknown_events > 0; });
  // Legend rows: swatch + name, wrapped at the width.
  std::vector<std::vector<std::size_t>> legend_rows;
  if (stacked) {
    double x = 0;
    legend_rows.emplace_back();
    for (std::size_t s = 0; s < d.series.size(); ++s) {
      const double w = 18 + text_width(clip(d.series[s].name, 28), 12) + 14;
      if (x + w > kWidth && !legend_rows.back().empty()) {
        legend_rows.emplace_back();
        x = 0;
      }
      legend_rows.back().push_back(s);
      x += w;
    }
  }
  const double left = 64, right = 12, plot_h = 220;
  const double top = header_height(t) + static_cast<double>(legend_rows.size()) * 18 + 22;
  const double axis = top + plot_h;
  const double height = axis + 36 + (any_unknown ? 22 : 0) + 26;
  SvgWriter svg(kWidth, height, t.id, t.title, t.description, standalone);
  gradients(svg);
  double y = header(svg, t, standalone, height);

  for (const auto& row : legend_rows) {
    double x = 0;
    y += 14;
    for (const std::size_t s : row) {
      const std::string name = clip(d.series[s].name, 28);
      svg.element("rect", {{"x", x},
                           {"y", y - 10},
                           {"width", 12},
                           {"height", 12},
                           {"fill", series_colour(d.series, s)}});
      svg.text(x + 16, y, name, {{"fill", kInk}});
      x += 18 + text_width(name, 12) + 14;
    }
    y += 4;
  }

  std::int64_t vmax = 0;
  for (const Total& x : d.totals) {
    vmax = std::max({vmax, x.estimate, x.low, x.high.value_or(0)});
  }
  // Headroom above the tallest column for its value label.
  const std::int64_t room = vmax + vmax / 12;
  const std::int64_t step = nice_step(std::max<std::int64_t>(room, 1), 5);
  const std::int64_t top_value = std::max<std::int64_t>(step, (room + step - 1) / step * step);
  const double plot_w = kWidth - left - right;
  const auto vy = [&](std::int64_t v) {
    return axis - plot_h * static_cast<double>(v) / static_cast<double>(top_value);
  };

  // Grid and y ticks.
  svg.open("g", {{"class", "grid"}});
  for (std::int64_t v = 0; v <= top_value; v += step) {
    svg.element("line", {{"x1", left},
                         {"x2", kWidth - right},
                         {"y1", vy(v)},
                         {"y2", vy(v)},
                         {"stroke", v == 0 ? kInk : kGrid},
                         {"stroke-width", v == 0 ? 1 : 0.75}});
    svg.text(left - 6, vy(v) + 4, format_count(v),
             {{"font-size", kSmall}, {"fill", kMuted}, {"text-anchor", "end"}});
  }
  svg.close();

  const double slot = n == 0 ? plot_w : plot_w / static_cast<double>(n);
  const double bar_w = std::min(slot * 0.72, 44.0);
  if (n == 0) {
    svg.text(left + plot_w / 2, axis - plot_h / 2, "No events in this period",
             {{"text-anchor", "middle"}, {"fill", kMuted}});
  }
  // Where a period's value label goes: above its column and its whisker.
  const auto label_y = [&](const Total& tot) {
    double top_y = vy(tot.estimate);
    if (selected_events(tot) > 0 && (tot.unbounded() || tot.high != tot.low)) {
      const std::int64_t solid_top = tot.high ? *tot.high : std::max(tot.low, tot.estimate);
      top_y = std::min(top_y, vy(solid_top));
      if (!tot.high) {
        top_y -= std::min(28.0, top_y - (top - 14));
      }
    }
    return top_y - 4;
  };

  // Value labels, largest period first, wherever one fits without touching
  // a label already placed (a label may spill over empty neighbours).
  std::vector<bool> labelled(n, false);
  std::vector<double> label_x(n, 0);  // kept inside the plot, clear of the y ticks
  {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) {
      order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return d.totals[a].estimate > d.totals[b].estimate;
    });
    struct Placed {
      double x1, x2, y;
    };
    std::vector<Placed> placed;
    for (const std::size_t i : order) {
      const Total& tot = d.totals[i];
      if (tot.estimate <= 0) {
        break;
      }
      const double half = text_width(tot.to_short_string(), kSmall) / 2 + 3;
      const double cx =
          std::clamp(left + slot * (static_cast<double>(i) + 0.5), left + half, kWidth - half);
      const double ly = label_y(tot);
      const bool clear = std::none_of(placed.begin(), placed.end(), [&](const Placed& p) {
        return cx - half < p.x2 && cx + half > p.x1 && std::abs(ly - p.y) < 14;
      });
      if (clear && cx - half >= 0 && cx + half <= kWidth) {
        placed.push_back({cx - half, cx + half, ly});
        labelled[i] = true;
        label_x[i] = cx;
      }
    }
  }

  svg.open("g", {{"class", "bars"}});
  for (std::size_t i = 0; i < n; ++i) {
    const Total& tot = d.totals[i];
    const double cx = left + slot * (static_cast<double>(i) + 0.5);
    svg.open("g", {{"class", "period"}, {"data-period", d.periods[i]}});
    svg.tooltip(d.periods[i] + ": " + total_words(tot));
    if (stacked) {
      std::int64_t base = 0;
      for (std::size_t s = 0; s < d.series.size(); ++s) {
        const std::int64_t v = i < d.series[s].estimates.size() ? d.series[s].estimates[i] : 0;
        if (v <= 0) {
          continue;
        }
        svg.open("rect", {{"x", cx - bar_w / 2},
                          {"y", vy(base + v)},
                          {"width", bar_w},
                          {"height", vy(base) - vy(base + v)},
                          {"fill", series_colour(d.series, s)}});
        svg.tooltip(d.series[s].name + ", " + d.periods[i] + ": best estimate " + format_count(v));
        svg.close();
        base += v;
      }
    } else if (tot.estimate > 0) {
      svg.element("rect", {{"x", cx - bar_w / 2},
                           {"y", vy(tot.estimate)},
                           {"width", bar_w},
                           {"height", vy(0) - vy(tot.estimate)},
                           {"fill", kPalette[0]}});
    }
    // The whisker: the range the counts allow.
    const bool has_events = selected_events(tot) > 0;
    double whisker_top = vy(tot.estimate);
    if (has_events && (tot.unbounded() || tot.high != tot.low)) {
      const std::int64_t solid_top = tot.high ? *tot.high : std::max(tot.low, tot.estimate);
      const double cap = std::min(bar_w / 2, 5.0);
      svg.element("line", {{"x1", cx},
                           {"x2", cx},
                           {"y1", vy(tot.low)},
                           {"y2", vy(solid_top)},
                           {"stroke", kInk},
                           {"stroke-width", 1.5}});
      svg.element("line", {{"x1", cx - cap},
                           {"x2", cx + cap},
                           {"y1", vy(tot.low)},
                           {"y2", vy(tot.low)},
                           {"stroke", kInk},
                           {"stroke-width", 1.5}});
      whisker_top = vy(solid_top);
      if (tot.high) {
        svg.element("line", {{"x1", cx - cap},
                             {"x2", cx + cap},
                             {"y1", vy(*tot.high)},
                             {"y2", vy(*tot.high)},
                             {"stroke", kInk},
                             {"stroke-width", 1.5}});
      } else {
        const double len = std::min(28.0, whisker_top - (top - 14));
        svg.element("rect", {{"x", cx - 1},
                             {"y", whisker_top - len},
                             {"width", 2},
                             {"height", len},
                             {"fill", fade(svg, "up")}});
      }
    }
    if (labelled[i]) {
      svg.text(
          label_x[i], label_y(tot), tot.to_short_string(),
          {{"font-size", kSmall}, {"fill", kInk}, {"text-anchor", "middle"}, {"class", "value"}});
    }
    svg.close();
  }
  svg.close();

  // Period labels: month or quarter names when they fit, and the year at
  // the first period of each year.
  svg.open("g", {{"class", "x-axis"}, {"font-size", kSmall}, {"fill", kMuted}});
  std::size_t every = 1;
  while (slot * static_cast<double>(every) < 34) {
    ++every;
  }
  std::string last_year;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& p = d.periods[i];
    const double cx = left + slot * (static_cast<double>(i) + 0.5);
    const std::string year = p.substr(0, 4);
    if (p.size() == 4) {  // years
      if (i % every == 0) {
        svg.text(cx, axis + 16, p, {{"text-anchor", "middle"}});
      }
      continue;
    }
    std::string sub = p.substr(5);
    if (p.size() == 7 && p[5] != 'Q') {
      sub = kMonths[std::clamp(std::stoi(p.substr(5)), 1, 12) - 1];
    }
    if (slot >= 26) {
      svg.text(cx, axis + 16, sub, {{"text-anchor", "middle"}});
    }
    if (year != last_year) {
      const double x = left + slot * static_cast<double>(i) + (slot >= 26 ? slot / 2 : 0);
      svg.text(x, axis + (slot >= 26 ? 30 : 16), year,
               {{"text-anchor", slot >= 26 ? "middle" : "start"}});
      if (i > 0) {
        svg.element("line", {{"x1", left + slot * static_cast<double>(i)},
                             {"x2", left + slot * static_cast<double>(i)},
                             {"y1", axis},
                             {"y2", axis + 5},
                             {"stroke", kMuted}});
      }
      last_year = year;
    }
  }
  svg.close();

  double key_y = axis + 50;
  if (any_unknown) {
    const double my = axis + 44;
    svg.open("g", {{"class", "unknowns"}});
    svg.text(left - 6, my + 4, "no count",
             {{"font-size", kSmall}, {"fill", kMuted}, {"text-anchor", "end"}});
    for (std::size_t i = 0; i < n; ++i) {
      const int u = d.totals[i].unknown_events;
      if (u == 0) {
        continue;
      }
      const double cx = left + slot * (static_cast<double>(i) + 0.5);
      svg.open("g", {{"class", "unknown"}});
      svg.tooltip(d.periods[i] + ": " + std::to_string(u) +
                  (u == 1 ? " event with no count" : " events with no count"));
      svg.element("circle", {{"cx", cx},
                             {"cy", my},
                             {"r", std::min(4.0, slot / 2 - 0.5)},
                             {"fill", "none"},
                             {"stroke", kPalette[5]},
                             {"stroke-width", 1.5}});
      if (slot >= 24) {
        svg.text(cx + 6, my + 4, std::to_string(u), {{"font-size", kSmall}, {"fill", kInk}});
      }
      svg.close();
    }
    svg.close();
    key_y += 22;
  }
  key(svg, key_y, false, any_unknown);
  return svg.finish();
}

// ---- horizontal bars ----------------------------------------------------------

std::string bars_svg(const ChartText& t, const std::vector<BarRow>& rows, bool standalone) {
  // The value beside a bar: the total as the library writes it, and the
  // best estimate (the bar's length) when "at least" alone would not say it.
  const auto value_label = [](const Total& tot) {
    std::string text = tot.to_short_string();
    if (tot.unbounded() && tot.estimate > tot.low) {
      text += " (est. " + format_count(tot.estimate) + ")";
    }
    return text;
  };
  double widest = 0;
  for (const auto& r : rows) {
    widest = std::max(widest, text_width(value_label(r.total), 12));
  }
  const double label_w = 180, row_h = 24, bar_h = 15;
  const double value_w = std::max(90.0, widest + 40);
  const double x0 = label_w, plot_w = kWidth - label_w - value_w;
  const double top = header_height(t) + 20;
  const double height =
      top + row_h * static_cast<double>(std::max<std::size_t>(rows.size(), 1)) + 40;
  SvgWriter svg(kWidth, height, t.id, t.title, t.description, standalone);
  gradients(svg);
  header(svg, t, standalone, height);

  std::int64_t vmax = 0;
  for (const auto& r : rows) {
    vmax = std::max({vmax, r.total.estimate, r.total.low, r.total.high.value_or(0)});
  }
  const std::int64_t step = nice_step(std::max<std::int64_t>(vmax, 1), 4);
  const std::int64_t top_value = std::max<std::int64_t>(step, (vmax + step - 1) / step * step);
  const auto vx = [&](std::int64_t v) {
    return x0 + plot_w * static_cast<double>(v) / static_cast<double>(top_value);
  };
  const double bottom = top + row_h * static_cast<double>(rows.size());

  svg.open("g", {{"class", "grid"}});
  for (std::int64_t v = 0; v <= top_value; v += step) {
    svg.element("line", {{"x1", vx(v)},
                         {"x2", vx(v)},
                         {"y1", top - 4},
                         {"y2", bottom},
                         {"stroke", v == 0 ? kInk : kGrid},
                         {"stroke-width", v == 0 ? 1 : 0.75}});
    svg.text(vx(v), top - 8, format_count(v),
             {{"font-size", kSmall}, {"fill", kMuted}, {"text-anchor", "middle"}});
  }
  svg.close();
  if (rows.empty()) {
    svg.text(x0 + plot_w / 2, top + 16, "No events", {{"text-anchor", "middle"}, {"fill", kMuted}});
  }

  svg.open("g", {{"class", "bars"}});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Total& tot = rows[i].total;
    const double y = top + row_h * static_cast<double>(i);
    const double cy = y + row_h / 2;
    svg.open("g", {{"class", "row"}, {"data-label", rows[i].label}});
    svg.tooltip(rows[i].label + ": " + total_words(tot));
    svg.text(x0 - 8, cy + 4, clip(rows[i].label, 22), {{"text-anchor", "end"}, {"fill", kInk}});
    if (tot.estimate > 0) {
      svg.element("rect", {{"x", x0},
                           {"y", cy - bar_h / 2},
                           {"width", vx(tot.estimate) - x0},
                           {"height", bar_h},
                           {"fill", kPalette[0]}});
    }
    double end = vx(tot.estimate);
    if (selected_events(tot) > 0 && (tot.unbounded() || tot.high != tot.low)) {
      const std::int64_t solid = tot.high ? *tot.high : std::max(tot.low, tot.estimate);
      svg.element("line", {{"x1", vx(tot.low)},
                           {"x2", vx(solid)},
                           {"y1", cy},
                           {"y2", cy},
                           {"stroke", kInk},
                           {"stroke-width", 1.5}});
      svg.element("line", {{"x1", vx(tot.low)},
                           {"x2", vx(tot.low)},
                           {"y1", cy - 4},
                           {"y2", cy + 4},
                           {"stroke", kInk},
                           {"stroke-width", 1.5}});
      end = std::max(end, vx(solid));
      if (tot.high) {
        svg.element("line", {{"x1", vx(*tot.high)},
                             {"x2", vx(*tot.high)},
                             {"y1", cy - 4},
                             {"y2", cy + 4},
                             {"stroke", kInk},
                             {"stroke-width", 1.5}});
      } else {
        svg.element("rect", {{"x", end},
                             {"y", cy - 1},
                             {"width", 26},
                             {"height", 2},
                             {"fill", fade(svg, "right")}});
        end += 26;
      }
    }
    svg.text(end + 6, cy + 4, value_label(tot),
             {{"font-size", 12}, {"fill", kInk}, {"class", "value"}});
    svg.close();
  }
  svg.close();
  key(svg, bottom + 30, true, false);
  return svg.finish();
}

// ---- US tile-grid map -----------------------------------------------------------

namespace {

struct Tile {
  const char* code;
  int row, col;
};

// One square per state, DC and Puerto Rico, placed to keep neighbours near
// (the layout newsrooms use for tile-grid maps).
constexpr Tile kTiles[] = {
    {"AK", 0, 0}, {"ME", 0, 10}, {"VT", 1, 9},  {"NH", 1, 10}, {"WA", 2, 0}, {"ID", 2, 1},
    {"MT", 2, 2}, {"ND", 2, 3},  {"MN", 2, 4},  {"IL", 2, 5},  {"WI", 2, 6}, {"MI", 2, 7},
    {"NY", 2, 8}, {"RI", 2, 9},  {"MA", 2, 10}, {"OR", 3, 0},  {"NV", 3, 1}, {"WY", 3, 2},
    {"SD", 3, 3}, {"IA", 3, 4},  {"IN", 3, 5},  {"OH", 3, 6},  {"PA", 3, 7}, {"NJ", 3, 8},
    {"CT", 3, 9}, {"CA", 4, 0},  {"UT", 4, 1},  {"CO", 4, 2},  {"NE", 4, 3}, {"MO", 4, 4},
    {"KY", 4, 5}, {"WV", 4, 6},  {"VA", 4, 7},  {"MD", 4, 8},  {"DE", 4, 9}, {"AZ", 5, 1},
    {"NM", 5, 2}, {"KS", 5, 3},  {"AR", 5, 4},  {"TN", 5, 5},  {"NC", 5, 6}, {"SC", 5, 7},
    {"DC", 5, 8}, {"OK", 6, 3},  {"LA", 6, 4},  {"MS", 6, 5},  {"AL", 6, 6}, {"GA", 6, 7},
    {"HI", 7, 0}, {"TX", 7, 3},  {"FL", 7, 8},  {"PR", 7, 10},
};

// Light to dark, ending at the palette's blue.
constexpr std::string_view kShades[] = {"#deebf7", "#a6cbe6", "#6aa6d3", "#2f86c1", "#0072B2"};

std::int64_t two_digits(std::int64_t v) {
  std::int64_t scale = 1;
  while (v >= 100 * scale) {
    scale *= 10;
  }
  return std::max<std::int64_t>(1, v / scale * scale);
}

}  // namespace

std::vector<std::string> state_grid_codes() {
  std::vector<std::string> out;
  for (const Tile& tile : kTiles) {
    out.emplace_back(tile.code);
  }
  return out;
}

std::string state_map_svg(const ChartText& t, const std::map<std::string, Total>& by_state,
                          bool standalone) {
  const double tile = 50, gap = 4, cols = 11, rows = 8;
  const double grid_w = cols * (tile + gap);
  const double top = header_height(t) + 8;
  const double height = top + rows * (tile + gap) + 50;
  SvgWriter svg(kWidth, height, t.id, t.title, t.description, standalone);
  header(svg, t, standalone, height);

  // Five classes at rounded quantiles of the non-zero estimates.
  std::vector<std::int64_t> values;
  for (const auto& [code, tot] : by_state) {
    if (tot.estimate > 0) {
      values.push_back(tot.estimate);
    }
  }
  std::sort(values.begin(), values.end());
  std::vector<std::int64_t> breaks;  // lower bounds of classes 2..5
  for (int q = 1; q < 5 && !values.empty(); ++q) {
    const std::int64_t b = two_digits(values[values.size() * static_cast<std::size_t>(q) / 5]);
    if (b > 1 && (breaks.empty() || b > breaks.back())) {
      breaks.push_back(b);
    }
  }
  // The darkest shade is always the top class, however few classes there are.
  const std::size_t offset = 4 - breaks.size();
  const auto shade = [&](std::int64_t v) {
    std::size_t c = 0;
    while (c < breaks.size() && v >= breaks[c]) {
      ++c;
    }
    return c + offset;
  };

  const double x0 = (kWidth - grid_w) / 2;
  svg.open("g", {{"class", "tiles"}});
  for (const Tile& tl : kTiles) {
    const double x = x0 + tl.col * (tile + gap), y = top + tl.row * (tile + gap);
    const auto it = by_state.find(tl.code);
    const bool has = it != by_state.end() && selected_events(it->second) > 0;
    const std::size_t cls = has ? shade(it->second.estimate) : 0;
    const bool dark = has && cls >= 3;
    svg.open("g", {{"class", "tile"}, {"data-state", tl.code}});
    svg.tooltip(std::string(tl.code) + ": " +
                (has ? total_words(it->second) : std::string("nothing on file")));
    svg.element("rect", {{"x", x},
                         {"y", y},
                         {"width", tile},
                         {"height", tile},
                         {"rx", 3},
                         {"fill", has ? kShades[cls] : std::string_view("#f2f2f2")}});
    svg.text(x + tile / 2, y + 20, tl.code,
             {{"text-anchor", "middle"},
              {"font-weight", "bold"},
              {"fill", dark ? std::string_view("#ffffff") : (has ? kInk : kMuted)}});
    if (has) {
      const std::string v = it->second.to_short_string();
      if (text_width(v, kSmall) <= tile - 4) {
        svg.text(x + tile / 2, y + 37, v,
                 {{"text-anchor", "middle"},
                  {"font-size", kSmall},
                  {"fill", dark ? "#ffffff" : kInk},
                  {"class", "value"}});
      }
    }
    svg.close();
  }
  svg.close();

  // The legend: one swatch per class with its range.
  double lx = 0;
  const double ly = top + rows * (tile + gap) + 20;
  svg.open("g", {{"class", "legend"}, {"font-size", kSmall}, {"fill", kMuted}});
  svg.element("rect",
              {{"x", lx}, {"y", ly - 10}, {"width", 14}, {"height", 12}, {"fill", "#f2f2f2"}});
  svg.text(lx + 18, ly, "none on file");
  lx += 18 + text_width("none on file", kSmall) + 14;
  for (std::size_t c = 0; c <= breaks.size() && !values.empty(); ++c) {
    const std::int64_t lo = c == 0 ? 1 : breaks[c - 1];
    const std::string label = c == breaks.size()
                                  ? format_count(lo) + " or more"
                                  : format_count(lo) + "\u2013" + format_count(breaks[c] - 1);
    svg.element(
        "rect",
        {{"x", lx}, {"y", ly - 10}, {"width", 14}, {"height", 12}, {"fill", kShades[c + offset]}});
    svg.text(lx + 18, ly, label);
    lx += 18 + text_width(label, kSmall) + 14;
  }
  svg.close();
  svg.text(0, ly + 22, "Shade: best estimate of people on file; the table lists every state.",
           {{"font-size", kSmall}, {"fill", kMuted}});
  return svg.finish();
}

// ---- claims against events ---------------------------------------------------------

std::string claims_svg(const ChartText& t, const std::vector<ClaimRow>& rows, bool standalone) {
  const double label_w = 70, value_w = 180, row_h = 64;
  const double x0 = label_w, plot_w = kWidth - label_w - value_w;
  const double top = header_height(t) + 8;
  const double height =
      top + row_h * static_cast<double>(std::max<std::size_t>(rows.size(), 1)) + 30;
  SvgWriter svg(kWidth, height, t.id, t.title, t.description, standalone);
  gradients(svg);
  header(svg, t, standalone, height);

  std::int64_t vmax = 0;
  for (const auto& r : rows) {
    vmax = std::max({vmax, r.claimed.low(), r.claimed.high().value_or(0), r.claimed.estimate(),
                     r.events.low, r.events.high.value_or(0), r.events.estimate});
  }
  const std::int64_t step = nice_step(std::max<std::int64_t>(vmax, 1), 4);
  const std::int64_t top_value =
      std::max<std::int64_t>(step, (vmax * 5 / 4 + step - 1) / step * step);
  const auto vx = [&](std::int64_t v) {
    return x0 + plot_w * static_cast<double>(v) / static_cast<double>(top_value);
  };
  if (rows.empty()) {
    svg.text(kWidth / 2, top + 24, "No claims recorded for this scope",
             {{"text-anchor", "middle"}, {"fill", kMuted}});
  }
  // One interval on the shared scale: a band from low to high (fading when
  // unbounded) and a tick at the estimate.
  const auto band = [&](double cy, std::int64_t low, const std::optional<std::int64_t>& high,
                        std::int64_t estimate, std::string_view colour) {
    const double x1 = vx(low);
    const double x2 = high ? vx(*high) : vx(top_value);
    svg.element("rect", {{"x", x1},
                         {"y", cy - 6},
                         {"width", std::max(2.0, x2 - x1)},
                         {"height", 12},
                         {"fill", colour},
                         {"opacity", high ? 0.9 : 0.35}});
    if (!high) {
      svg.element("rect", {{"x", x1},
                           {"y", cy - 6},
                           {"width", std::min(40.0, x2 - x1)},
                           {"height", 12},
                           {"fill", colour}});
    }
    svg.element("line", {{"x1", vx(estimate)},
                         {"x2", vx(estimate)},
                         {"y1", cy - 9},
                         {"y2", cy + 9},
                         {"stroke", kInk},
                         {"stroke-width", 2}});
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ClaimRow& r = rows[i];
    const double y = top + row_h * static_cast<double>(i);
    svg.open("g", {{"class", "claim"}});
    svg.text(0, y + 14, clip(r.label, 60), {{"font-weight", "bold"}, {"fill", kInk}});
    svg.text(kWidth, y + 14, (r.verdict == "consistent" ? "\u2713 " : "\u2717 ") + r.verdict,
             {{"text-anchor", "end"}, {"fill", kInk}, {"class", "verdict"}});
    const double c1 = y + 32, c2 = y + 50;
    svg.text(x0 - 8, c1 + 4, "claimed",
             {{"text-anchor", "end"}, {"font-size", kSmall}, {"fill", kMuted}});
    band(c1, r.claimed.low(), r.claimed.high(), r.claimed.estimate(), kPalette[1]);
    svg.text(kWidth - value_w + 12, c1 + 4,
             "\u201c" + clip(r.claimed.phrase(), 22) + "\u201d " +
                 range_text(r.claimed.low(), r.claimed.high()),
             {{"font-size", kSmall}, {"fill", kInk}});
    svg.text(x0 - 8, c2 + 4, "events",
             {{"text-anchor", "end"}, {"font-size", kSmall}, {"fill", kMuted}});
    band(c2, r.events.low, r.events.high, r.events.estimate, kPalette[0]);
    svg.text(kWidth - value_w + 12, c2 + 4, r.events.to_string(),
             {{"font-size", kSmall}, {"fill", kInk}, {"class", "value"}});
    svg.close();
  }
  const double axis_y = top + row_h * static_cast<double>(rows.size());
  for (std::int64_t v = 0; v <= top_value && !rows.empty(); v += step) {
    svg.text(vx(v), axis_y + 4, format_count(v),
             {{"font-size", kSmall}, {"fill", kMuted}, {"text-anchor", "middle"}});
  }
  svg.text(0, axis_y + 22,
           "Bands run from low to high (pale to the edge: no upper bound); the dark tick is the "
           "best estimate.",
           {{"font-size", kSmall}, {"fill", kMuted}});
  return svg.finish();
}

std::string share_text(const std::optional<double>& share) {
  if (!share) {
    return "\u2013";
  }
  const long percent = std::lround(*share * 100);
  return percent == 0 && *share > 0 ? "<1 %" : std::to_string(percent) + " %";
}

std::string coverage_svg(const ChartText& t, const std::vector<CoverageRow>& rows,
                         bool standalone) {
  const double value_w = 190, row_h = 60;
  const double plot_w = kWidth - value_w;
  const double top = header_height(t) + 8;
  const double height =
      top + row_h * static_cast<double>(std::max<std::size_t>(rows.size(), 1)) + 24;
  SvgWriter svg(kWidth, height, t.id, t.title, t.description, standalone);
  header(svg, t, standalone, height);

  std::int64_t vmax = 1;
  for (const auto& r : rows) {
    vmax =
        std::max({vmax, r.announced.is_unknown() ? 0 : r.announced.estimate(), r.on_file.estimate});
  }
  const auto vx = [&](std::int64_t v) {
    return plot_w * static_cast<double>(v) / static_cast<double>(vmax);
  };
  if (rows.empty()) {
    svg.text(kWidth / 2, top + 24, "No filings are linked to announcements in this scope",
             {{"text-anchor", "middle"}, {"fill", kMuted}});
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const CoverageRow& r = rows[i];
    const double y = top + row_h * static_cast<double>(i);
    svg.open("g", {{"class", "coverage"}});
    svg.text(0, y + 14, clip(r.label + ", \u201c" + r.announced.phrase() + "\u201d", 62),
             {{"font-weight", "bold"}, {"fill", kInk}});
    svg.text(kWidth, y + 14, r.share ? share_text(r.share) + " on file" : "share unknown",
             {{"text-anchor", "end"}, {"font-weight", "bold"}, {"fill", kInk}, {"class", "share"}});
    const double bar_y = y + 22, bar_h = 16;
    if (!r.announced.is_unknown()) {
      svg.element("rect", {{"x", 0},
                           {"y", bar_y},
                           {"width", std::max(1.0, vx(r.announced.estimate()))},
                           {"height", bar_h},
                           {"fill", kPalette[0]},
                           {"fill-opacity", 0.2},
                           {"stroke", kPalette[0]},
                           {"stroke-width", 1}});
    }
    svg.element("rect", {{"x", 0},
                         {"y", bar_y},
                         {"width", vx(r.on_file.estimate)},
                         {"height", bar_h},
                         {"fill", kPalette[0]}});
    svg.text(plot_w + 12, bar_y + 12,
             r.on_file.to_string() + (r.announced.is_unknown()
                                          ? std::string(" on file, no count announced")
                                          : " of " + format_count(r.announced.estimate())),
             {{"font-size", kSmall}, {"fill", kInk}, {"class", "value"}});
    svg.text(0, bar_y + bar_h + 14, "on file in " + clip(r.states, 90),
             {{"font-size", kSmall}, {"fill", kMuted}, {"class", "states"}});
    svg.close();
  }
  const double key_y = top + row_h * static_cast<double>(rows.size()) + 14;
  const Attrs label{{"font-size", kSmall}, {"fill", kMuted}};
  svg.open("g", {{"class", "key"}});
  svg.element("rect", {{"x", 0},
                       {"y", key_y - 9},
                       {"width", 14},
                       {"height", 10},
                       {"fill", kPalette[0]},
                       {"fill-opacity", 0.2},
                       {"stroke", kPalette[0]}});
  svg.text(18, key_y, "announced (best estimate)", label);
  const double x = 18 + text_width("announced (best estimate)", kSmall) + 16;
  svg.element("rect",
              {{"x", x}, {"y", key_y - 9}, {"width", 14}, {"height", 10}, {"fill", kPalette[0]}});
  svg.text(x + 18, key_y, "on file in the linked filings (best estimate)", label);
  svg.close();
  return svg.finish();
}

}  // namespace layoffs::report
