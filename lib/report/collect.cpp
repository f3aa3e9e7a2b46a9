// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The queries behind the report. Every number comes from Tracker::total,
// totals_by, reconcile or events; nothing here adds headcounts up itself,
// except the "all others" layer of the stacked timeline, which is the
// period's estimate less the stacked companies' (estimates add up exactly
// over any split of the events: docs/ARCHITECTURE.md, "Honest totals").
#include <algorithm>
#include <map>
#include <set>

#include "report.h"

namespace layoffs::report {
namespace {

// Periods as totals_by labels and keys them.
struct Period {
  std::string label;
  std::int64_t key;
};

std::string two(unsigned v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

// Every period of `granularity` from the one holding `first` to the one
// holding `last`, empty ones included, so the time axis has no gaps.
std::vector<Period> periods_between(const Date& first, const Date& last,
                                    const std::string& granularity) {
  std::vector<Period> out;
  int y = first.year();
  unsigned m = first.month();
  if (granularity == "year") {
    for (; y <= last.year(); ++y) {
      out.push_back({std::to_string(y), y});
    }
  } else if (granularity == "quarter") {
    unsigned q = (m - 1) / 3 + 1;
    const unsigned last_q = (last.month() - 1) / 3 + 1;
    while (y < last.year() || (y == last.year() && q <= last_q)) {
      out.push_back({std::to_string(y) + "-Q" + std::to_string(q), y * 10 + q});
      if (++q > 4) {
        q = 1;
        ++y;
      }
    }
  } else {
    while (y < last.year() || (y == last.year() && m <= last.month())) {
      out.push_back({std::to_string(y) + "-" + two(m), y * 100 + m});
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
  return out;
}

Grouping grouping_of(const std::string& granularity) {
  return granularity == "year"      ? Grouping::year
         : granularity == "quarter" ? Grouping::quarter
                                    : Grouping::month;
}

// Monthly bars up to three years, quarterly up to twelve, then yearly: a
// timeline stays readable at 680 px (36 or 48 bars at most).
std::string granularity_for(const Date& first, const Date& last) {
  const int months = (last.year() - first.year()) * 12 + static_cast<int>(last.month()) -
                     static_cast<int>(first.month()) + 1;
  return months <= 36 ? "month" : months <= 48 * 3 ? "quarter" : "year";
}

// The series of the stacked timeline: who, and with which filter.
struct SeriesScope {
  std::string name;
  Filter filter;
};

std::vector<SeriesScope> stack_scopes(const Tracker& t, const ReportOptions& o,
                                      const std::vector<GroupTotal>& company_groups) {
  std::vector<SeriesScope> out;
  const Filter& f = o.filter;
  if (f.company && !f.include_subsidiaries) {
    return out;  // one company's own events: nothing to stack
  }
  if (f.company) {
    // The company's own events, and each direct subsidiary with its subtree,
    // ranked by their estimates (which add up over the per-company groups).
    std::map<std::int64_t, std::int64_t> by_company;
    for (const auto& g : company_groups) {
      by_company[g.key] = g.total.estimate;
    }
    std::vector<std::pair<std::int64_t, SeriesScope>> ranked;
    Filter own = f;
    own.include_subsidiaries = false;
    ranked.push_back({by_company[f.company->value()], {t.company(*f.company).name, own}});
    for (const Company& c : t.companies()) {
      if (c.parent != f.company) {
        continue;
      }
      std::int64_t sum = 0;
      for (const CompanyId id : t.subtree(c.id)) {
        sum += by_company[id.value()];
      }
      Filter sub = f;
      sub.company = c.id;
      ranked.push_back({sum, {c.name, sub}});
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (auto& [estimate, scope] : ranked) {
      if (estimate > 0 && out.size() < o.stack_series) {
        out.push_back(std::move(scope));
      }
    }
    return out;
  }
  for (const auto& g : company_groups) {
    if (out.size() >= o.stack_series || g.total.estimate <= 0) {
      break;
    }
    Filter one = f;
    one.company = CompanyId(g.key);
    one.include_subsidiaries = true;
    out.push_back({g.label, one});
  }
  return out;
}

std::string scope_of(const Tracker& t, const Filter& f) {
  if (!f.company) {
    return "All companies";
  }
  return t.company(*f.company).name +
         (f.include_subsidiaries ? " (incl. subsidiaries)" : " (own events only)");
}

}  // namespace

std::string_view to_string(ChartKind kind) noexcept {
  switch (kind) {
    case ChartKind::timeline:
      return "timeline";
    case ChartKind::companies:
      return "companies";
    case ChartKind::industry:
      return "industry";
    case ChartKind::country:
      return "country";
    case ChartKind::states:
      return "states";
    case ChartKind::claims:
      return "claims";
    case ChartKind::coverage:
      return "coverage";
  }
  return "timeline";
}

ChartKind parse_chart_kind(std::string_view text, std::string_view field) {
  for (const ChartKind k :
       {ChartKind::timeline, ChartKind::companies, ChartKind::industry, ChartKind::country,
        ChartKind::states, ChartKind::claims, ChartKind::coverage}) {
    if (text == to_string(k)) {
      return k;
    }
  }
  throw invalid_field(field, text,
                      "is not a chart (timeline, companies, industry, country, states, claims "
                      "or coverage):");
}

ReportData collect(const Tracker& t, const ReportOptions& o, std::optional<ChartKind> only) {
  ReportData d;
  d.options = o;
  const Filter& f = o.filter;
  const auto wanted = [&](ChartKind k) { return !only || *only == k; };
  d.scope = scope_of(t, f);
  d.company_name = f.company ? t.company(*f.company).name : std::string();
  d.total = t.total(f);

  // The time range: the filter's dates, else the first and last event's.
  std::optional<Date> first = f.from, last = f.to;
  if (!first || !last) {
    const auto earliest = t.events(f, EventOrder::announced_asc, 1);
    const auto latest = t.events(f, EventOrder::announced_desc, 1);
    if (!first && !earliest.empty()) {
      first = earliest.front().announced_on;
    }
    if (!last && !latest.empty()) {
      last = latest.front().announced_on;
    }
  }
  if (first && last && *last < *first) {
    last = first;
  }
  if (first && last) {
    d.period = f.from || f.to
                   ? first->first_day().to_string() + " to " + last->last_day().to_string()
                   : first->to_string() + " to " + last->to_string();
    d.first = first;
    d.last = last;
    d.granularity = granularity_for(first->first_day(), last->last_day());
  } else {
    d.granularity = "month";
  }

  std::vector<GroupTotal> company_groups;
  if (wanted(ChartKind::companies) || wanted(ChartKind::timeline)) {
    // Within one company's tree each company is its own row; across all
    // companies subsidiaries roll into their top-level parent.
    d.companies_grouping = f.company ? "company" : "top company";
    company_groups = t.totals_by(f.company ? Grouping::company : Grouping::top_company, f);
    for (const auto& g : company_groups) {
      d.companies.push_back({g.label, g.total});
    }
  }

  if (wanted(ChartKind::timeline) && first && last) {
    const Grouping g = grouping_of(d.granularity);
    d.timeline_groups = t.totals_by(g, f, Periods::all);
    const auto periods = periods_between(first->first_day(), last->last_day(), d.granularity);
    std::map<std::int64_t, std::size_t> index;
    for (std::size_t i = 0; i < periods.size(); ++i) {
      index[periods[i].key] = i;
      d.timeline.periods.push_back(periods[i].label);
    }
    d.timeline.totals.assign(periods.size(), Total{});
    for (const auto& gt : d.timeline_groups) {
      const auto it = index.find(gt.key);
      if (it != index.end()) {
        d.timeline.totals[it->second] = gt.total;
      }
    }
    const auto scopes = stack_scopes(t, o, company_groups);
    if (scopes.size() > 1) {
      std::vector<std::int64_t> rest(periods.size());
      for (std::size_t i = 0; i < periods.size(); ++i) {
        rest[i] = d.timeline.totals[i].estimate;
      }
      for (const auto& s : scopes) {
        TimelineSeries series{s.name, std::vector<std::int64_t>(periods.size(), 0)};
        for (const auto& gt : t.totals_by(g, s.filter, Periods::all)) {
          const auto it = index.find(gt.key);
          if (it != index.end()) {
            series.estimates[it->second] = gt.total.estimate;
            rest[it->second] -= gt.total.estimate;
          }
        }
        d.timeline.series.push_back(std::move(series));
      }
      if (std::any_of(rest.begin(), rest.end(), [](std::int64_t v) { return v > 0; })) {
        for (auto& v : rest) {
          v = std::max<std::int64_t>(v, 0);
        }
        d.timeline.series.push_back({f.company ? "other subsidiaries" : "all others", rest, true});
      }
    }
  }

  const auto bars = [&](Grouping g) {
    std::vector<BarRow> rows;
    for (const auto& gt : t.totals_by(g, f)) {
      rows.push_back({gt.label, gt.total});
    }
    return rows;
  };
  if (wanted(ChartKind::industry)) {
    d.industries = bars(Grouping::industry);
  }
  if (wanted(ChartKind::country)) {
    d.countries = bars(Grouping::country);
  }
  if (wanted(ChartKind::states)) {
    Filter filings = f;
    filings.kind = EventKind::filing;
    d.filings = t.total(filings);
    for (const auto& gt : t.totals_by(Grouping::us_state, filings)) {
      if (gt.label == "(none)") {
        d.filings_without_state = gt.total;
      } else {
        d.states[gt.label] = gt.total;
      }
    }
  }

  if (wanted(ChartKind::claims)) {
    d.claims = t.reconcile(f);
  }
  // Tracker::coverage loads every announcement in scope; a database with no
  // filing at all (one count, on the kind index) has nothing to show, and
  // skips that cost.
  if (wanted(ChartKind::coverage) && t.count_events(Filter{.kind = EventKind::filing}) > 0) {
    d.coverage = t.coverage(f);
  }

  if (!only) {
    d.event_count = t.count_events(f);
    const auto limit = static_cast<std::int64_t>(o.event_limit);
    if (d.event_count <= limit) {
      d.events = t.events(f, EventOrder::announced_asc);
    } else {
      d.events_are_largest = true;
      d.events = t.events(f, EventOrder::headcount_desc, limit);
      std::stable_sort(d.events.begin(), d.events.end(), [](const Event& a, const Event& b) {
        return a.announced_on < b.announced_on ||
               (a.announced_on == b.announced_on && a.id.value() < b.id.value());
      });
    }
  }
  return d;
}

}  // namespace layoffs::report
