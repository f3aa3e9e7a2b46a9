// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The page: headline, charts each followed by its table, the events, and a
// note on the data. Inline CSS (with print rules for A4 and letter) and
// inline SVG; no script, no font or image to fetch. The only URLs are the
// events' sources, as links, and only http(s) ones.
#include <algorithm>
#include <sstream>

#include <layoffs/version.h>

#include "report.h"
#include "svg.h"

namespace layoffs::report {
namespace {

const char* const kCss = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #222222;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
        "DejaVu Sans", sans-serif; }
main { max-width: 728px; margin: 0 auto; padding: 28px 24px 40px; }
.kicker { margin: 0 0 4px; font-size: 12px; letter-spacing: .06em; text-transform: uppercase;
  color: #595959; }
h1 { font-size: 27px; line-height: 1.2; margin: 0 0 18px; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-top: 12px; border-top: 2px solid #222222; }
.headline { display: flex; flex-wrap: wrap; gap: 18px 36px; align-items: flex-end;
  margin: 0 0 8px; }
.headline p { margin: 0; }
.big { font-size: 56px; font-weight: 700; line-height: 1; color: #0072B2;
  font-variant-numeric: tabular-nums; }
.big small { display: block; font-size: 14px; font-weight: 400; color: #595959;
  margin-top: 6px; }
dl.facts { display: grid; grid-template-columns: repeat(3, auto); gap: 4px 22px; margin: 0;
  font-size: 13px; }
dl.facts div { min-width: 0; }
dl.facts dt { color: #595959; font-size: 12px; }
dl.facts dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
p.lede { max-width: 640px; margin: 10px 0 0; }
nav ol { margin: 14px 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap;
  gap: 4px 16px; font-size: 13px; }
nav a { color: #0072B2; }
figure { margin: 0; overflow-x: auto; }
figure svg { display: block; }
figcaption, .note { font-size: 13px; color: #595959; margin: 6px 0 0; max-width: 680px; }
details { margin: 10px 0 0; }
summary { font-size: 13px; color: #0072B2; cursor: pointer; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0 0; width: 100%;
  font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid #e2e2e2;
  vertical-align: top; }
th { font-weight: 600; border-bottom: 1px solid #222222; }
td.n, th.n { text-align: right; }
table.events td { font-size: 12px; }
table.events td:first-child, table.events .range { white-space: nowrap; }
table.events .phrase { display: block; color: #595959; white-space: nowrap; }
a { color: #0072B2; overflow-wrap: anywhere; }
footer { margin-top: 40px; font-size: 12px; color: #595959; }
@media print {
  @page { margin: 15mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, .headline, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: #222222; text-decoration: none; }
}
)css";

std::string h(std::string_view s) {
  return escape(s);
}

int selected(const Total& t) {
  return selected_events(t);
}

std::string high_text(const Total& t) {
  return t.high ? format_count(*t.high) : std::string("unbounded");
}

std::string plural(std::int64_t n, const char* one, const char* many) {
  return format_count(n) + " " + (n == 1 ? one : many);
}

std::string who(const ReportData& d) {
  return d.company_name.empty() ? "Companies on file" : d.company_name;
}

// "in 2022–2023", "in 2023", "from 2022-03-01 to 2022-09-30"
std::string when(const ReportData& d) {
  const Filter& f = d.options.filter;
  if (f.from && f.to) {
    const Date a = f.from->first_day(), b = f.to->last_day();
    if (a.month() == 1 && a.day() == 1 && b.month() == 12 && b.day() == 31) {
      return a.year() == b.year()
                 ? "in " + std::to_string(a.year())
                 : "in " + std::to_string(a.year()) + "\u2013" + std::to_string(b.year());
    }
  }
  if (!d.first || !d.last) {
    return "";
  }
  if (f.from || f.to) {
    return "from " + d.period;
  }
  // The data's own range, to the month: "from Mar 2020 to Mar 2023".
  const auto month = [](const Date& x) {
    return period_name(std::to_string(x.year()) + "-" + (x.month() < 10 ? "0" : "") +
                       std::to_string(x.month()));
  };
  const std::string a = month(*d.first), b = month(*d.last);
  return a == b ? "in " + a : "from " + a + " to " + b;
}

// The h1: "Amazon cut at least 27,000 jobs in 2022–2023".
std::string headline(const ReportData& d) {
  if (selected(d.total) == 0) {
    return "No layoff events on file for " + d.scope;
  }
  const std::string w = when(d);
  return who(d) + " cut " + d.total.to_string() + " jobs" + (w.empty() ? "" : " " + w);
}

// The table that carries a chart's numbers.
std::string totals_table(const std::string& first_column, const std::vector<BarRow>& rows,
                         const std::string& caption) {
  std::ostringstream o;
  o << "<table class=\"numbers\"><caption class=\"note\">" << h(caption)
    << "</caption><thead><tr><th>" << h(first_column)
    << "</th><th class=\"n\">total</th><th class=\"n\">low</th><th class=\"n\">high</th>"
       "<th class=\"n\">best estimate</th><th class=\"n\">events</th>"
       "<th class=\"n\">no count</th></tr></thead><tbody>\n";
  for (const auto& r : rows) {
    const Total& t = r.total;
    o << "<tr data-group=\"" << h(r.label) << "\"><td class=\"label\">" << h(r.label)
      << "</td><td class=\"n total\">" << h(t.to_string()) << "</td><td class=\"n low\">"
      << format_count(t.low) << "</td><td class=\"n high\">" << high_text(t)
      << "</td><td class=\"n estimate\">" << format_count(t.estimate)
      << "</td><td class=\"n events\">" << selected(t) << "</td><td class=\"n unknown\">"
      << t.unknown_events << "</td></tr>\n";
  }
  o << "</tbody></table>\n";
  return o.str();
}

std::string section_open(const char* id, const char* heading) {
  return std::string("<section id=\"") + id + "\" aria-labelledby=\"" + id + "-h\"><h2 id=\"" + id +
         "-h\">" + heading + "</h2>\n";
}

std::string timeline_rows_caption(const ReportData& d, std::size_t listed) {
  const std::size_t empty = d.timeline.periods.size() - listed;
  return "People laid off per " + d.granularity + "." +
         (empty == 0 ? std::string()
                     : " The " + std::to_string(empty) + " " + d.granularity +
                           (empty == 1 ? "" : "s") + " not listed have no events.");
}

// The periods with events (the chart shows the empty ones as gaps).
std::vector<BarRow> timeline_rows(const ReportData& d) {
  std::vector<BarRow> rows;
  for (std::size_t i = 0; i < d.timeline.periods.size(); ++i) {
    if (selected(d.timeline.totals[i]) > 0) {
      rows.push_back({d.timeline.periods[i], d.timeline.totals[i]});
    }
  }
  return rows;
}

std::vector<ClaimRow> claim_rows(const ReportData& d) {
  std::vector<ClaimRow> rows;
  for (const auto& r : d.claims) {
    std::string verdict(to_string(r.verdict));
    std::replace(verdict.begin(), verdict.end(), '_', ' ');
    rows.push_back({r.claim.company_name + (r.claim.include_subsidiaries ? "" : " (own)") + ", " +
                        r.claim.period_start.to_string() + " to " +
                        r.claim.period_end.last_day().to_string(),
                    r.claim.headcount, r.events, verdict});
  }
  return rows;
}

// The announcements that have filings linked to them (Tracker::coverage
// lists every announcement in scope), in its order: by date.
std::vector<CoverageRow> coverage_rows(const ReportData& d) {
  std::vector<CoverageRow> rows;
  for (const Coverage& c : d.coverage) {
    if (c.on_file.selected_events == 0 && c.on_file.counted_events == 0) {
      continue;
    }
    std::string states;
    for (const auto& [state, total] : c.by_state) {
      states += (states.empty() ? "" : "; ") + (state.empty() ? std::string("no state") : state) +
                " " + total.to_string();
    }
    rows.push_back(
        {c.company + ", " + c.announced_on.to_string(), c.headcount, c.on_file, c.share, states});
  }
  return rows;
}

// Only http and https sources become links; anything else (a javascript:
// URL typed into the database, a file: path) stays text.
bool linkable(std::string_view url) {
  const auto starts = [&](std::string_view p) {
    if (url.size() < p.size()) {
      return false;
    }
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) {
        return false;
      }
    }
    return true;
  };
  return starts("https://") || starts("http://");
}

std::string host_of(std::string_view url) {
  const auto start = url.find("://");
  if (start == std::string_view::npos) {
    return std::string(url);
  }
  std::string host(url.substr(start + 3, url.find('/', start + 3) - start - 3));
  if (host.rfind("www.", 0) == 0) {
    host.erase(0, 4);
  }
  return host;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    out += (out.empty() ? "" : "; ") + s;
  }
  return out;
}

std::string events_section(const ReportData& d) {
  std::ostringstream o;
  o << section_open("events", "The events");
  if (d.events_are_largest) {
    o << "<p class=\"note\">" << plural(d.event_count, "event", "events")
      << " match; listed here are the " << d.events.size()
      << " largest by best estimate, by date. <strong>"
      << format_count(d.event_count - static_cast<std::int64_t>(d.events.size()))
      << " smaller events are left out</strong> of this list (not of the totals).</p>\n";
  } else {
    o << "<p class=\"note\">All " << plural(d.event_count, "event", "events")
      << ", by date. A headcount shows the phrase as reported and the range it allows.</p>\n";
  }
  if (d.events.empty()) {
    return o.str() + "</section>\n";
  }
  // Columns nobody filled in are left out (a layoffs.fyi import has no
  // departments, reasons or sources).
  const auto any = [&](auto has) { return std::any_of(d.events.begin(), d.events.end(), has); };
  const bool where = any([](const Event& e) { return !e.locations.empty() || !e.country.empty(); });
  const bool departments = any([](const Event& e) { return !e.departments.empty(); });
  const bool reasons = any([](const Event& e) { return !e.reasons.empty(); });
  const bool sources = any([](const Event& e) { return !e.sources.empty(); });
  o << "<table class=\"events\"><thead><tr><th>date</th><th>company</th>"
       "<th class=\"n\">headcount</th>"
    << (where ? "<th>where</th>" : "") << (departments ? "<th>departments</th>" : "")
    << (reasons ? "<th>reasons</th>" : "") << (sources ? "<th>sources</th>" : "")
    << "</tr></thead><tbody>\n";
  for (const Event& e : d.events) {
    const std::string range = range_text(e.headcount.low(), e.headcount.high());
    std::string plain_phrase = e.headcount.phrase(), plain_range = range;
    std::erase(plain_phrase, ',');
    std::erase(plain_range, ',');
    o << "<tr id=\"event-" << e.id.value() << "\"><td>" << h(e.announced_on.to_string())
      << "</td><td>" << h(e.company_name) << "</td><td class=\"n\">"
      << "<span class=\"range\">" << h(range) << "</span>";
    if (plain_phrase != plain_range) {  // "784" says nothing "784" did not
      o << "<span class=\"phrase\">\u201c" << h(e.headcount.phrase()) << "\u201d</span>";
    }
    if (e.included_in) {
      o << "<span class=\"phrase\">inside <a href=\"#event-" << e.included_in->value()
        << "\">event " << e.included_in->value() << "</a></span>";
    }
    if (!e.includes.empty()) {
      o << "<span class=\"phrase\">includes " << e.includes.size()
        << (e.includes.size() == 1 ? " earlier event" : " earlier events") << "</span>";
    }
    o << "</td>";
    if (where) {
      std::vector<std::string> places = e.locations;
      if (!e.country.empty()) {
        places.push_back(e.country);
      }
      o << "<td>" << h(join(places)) << "</td>";
    }
    if (departments) {
      o << "<td>" << h(join(e.departments)) << "</td>";
    }
    if (reasons) {
      std::vector<std::string> names;
      for (const auto& r : e.reasons) {
        names.push_back(r.name);
      }
      o << "<td>" << h(join(names)) << "</td>";
    }
    if (sources) {
      o << "<td>";
      for (std::size_t i = 0; i < e.sources.size(); ++i) {
        const Source& src = e.sources[i];
        const std::string name = !src.publisher.empty() ? src.publisher : host_of(src.url);
        o << (i ? "<br>" : "");
        if (linkable(src.url)) {
          o << "<a href=\"" << h(src.url) << "\" rel=\"noopener noreferrer\""
            << (src.title.empty() ? "" : " title=\"" + h(src.title) + "\"") << ">" << h(name)
            << "</a>";
        } else {
          o << h(src.url);
        }
      }
      o << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</tbody></table>\n</section>\n";
  return o.str();
}

std::string quality_section(const ReportData& d) {
  const Total& t = d.total;
  std::ostringstream o;
  o << section_open("data-quality", "About these numbers");
  o << "<ul class=\"note\">\n";
  o << "<li>Every count is an interval. &ldquo;Several hundred&rdquo; is 300&ndash;999, "
       "&ldquo;more than 27,000&rdquo; has no upper bound; the best estimate is the reported "
       "figure (the middle of a range, a documented value for a phrase).</li>\n";
  o << "<li>" << format_count(t.unknown_events) << " of "
    << plural(selected(t), "selected event", "selected events")
    << " have no usable count: they add nothing to the estimate and leave the total without an "
       "upper bound.</li>\n";
  o << "<li>" << format_count(inside_events(t))
    << " are inside another selected event&rsquo;s figure (&ldquo;18,000, including "
       "November&rsquo;s 10,000&rdquo;, or an announcement and the WARN notices it led to) and "
       "are not counted again; an event whose included events fall outside the selection counts "
       "only its remainder.</li>\n";
  o << "<li>" << format_count(t.superseded_events) << " superseded (by an amended notice or a "
    << "later figure) and " << format_count(t.retracted_events)
    << " retracted are listed but count in no total.</li>\n";
  if (d.filings.selected_events > 0) {
    o << "<li>" << plural(d.filings.selected_events, "filing", "filings")
      << " (WARN notices) are in scope; the map shows where they were filed"
      << (d.filings_without_state.selected_events > 0
              ? ", except " + plural(d.filings_without_state.selected_events, "filing", "filings") +
                    " without a state"
              : std::string())
      << ".</li>\n";
  }
  o << "<li>Companies and their subsidiaries form a tree; "
    << (d.options.filter.company && !d.options.filter.include_subsidiaries
            ? "this report counts the company&rsquo;s own events only."
            : "a company&rsquo;s total includes its subsidiaries&rsquo; events.")
    << "</li>\n";
  o << "</ul>\n</section>\n";
  return o.str();
}

// The first `n` rows (they come largest first).
std::vector<BarRow> top_rows(const std::vector<BarRow>& rows, std::size_t n) {
  return {rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), n))};
}

}  // namespace

ChartText chart_text(const ReportData& d, ChartKind kind) {
  ChartText c;
  c.id = std::string(to_string(kind));
  switch (kind) {
    case ChartKind::timeline: {
      c.subtitle = "People laid off per " + d.granularity +
                   (d.timeline.series.size() > 1
                        ? (d.company_name.empty() ? ", by company" : ", by company in the group")
                        : "") +
                   ": best estimate and range";
      std::size_t peak = 0, with_events = 0;
      for (std::size_t i = 0; i < d.timeline.totals.size(); ++i) {
        with_events += selected(d.timeline.totals[i]) > 0 ? 1 : 0;
        if (d.timeline.totals[i].estimate > d.timeline.totals[peak].estimate) {
          peak = i;
        }
      }
      c.title = d.timeline.totals.empty() || d.timeline.totals[peak].estimate == 0
                    ? "No counted layoffs in this period"
                    : "The most in one " + d.granularity + ": " +
                          d.timeline.totals[peak].to_string() + " in " +
                          period_name(d.timeline.periods[peak]);
      c.description = "Column chart, one column per " + d.granularity + " from " +
                      (d.timeline.periods.empty() ? std::string("-") : d.timeline.periods.front()) +
                      " to " +
                      (d.timeline.periods.empty() ? std::string("-") : d.timeline.periods.back()) +
                      "; " + std::to_string(with_events) + " of " +
                      std::to_string(d.timeline.periods.size()) + " have events.";
      if (!d.timeline.totals.empty() && d.timeline.totals[peak].estimate > 0) {
        c.description += " The largest is " + d.timeline.periods[peak] + " with " +
                         d.timeline.totals[peak].to_string() + ".";
      }
      break;
    }
    case ChartKind::companies: {
      c.title = d.companies.empty() || d.companies.front().total.estimate == 0
                    ? "No company has a counted layoff here"
                    : "Most jobs cut: " + d.companies.front().label + ", " +
                          d.companies.front().total.to_string();
      c.subtitle = d.companies_grouping == "company"
                       ? "People laid off by each company in the group (its own events)"
                       : "People laid off by company, subsidiaries rolled into their parent";
      const std::size_t shown = std::min(d.companies.size(), d.options.bar_rows);
      if (d.companies.size() > shown) {
        c.subtitle += "; the " + std::to_string(shown) + " largest of " +
                      format_count(static_cast<std::int64_t>(d.companies.size()));
      }
      c.description = "Bar chart of " + std::to_string(shown) + " companies.";
      for (std::size_t i = 0; i < std::min<std::size_t>(shown, 3); ++i) {
        c.description += " " + d.companies[i].label + ": " + d.companies[i].total.to_string() + ".";
      }
      break;
    }
    case ChartKind::claims: {
      const auto rows = claim_rows(d);
      const auto agree = std::count_if(rows.begin(), rows.end(),
                                       [](const ClaimRow& r) { return r.verdict == "consistent"; });
      if (rows.size() == 1) {
        c.title = "The claim of \u201c" + rows[0].claimed.phrase() + "\u201d " +
                  (rows[0].verdict == "consistent" ? "agrees with" : "disagrees with") +
                  " the recorded events";
      } else {
        c.title = std::to_string(agree) + " of " + std::to_string(rows.size()) +
                  " claims agree with the recorded events";
      }
      c.subtitle =
          "Totals the company or the press reported, against what the recorded events "
          "add up to over the same scope and period";
      c.description = "Range chart of " + std::to_string(rows.size()) + " claims.";
      for (const auto& r : rows) {
        c.description += " " + r.label + ": claimed " + r.claimed.phrase() + ", events " +
                         r.events.to_string() + ", " + r.verdict + ".";
      }
      break;
    }
    case ChartKind::coverage: {
      const auto rows = coverage_rows(d);
      if (rows.empty()) {
        c.title = "No filings are linked to announcements here";
      } else if (rows.size() == 1) {
        c.title =
            rows[0].label + ": " + share_text(rows[0].share) + " of the announced cut is on file";
      } else {
        const auto best = std::max_element(rows.begin(), rows.end(),
                                           [](const CoverageRow& a, const CoverageRow& b) {
                                             return a.share.value_or(-1) < b.share.value_or(-1);
                                           });
        c.title = std::to_string(rows.size()) +
                  " announcements have filings on file; the most covered: " + best->label + ", " +
                  share_text(best->share);
      }
      c.subtitle =
          "Announced cuts at their best estimate; shaded: people on file in the linked "
          "filings (WARN notices)";
      c.description = "Bar chart of " + std::to_string(rows.size()) +
                      (rows.size() == 1 ? " announcement" : " announcements") +
                      " with linked filings.";
      for (const auto& r : rows) {
        c.description += " " + r.label + ": announced " + r.announced.phrase() + ", on file " +
                         r.on_file.to_string() + " (" + share_text(r.share) + "), in " + r.states +
                         ".";
      }
      break;
    }
    case ChartKind::industry:
    case ChartKind::country: {
      const bool industry = kind == ChartKind::industry;
      const auto& rows = industry ? d.industries : d.countries;
      const std::size_t shown = std::min(rows.size(), d.options.bar_rows);
      // The finding names the largest group that has a name ("(none)" is the
      // events whose company has no industry, or no country, on file).
      const auto named = std::find_if(rows.begin(), rows.end(),
                                      [](const BarRow& r) { return r.label != "(none)"; });
      c.title = named == rows.end() || named->total.estimate == 0
                    ? std::string(industry ? "No industry on file for these companies"
                                           : "No country on file for these events")
                    : "Most jobs cut in " + named->label + ": " + named->total.to_string();
      c.subtitle = industry ? "People laid off by the company\u2019s industry"
                            : "People laid off by country (the event\u2019s, else its "
                              "company\u2019s)";
      if (rows.size() > shown) {
        c.subtitle += "; the " + std::to_string(shown) + " largest of " +
                      format_count(static_cast<std::int64_t>(rows.size()));
      }
      c.description =
          "Bar chart of " + std::to_string(shown) + (industry ? " industries." : " countries.");
      for (std::size_t i = 0; i < std::min<std::size_t>(shown, 3); ++i) {
        c.description += " " + rows[i].label + ": " + rows[i].total.to_string() + ".";
      }
      break;
    }
    case ChartKind::states: {
      auto top = d.states.end();
      for (auto it = d.states.begin(); it != d.states.end(); ++it) {
        if (top == d.states.end() || it->second.estimate > top->second.estimate) {
          top = it;
        }
      }
      c.title = top == d.states.end() || top->second.estimate == 0
                    ? std::string("No filings with a US state on file")
                    : "Most people on file in " + std::string(us_state_name(top->first)) + ": " +
                          top->second.to_string();
      c.subtitle = "People on file in filings (WARN notices) by US state, best estimate";
      c.description = "Tile map of US states, one square each; " + std::to_string(d.states.size()) +
                      " states have filings.";
      for (const auto& [code, total] : d.states) {
        c.description += " " + code + ": " + total.to_string() + ".";
      }
      break;
    }
  }
  return c;
}

std::string render_svg(const ReportData& d, ChartKind kind) {
  const ChartText text = chart_text(d, kind);
  switch (kind) {
    case ChartKind::timeline:
      return timeline_svg(text, d.timeline, true);
    case ChartKind::companies:
      return bars_svg(text, top_rows(d.companies, d.options.bar_rows), true);
    case ChartKind::claims:
      return claims_svg(text, claim_rows(d), true);
    case ChartKind::industry:
      return bars_svg(text, top_rows(d.industries, d.options.bar_rows), true);
    case ChartKind::country:
      return bars_svg(text, top_rows(d.countries, d.options.bar_rows), true);
    case ChartKind::states:
      return state_map_svg(text, d.states, true);
    case ChartKind::coverage:
      return coverage_svg(text, coverage_rows(d), true);
  }
  throw invalid_field("chart", to_string(kind), "is not a chart:");
}

std::string render_html(const ReportData& d) {
  const Total& t = d.total;
  std::ostringstream o;
  const std::string title = d.scope + (d.period.empty() ? "" : ", " + d.period);
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<title>Layoffs: "
    << h(title) << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n<main>\n";

  // ---- headline
  o << "<header>\n<p class=\"kicker\">Layoff report &middot; " << h(d.scope)
    << (d.period.empty() ? "" : " &middot; " + h(d.period)) << "</p>\n";
  o << "<h1>" << h(headline(d)) << "</h1>\n";
  o << "<section id=\"headline\" aria-label=\"The total\">\n<div class=\"headline\">\n"
       "<p class=\"big\"><span data-field=\"short\">"
    << h(t.to_short_string()) << "</span><small>people laid off: <span data-field=\"text\">"
    << h(t.to_string()) << "</span></small></p>\n<dl class=\"facts\">\n";
  const auto fact = [&](const char* label, const char* field, const std::string& value) {
    o << "<div><dt>" << label << "</dt><dd data-field=\"" << field << "\">" << h(value)
      << "</dd></div>\n";
  };
  fact("best estimate", "estimate", format_count(t.estimate));
  fact("low", "low", format_count(t.low));
  fact("high", "high", high_text(t));
  fact("events selected", "selected_events", std::to_string(t.selected_events));
  fact("counted", "counted_events", std::to_string(t.counted_events));
  fact("with no count", "unknown_events", std::to_string(t.unknown_events));
  fact("inside another event", "inside_events", std::to_string(t.inside_events));
  fact("superseded", "superseded_events", std::to_string(t.superseded_events));
  fact("retracted", "retracted_events", std::to_string(t.retracted_events));
  o << "</dl>\n</div>\n<p class=\"lede\">";
  if (selected(t) == 0) {
    o << "No events match this scope.";
  } else {
    o << "From " << plural(selected(t), "recorded event", "recorded events") << ", the library "
      << "counts " << h(t.to_string()) << " people: at least " << format_count(t.low)
      << (t.high ? ", at most " + format_count(*t.high) : std::string(", with no upper bound"))
      << ", best estimate " << format_count(t.estimate) << ".";
    if (inside_events(t) > 0) {
      o << " " << plural(inside_events(t), "event is", "events are")
        << " inside a larger announcement and counted once.";
    }
    if (t.unknown_events > 0) {
      o << " " << plural(t.unknown_events, "event has", "events have") << " no count.";
    }
    if (t.superseded_events + t.retracted_events > 0) {
      o << " " << plural(t.superseded_events + t.retracted_events, "event was", "events were")
        << " superseded or retracted and count nowhere.";
    }
  }
  o << "</p>\n</section>\n";
  o << "<nav aria-label=\"Sections\"><ol><li><a href=\"#timeline\">When</a></li>"
       "<li><a href=\"#companies\">Who</a></li><li><a href=\"#industry\">Industries</a></li>"
       "<li><a href=\"#country\">Where</a></li><li><a href=\"#states\">US states</a></li>"
       "<li><a href=\"#claims\">Claims</a></li><li><a href=\"#coverage\">On file</a></li>"
       "<li><a href=\"#events\">Events</a></li><li><a href=\"#data-quality\">About these "
       "numbers</a></li></ol></nav>\n</header>\n";

  // ---- timeline
  o << section_open("timeline", "When");
  if (d.timeline.periods.empty()) {
    o << "<p class=\"note\">No events, so no timeline.</p>\n";
  } else {
    o << "<figure>\n"
      << timeline_svg(chart_text(d, ChartKind::timeline), d.timeline)
      << "<figcaption>Each column is a " << d.granularity
      << "&rsquo;s best estimate; the line through it runs from the lowest to the highest "
         "count the reports allow, and fades out where there is no upper bound (a count "
         "reported as &ldquo;at least&rdquo;, or none at all). Circles under the axis count "
         "events with no number. Empty "
      << d.granularity << "s are shown as gaps at zero.</figcaption>\n</figure>\n";
    o << "<details open><summary>The numbers</summary>\n"
      << totals_table(d.granularity, timeline_rows(d),
                      timeline_rows_caption(d, timeline_rows(d).size()))
      << "</details>\n";
  }
  o << "</section>\n";

  // ---- bars: companies, industries, countries
  const auto bar_section = [&](const char* id, const char* heading, ChartKind kind,
                               const std::vector<BarRow>& rows, const std::string& column,
                               const char* noun) {
    o << section_open(id, heading);
    if (rows.empty()) {
      o << "<p class=\"note\">Nothing in this scope.</p>\n";
    } else {
      const auto top = top_rows(rows, d.options.bar_rows);
      o << "<figure>\n"
        << bars_svg(chart_text(d, kind), top)
        << "<figcaption>Bars are best estimates; the line runs from low to high.</figcaption>\n"
           "</figure>\n<details open><summary>The numbers</summary>\n"
        << totals_table(column, top,
                        rows.size() > top.size()
                            ? "The " + std::to_string(top.size()) + " largest of " +
                                  format_count(static_cast<std::int64_t>(rows.size())) + " " +
                                  noun + "."
                            : std::string("Every one in scope."))
        << "</details>\n";
    }
    o << "</section>\n";
  };
  bar_section("companies", "Who", ChartKind::companies, d.companies, d.companies_grouping,
              "companies");
  bar_section("industry", "Which industries", ChartKind::industry, d.industries, "industry",
              "industries");
  bar_section("country", "Where", ChartKind::country, d.countries, "country", "countries");

  // ---- US states, from filings
  o << section_open("states", "US states, from WARN filings");
  if (d.states.empty()) {
    o << "<p class=\"note\">No filings (WARN notices) with a US state are on file for this "
         "scope. Import them with <code>layoffs import</code> (Big Local News WARN CSV) or "
         "record them with <code>layoffs add --filing --state WA</code>.</p>\n";
  } else {
    std::vector<BarRow> rows;
    for (const auto& [code, total] : d.states) {
      rows.push_back({code, total});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const BarRow& a, const BarRow& b) {
      return a.total.estimate > b.total.estimate;
    });
    o << "<figure>\n"
      << state_map_svg(chart_text(d, ChartKind::states), d.states)
      << "<figcaption>One square per state, shaded by the best estimate of people on file in "
         "its filings. Filings count people where they were filed; an announcement that "
         "includes them is counted once in the headline.</figcaption>\n</figure>\n"
      << "<details open><summary>The numbers</summary>\n"
      << totals_table("state", rows, "Every state with a filing, largest first.") << "</details>\n";
  }
  o << "</section>\n";

  // ---- claims
  o << section_open("claims", "Claims against events");
  if (d.claims.empty()) {
    o << "<p class=\"note\">No reported totals (claims) are recorded for this scope. Record "
         "one with <code>layoffs claim add</code> to check it against the events.</p>\n";
  } else {
    o << "<figure>\n"
      << claims_svg(chart_text(d, ChartKind::claims), claim_rows(d))
      << "</figure>\n<table class=\"numbers\"><thead><tr><th>claim</th><th>claimed</th>"
         "<th class=\"n\">range</th><th class=\"n\">events</th><th>verdict</th></tr></thead>"
         "<tbody>\n";
    for (const auto& r : claim_rows(d)) {
      o << "<tr><td>" << h(r.label) << "</td><td>\u201c" << h(r.claimed.phrase())
        << "\u201d</td><td class=\"n\">" << h(range_text(r.claimed.low(), r.claimed.high()))
        << "</td><td class=\"n\">" << h(r.events.to_string()) << "</td><td>" << h(r.verdict)
        << "</td></tr>\n";
    }
    o << "</tbody></table>\n";
  }
  o << "</section>\n";

  // ---- coverage
  o << section_open("coverage", "Announcements on file");
  const auto coverage = coverage_rows(d);
  if (coverage.empty()) {
    o << "<p class=\"note\">No filings (WARN notices) are linked to the announcements in this "
         "scope. Link them with <code>layoffs match --apply</code> (or by hand with "
         "<code>layoffs link</code>) to see what share of each announced cut is on file.</p>\n";
  } else {
    o << "<figure>\n"
      << coverage_svg(chart_text(d, ChartKind::coverage), coverage)
      << "<figcaption>The share is the linked filings&rsquo; best estimate over the "
         "announcement&rsquo;s. Filings are counted inside the announcement they belong to, "
         "never on top of it.</figcaption>\n</figure>\n"
         "<details open><summary>The numbers</summary>\n"
         "<table class=\"numbers\"><caption class=\"note\">"
      << h("Announcements with filings linked: " + std::to_string(coverage.size()) + " of " +
           plural(static_cast<std::int64_t>(d.coverage.size()), "announcement", "announcements") +
           " in scope.")
      << "</caption><thead><tr><th>announcement</th><th>announced</th>"
         "<th class=\"n\">best estimate</th><th class=\"n\">on file</th>"
         "<th class=\"n\">on file, best estimate</th><th class=\"n\">share</th>"
         "<th>by state</th></tr></thead><tbody>\n";
    std::size_t i = 0;
    for (const Coverage& c : d.coverage) {
      if (c.on_file.selected_events == 0 && c.on_file.counted_events == 0) {
        continue;
      }
      const CoverageRow& r = coverage[i++];
      o << "<tr data-event=\"" << c.announcement.value() << "\"><td class=\"label\">" << h(r.label)
        << "</td><td class=\"announced\">\u201c" << h(r.announced.phrase())
        << "\u201d</td><td class=\"n estimate\">"
        << (r.announced.is_unknown() ? std::string("no count")
                                     : format_count(r.announced.estimate()))
        << "</td><td class=\"n on-file\">" << h(r.on_file.to_string())
        << "</td><td class=\"n on-file-estimate\">" << format_count(r.on_file.estimate)
        << "</td><td class=\"n share\">" << h(share_text(r.share)) << "</td><td class=\"states\">"
        << h(r.states) << "</td></tr>\n";
    }
    o << "</tbody></table>\n</details>\n";
  }
  o << "</section>\n";

  o << events_section(d) << quality_section(d);
  o << "<footer>Made by <code>layoffs report</code> " << kVersion
    << (d.options.source_name.empty() ? "" : " from " + h(d.options.source_name))
    << ". Every figure comes from the library&rsquo;s honest totals: nothing is counted twice, "
       "and a count that was not reported is never read as zero.</footer>\n";
  o << "</main>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace layoffs::report
