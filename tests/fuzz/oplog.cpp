// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Fuzz target: an operation log on an in-memory Tracker, checked against a
// naive model.
//
// The bytes decode into up to kMaxOps operations: add a company (with or
// without a parent), re-parent one, record an event (company, a date from a
// small range, a headcount from a small set, a source, a key, inclusions of
// existing events), record a batch, update an event (any fields, including
// its inclusions and, back to active, its status), add or drop one inclusion
// (through update), mark an event superseded, retracted or active again
// (set_status, with or without a note), link events to an includer or unlink
// one (Tracker::link, unlink), match filings to announcements (match_filings,
// and apply_matches on some inputs), remove an event, query totals, and
// run several of these inside Tracker::transaction (each failed write caught
// and skipped; the whole transaction committed or rolled back).
//
// The model below is plain C++ written from the public documentation
// (tracker.h, query.h, docs/ARCHITECTURE.md), not from lib/. For every
// operation it predicts whether the library must accept or refuse it, and the
// test asserts the library agreed; an accepted operation is mirrored in the
// model, a refused one leaves the model as it was. After every step, total()
// of everything and of one other selection (in turn) equals the model's
// total by the documented counting rules (statuses included; bounds flowing
// upward: counted figures, and inclusions refused when an includer has no
// room for what it includes; unmatched_filings). Departments and reasons
// keep the order given.
// Events are announcements or filings (the key byte's high bit); an
// announcement may include filings up to Options::filing_window_days later.
// At the end (the full comparison):
//  - Tracker::check() (integrity_check, foreign_key_check) finds nothing (on
//    one input in eight, and every input of the corpus replay);
//  - events() and companies() hold exactly the model's events and companies,
//    with the same inclusions and statuses;
//  - for several filters (everything, each company with and without its
//    subsidiaries, a date window, a company and a window, a department)
//    total() equals the model's, and selected_events == counted + inside +
//    superseded + retracted == count_events() == the selection's size, so no
//    event is counted twice or lost.
// Every state a step reaches is also the last state of the input cut after
// that step, which gets the full comparison (so it runs only at the end: run
// after every 8th step as well, it took a third of the time of an input). Every total compared is
// also checked sound (DESIGN.md "What makes a total honest"): in three true worlds (every event at
// its low, at its high, and one in between; each includer at least what it includes), the
// selection's own people lie within it. Query operations also compare totals_by() for every
// grouping. At the end, the JSON Lines export round-trips (see check_export_round_trip; on one
// input in eight by its bytes, and every input of the corpus replay).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <layoffs/layoffs.h>

#include "fuzz_check.h"

#ifdef LAYOFFS_FUZZ_HAVE_IO
#include <sstream>

#include "export.h"
#include "import.h"
#endif

namespace {

using layoffs::CompanyId;
using layoffs::Date;
using layoffs::Error;
using layoffs::ErrorCode;
using layoffs::EventId;
using layoffs::Filter;
using layoffs::Grouping;
using layoffs::Headcount;
using layoffs::HeadcountKind;
using layoffs::NewCompany;
using layoffs::NewEvent;
using layoffs::Total;
using layoffs::Tracker;

constexpr int kMaxOps = 48;

// ---- The small world the operations draw from ------------------------------

struct DateChoice {
  const char* text;   // as given to Date::parse
  const char* first;  // first day of the period, ISO
  const char* last;   // last day of the period, ISO
};

constexpr std::array<DateChoice, 13> kDates{{
    {"2022-12-31", "2022-12-31", "2022-12-31"},
    {"2023-01-01", "2023-01-01", "2023-01-01"},
    {"2023-01-15", "2023-01-15", "2023-01-15"},
    {"2023-01-31", "2023-01-31", "2023-01-31"},
    {"2023-02-01", "2023-02-01", "2023-02-01"},
    {"2023-02-28", "2023-02-28", "2023-02-28"},
    {"2023-03-01", "2023-03-01", "2023-03-01"},
    {"2023-12-31", "2023-12-31", "2023-12-31"},
    {"2022-12", "2022-12-01", "2022-12-31"},
    {"2023-01", "2023-01-01", "2023-01-31"},
    {"2023-02", "2023-02-01", "2023-02-28"},
    {"2022", "2022-01-01", "2022-12-31"},
    {"2023", "2023-01-01", "2023-12-31"},
}};

constexpr std::int64_t kUnbounded = -1;

// A headcount and the interval headcount.h documents for it.
struct CountChoice {
  HeadcountKind kind;
  std::int64_t low;
  std::int64_t high;  // kUnbounded for none
  std::int64_t estimate;
  const char* phrase;  // parsed when set, else built by the kind's factory
};

constexpr std::array<CountChoice, 21> kCounts{{
    {HeadcountKind::exact, 0, 0, 0, nullptr},
    {HeadcountKind::exact, 1, 1, 1, nullptr},
    {HeadcountKind::exact, 10, 10, 10, nullptr},
    {HeadcountKind::exact, 100, 100, 100, nullptr},
    {HeadcountKind::exact, 1000, 1000, 1000, nullptr},
    {HeadcountKind::exact, 100'000'000, 100'000'000, 100'000'000, nullptr},
    {HeadcountKind::about, 10, 10, 10, nullptr},
    {HeadcountKind::about, 1000, 1000, 1000, nullptr},
    {HeadcountKind::at_least, 10, kUnbounded, 10, nullptr},
    {HeadcountKind::at_least, 1000, kUnbounded, 1000, nullptr},
    {HeadcountKind::up_to, 0, 50, 50, nullptr},
    {HeadcountKind::up_to, 0, 1000, 1000, nullptr},
    {HeadcountKind::range, 10, 20, 15, nullptr},
    {HeadcountKind::range, 40, 60, 50, nullptr},
    {HeadcountKind::range, 0, 7, 3, nullptr},
    {HeadcountKind::phrase, 2, 9, 5, "a handful"},
    {HeadcountKind::phrase, 300, 999, 500, "several hundred"},
    {HeadcountKind::phrase, 2000, 9999, 5000, "thousands"},
    {HeadcountKind::unknown, 0, kUnbounded, 0, nullptr},
    {HeadcountKind::at_least, 18000, kUnbounded, 18000, "just over 18,000"},
    {HeadcountKind::at_least, 18000, kUnbounded, 18000, nullptr},
}};

constexpr std::array<const char*, 6> kNames{
    {"Acme", "Beta Corp", "Gamma", "Delta Labs", "Epsilon", "Zeta"}};

constexpr std::array<const char*, 3> kUrls{
    {"", "https://news.example/a", "https://news.example/b"}};

constexpr std::array<const char*, 4> kKeys{{"", "k1", "k2", "k3"}};

// Tracker::set_status: a non-active event counts nowhere and is transparent
// to inclusions; a note is only for a non-active one.
constexpr std::array<layoffs::EventStatus, 3> kStatuses{{layoffs::EventStatus::active,
                                                         layoffs::EventStatus::superseded,
                                                         layoffs::EventStatus::retracted}};
constexpr std::array<const char*, 3> kNotes{
    {"", "superseded by the amended notice", "denied by the company"}};

// Departments and reasons are tags matched ignoring case and repeated
// whitespace: the first spelling stored is the one shown. A reason's
// category, once set, is kept; a different one later is refused.
struct Tag {
  const char* name;
  const char* key;  // the name folded as the library matches it
};

constexpr std::array<Tag, 3> kDepartments{
    {{"Sales", "sales"}, {"sales", "sales"}, {"Engineering", "engineering"}}};

struct ReasonChoice {
  const char* name;
  const char* key;
  std::optional<layoffs::ReasonCategory> category;
};

const std::array<ReasonChoice, 3> kReasons{{
    {"Cost cutting", "cost cutting", std::nullopt},
    {"cost  cutting", "cost cutting", layoffs::ReasonCategory::cost_cutting},
    {"COST CUTTING", "cost cutting", layoffs::ReasonCategory::restructuring},
}};

// Names a filter may ask for (the last of each matches nothing).
constexpr std::array<Tag, 3> kDepartmentFilters{
    {{"SALES", "sales"}, {"engineering", "engineering"}, {"Marketing", "marketing"}}};
constexpr std::array<Tag, 2> kReasonFilters{{{"cost cutting", "cost cutting"}, {"other", "other"}}};

std::string quote(const std::string& s) {
  return layoffs::fuzz::quoted(s);
}

Headcount build_count(const CountChoice& c) {
  if (c.phrase != nullptr) {
    return Headcount::parse(c.phrase);
  }
  switch (c.kind) {
    case HeadcountKind::exact:
      return Headcount::exact(c.low);
    case HeadcountKind::about:
      return Headcount::about(c.low);
    case HeadcountKind::at_least:
      return Headcount::at_least(c.low);
    case HeadcountKind::up_to:
      return Headcount::up_to(c.high);
    case HeadcountKind::range:
      return Headcount::range(c.low, c.high);
    case HeadcountKind::phrase:
    case HeadcountKind::unknown:
      break;
  }
  return Headcount::unknown();
}

// The library's values for the choices above, built once and checked
// against the documented bounds.
struct Values {
  std::vector<Date> dates;
  std::vector<Headcount> counts;
};

const Values& values() {
  static const Values v = [] {
    Values out;
    for (const DateChoice& d : kDates) {
      out.dates.push_back(Date::parse(d.text));
      FUZZ_CHECK(out.dates.back().iso() == d.first, d.text);
      FUZZ_CHECK(out.dates.back().last_day().iso() == d.last, d.text);
    }
    for (const CountChoice& c : kCounts) {
      const Headcount h = build_count(c);
      const std::optional<std::int64_t> high =
          c.high == kUnbounded ? std::nullopt : std::optional<std::int64_t>(c.high);
      FUZZ_CHECK(
          h.kind() == c.kind && h.low() == c.low && h.high() == high && h.estimate() == c.estimate,
          "headcount " + quote(h.phrase()) + " is not as documented");
      out.counts.push_back(h);
    }
    return out;
  }();
  return v;
}

// ---- The model -------------------------------------------------------------

// What an event is made of, as indexes into the tables above.
struct Spec {
  std::int64_t company = 0;
  std::size_t date = 0;
  std::size_t count = 0;
  std::size_t url = 0;
  std::size_t key = 0;
  bool filing = false;       // EventKind::filing, else an announcement
  unsigned departments = 0;  // bit i: kDepartments[i]
  unsigned reasons = 0;      // bit i: kReasons[i]
  std::vector<std::int64_t> includes;
  std::size_t status = 0;  // index into kStatuses (set_status; update keeps it)
  std::size_t note = 0;    // index into kNotes
};

struct MEvent {
  Spec spec;
  std::optional<std::int64_t> included_by;
};

struct MCompany {
  std::size_t name = 0;  // index into kNames: names match ignoring case and spacing
  std::string given;     // the spelling it was added with
  std::optional<std::int64_t> parent;
};

struct Model {
  std::map<std::int64_t, MCompany> companies;
  std::map<std::int64_t, MEvent> events;
  // The tag tables: rows stay when their events go.
  std::map<std::string, std::string> departments;  // key -> name shown
  std::map<std::string, std::pair<std::string, std::optional<layoffs::ReasonCategory>>> reasons;
};

// The department keys of an event, in the order given (issue 13); a
// repeat (another spelling of the same key) folds into the first.
std::vector<std::string> department_keys(const Spec& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kDepartments.size(); ++i) {
    if ((s.departments & (1u << i)) &&
        std::find(out.begin(), out.end(), kDepartments[i].key) == out.end()) {
      out.emplace_back(kDepartments[i].key);
    }
  }
  return out;
}

// The reasons of an event: per key, the first listed.
std::vector<const ReasonChoice*> reason_list(const Spec& s) {
  std::vector<const ReasonChoice*> out;
  for (std::size_t i = 0; i < kReasons.size(); ++i) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const ReasonChoice* r) {
      return std::string(r->key) == kReasons[i].key;
    });
    if ((s.reasons & (1u << i)) && !seen) {
      out.push_back(&kReasons[i]);
    }
  }
  return out;
}

// An interval as query.h describes a contribution.
struct Interval {
  std::int64_t low = 0;
  std::optional<std::int64_t> high = 0;
  std::int64_t estimate = 0;
  bool approximate = false;
  bool unknown = false;
};

Interval interval_of(const Spec& s) {
  const CountChoice& c = kCounts[s.count];
  Interval iv;
  iv.low = c.low;
  iv.high = c.high == kUnbounded ? std::nullopt : std::optional<std::int64_t>(c.high);
  iv.estimate = c.estimate;
  iv.approximate = c.kind == HeadcountKind::about || c.kind == HeadcountKind::phrase;
  iv.unknown = c.kind == HeadcountKind::unknown;
  return iv;
}

// The remainder rule of query.h and ARCHITECTURE.md: [max(0, low - sum of
// highs), high - sum of lows], estimate minus the estimates, clamped into the
// bounds; high never below low; unbounded stays unbounded.
Interval remainder(const Interval& outer, const std::vector<Interval>& removed) {
  std::int64_t sum_low = 0;
  std::int64_t sum_estimate = 0;
  std::optional<std::int64_t> sum_high = 0;
  Interval out = outer;
  for (const Interval& r : removed) {
    sum_low += r.low;
    sum_estimate += r.estimate;
    if (sum_high && r.high) {
      *sum_high += *r.high;
    } else {
      sum_high.reset();
    }
    out.approximate = out.approximate || r.approximate;
  }
  out.low = sum_high ? std::max<std::int64_t>(0, outer.low - *sum_high) : 0;
  if (outer.high) {
    out.high = std::max(out.low, *outer.high - sum_low);
  }
  out.estimate =
      std::max<std::int64_t>(std::max<std::int64_t>(0, outer.estimate - sum_estimate), out.low);
  if (out.high) {
    out.estimate = std::min(out.estimate, *out.high);
  }
  return out;
}

// ---- Bounds flow upward (ARCHITECTURE.md "Honest totals") -------------------
//
// Over the forest of active events (each active event hangs under its
// nearest active includer), an includer counts with [max(low, sum of its
// parts' lows), high] and estimate max(estimate, sum of its parts'
// estimates), clamped into the interval; it turns approximate when raised by
// an approximate part, and is no longer unknown once its low is above 0.
// Then, top down, where the parts' estimates add up to more than their
// includer's, they are lowered toward their lows until they fit: each by its
// share (estimate - low) of the excess, rounded up, so that no part depends
// on the order of the parts or their ids.

using Children = std::map<std::int64_t, std::vector<std::int64_t>>;

bool is_active(const MEvent& e) {
  return e.spec.status == 0;
}

// The nearest active event above `id`, if any.
std::optional<std::int64_t> active_includer(const Model& m, std::int64_t id) {
  std::optional<std::int64_t> up = m.events.at(id).included_by;
  while (up && !is_active(m.events.at(*up))) {
    up = m.events.at(*up).included_by;
  }
  return up;
}

// The active events directly below each active includer, in id order.
Children active_children(const Model& m) {
  Children out;
  for (const auto& [id, e] : m.events) {
    if (!is_active(e)) {
      continue;
    }
    if (const auto up = active_includer(m, id)) {
      out[*up].push_back(id);
    }
  }
  return out;
}

const std::vector<std::int64_t>& kids_of(const Children& c, std::int64_t id) {
  static const std::vector<std::int64_t> none;
  const auto it = c.find(id);
  return it == c.end() ? none : it->second;
}

void raise_figure(const Model& m, const Children& c, std::int64_t id,
                  std::map<std::int64_t, Interval>& out) {
  Interval f = interval_of(m.events.at(id).spec);
  const auto& kids = kids_of(c, id);
  if (!kids.empty()) {
    std::int64_t sum_low = 0;
    std::int64_t sum_estimate = 0;
    bool approximate = false;
    for (const std::int64_t k : kids) {
      raise_figure(m, c, k, out);
      sum_low += out.at(k).low;
      sum_estimate += out.at(k).estimate;
      approximate = approximate || out.at(k).approximate;
    }
    const bool raised = sum_low > f.low || sum_estimate > f.estimate;
    f.low = std::max(f.low, sum_low);
    if (f.high) {
      f.high = std::max(*f.high, f.low);
    }
    f.estimate = std::max({f.estimate, sum_estimate, f.low});
    if (f.high) {
      f.estimate = std::min(f.estimate, *f.high);
    }
    f.approximate = f.approximate || (raised && approximate);
    f.unknown = f.unknown && f.low == 0;
  }
  out[id] = f;
}

void lower_parts(const Children& c, std::int64_t id, std::map<std::int64_t, Interval>& f) {
  const auto& kids = kids_of(c, id);
  std::int64_t sum = 0;
  std::int64_t slack = 0;
  for (const std::int64_t k : kids) {
    sum += f.at(k).estimate;
    slack += f.at(k).estimate - f.at(k).low;
  }
  std::int64_t excess = sum - f.at(id).estimate;
  if (excess > 0 && slack > 0) {
    excess = std::min(excess, slack);
    for (const std::int64_t k : kids) {
      const std::int64_t room = f.at(k).estimate - f.at(k).low;
      // Exact: the rooms here are small (at most a few thousand each).
      // Rounded up, so no part depends on its id or the order of links.
      const auto share = static_cast<std::int64_t>(
          (static_cast<unsigned long long>(room) * static_cast<unsigned long long>(excess) +
           static_cast<unsigned long long>(slack) - 1) /
          static_cast<unsigned long long>(slack));
      f.at(k).estimate -= std::min(share, room);
    }
  }
  for (const std::int64_t k : kids) {
    lower_parts(c, k, f);
  }
}

// The counted figure of every active event.
std::map<std::int64_t, Interval> counted_figures(const Model& m, const Children& c) {
  std::map<std::int64_t, Interval> out;
  for (const auto& [id, e] : m.events) {
    if (is_active(e) && !active_includer(m, id)) {
      raise_figure(m, c, id, out);
      lower_parts(c, id, out);
    }
  }
  return out;
}

// tracker.h (link) and ARCHITECTURE.md: an includer must have room for the
// lows of what it includes: its high, for "about n" n + 10 % (rounded down).
// Why the model's inclusions cannot hold, or "".
std::string room_error(const Model& m) {
  const Children c = active_children(m);
  const std::map<std::int64_t, Interval> f = counted_figures(m, c);
  for (const auto& [id, kids] : c) {
    const CountChoice& own = kCounts[m.events.at(id).spec.count];
    if (own.high == kUnbounded) {
      continue;
    }
    const std::int64_t room =
        own.kind == HeadcountKind::about ? own.high + own.high / 10 : own.high;
    std::int64_t need = 0;
    for (const std::int64_t k : kids) {
      need += f.at(k).low;
    }
    if (need > room) {
      return "event " + std::to_string(id) + " has room for " + std::to_string(room) +
             ", its parts need " + std::to_string(need);
    }
  }
  return "";
}

struct MTotal {
  std::int64_t low = 0;
  std::optional<std::int64_t> high = 0;
  std::int64_t estimate = 0;
  int counted_events = 0;
  int unknown_events = 0;
  int inside_events = 0;
  int superseded_events = 0;
  int retracted_events = 0;
  bool approximate = false;
  std::size_t selected = 0;
  // query.h: counted filings that no active event includes, when an
  // announcement is counted too; else 0.
  int unmatched_filings = 0;
};

std::optional<std::int64_t> root_of(const Model& m, std::int64_t company) {
  std::int64_t cursor = company;
  for (std::size_t depth = 0; depth <= m.companies.size(); ++depth) {
    const auto it = m.companies.find(cursor);
    if (it == m.companies.end()) {
      return std::nullopt;
    }
    if (!it->second.parent) {
      return cursor;
    }
    cursor = *it->second.parent;
  }
  return std::nullopt;  // a cycle: the model never makes one
}

bool in_subtree(const Model& m, std::int64_t company, std::int64_t top) {
  std::optional<std::int64_t> cursor = company;
  for (std::size_t depth = 0; cursor && depth <= m.companies.size(); ++depth) {
    if (*cursor == top) {
      return true;
    }
    const auto it = m.companies.find(*cursor);
    cursor = it == m.companies.end() ? std::nullopt : it->second.parent;
  }
  return false;
}

struct MFilter {
  std::optional<std::int64_t> company;
  bool subsidiaries = true;
  std::optional<std::size_t> from;
  std::optional<std::size_t> to;
  std::optional<std::size_t> department;  // index into kDepartmentFilters
  std::optional<std::size_t> reason;      // index into kReasonFilters
};

Filter to_filter(const MFilter& f) {
  Filter out;
  if (f.company) {
    out.company = CompanyId(*f.company);
  }
  out.include_subsidiaries = f.subsidiaries;
  if (f.from) {
    out.from = values().dates[*f.from];
  }
  if (f.to) {
    out.to = values().dates[*f.to];
  }
  if (f.department) {
    out.departments.push_back(kDepartmentFilters[*f.department].name);
  }
  if (f.reason) {
    out.reasons.push_back(kReasonFilters[*f.reason].name);
  }
  return out;
}

std::string describe(const MFilter& f) {
  std::string s = "filter{";
  if (f.company) {
    s += "company " + std::to_string(*f.company) + (f.subsidiaries ? " +subs" : " alone");
  }
  if (f.from) {
    s += std::string(" from ") + kDates[*f.from].text;
  }
  if (f.to) {
    s += std::string(" to ") + kDates[*f.to].text;
  }
  if (f.department) {
    s += std::string(" department ") + kDepartmentFilters[*f.department].name;
  }
  if (f.reason) {
    s += std::string(" reason ") + kReasonFilters[*f.reason].name;
  }
  return s + "}";
}

// Why the library must refuse the filter, or "" if it must accept it.
std::string filter_error(const Model& m, const MFilter& f) {
  if (f.company && !m.companies.count(*f.company)) {
    return "unknown company";
  }
  if (f.from && f.to && std::string(kDates[*f.to].last) < kDates[*f.from].first) {
    return "to before from";
  }
  return "";
}

std::set<std::int64_t> select(const Model& m, const MFilter& f) {
  std::set<std::int64_t> out;
  for (const auto& [id, e] : m.events) {
    if (f.company) {
      const bool in =
          f.subsidiaries ? in_subtree(m, e.spec.company, *f.company) : e.spec.company == *f.company;
      if (!in) {
        continue;
      }
    }
    const std::string first = kDates[e.spec.date].first;
    if (f.from && first < kDates[*f.from].first) {
      continue;
    }
    if (f.to && first > kDates[*f.to].last) {
      continue;
    }
    if (f.department) {
      const auto keys = department_keys(e.spec);
      if (std::find(keys.begin(), keys.end(), kDepartmentFilters[*f.department].key) ==
          keys.end()) {
        continue;
      }
    }
    if (f.reason) {
      const auto reasons = reason_list(e.spec);
      if (std::none_of(reasons.begin(), reasons.end(), [&](const ReasonChoice* r) {
            return std::string(r->key) == kReasonFilters[*f.reason].key;
          })) {
        continue;
      }
    }
    out.insert(id);
  }
  return out;
}

// The counting rules (query.h, ARCHITECTURE.md "Honest totals"), naively,
// over the active forest and its counted figures: a superseded or retracted
// event counts nowhere and is transparent to inclusions (what it includes
// belongs to the nearest active event above it). An active event whose
// nearest active includer is selected is skipped (inside); any other adds
// its contribution: its figure less each unselected part below it, walking
// down through the selected parts, and at least the sum of what those
// selected parts add.
// The unselected parts taken out are all those reached through selected
// parts, not only the direct ones: with 3 including 2 including 1 and only
// 2 and 3 selected, 1's people are inside 3's figure too (the model took
// out only direct parts until the fuzzer found regress-model-nested-part).
Interval contribution(const Children& c, const std::map<std::int64_t, Interval>& figures,
                      const std::set<std::int64_t>& selected, std::int64_t id,
                      std::vector<Interval>& removed) {
  const std::size_t first = removed.size();
  std::int64_t floor = 0;
  bool approximate = false;
  for (const std::int64_t k : kids_of(c, id)) {
    if (selected.count(k)) {
      const Interval inner = contribution(c, figures, selected, k, removed);
      floor += inner.low;
      approximate = approximate || inner.approximate;
    } else {
      removed.push_back(figures.at(k));
    }
  }
  Interval out = remainder(
      figures.at(id),
      std::vector<Interval>(removed.begin() + static_cast<std::ptrdiff_t>(first), removed.end()));
  if (floor > out.low) {
    out.low = floor;
    out.approximate = out.approximate || approximate;
    if (out.high) {
      out.high = std::max(*out.high, out.low);
    }
    out.estimate = std::max(out.estimate, out.low);
  }
  return out;
}

MTotal model_total(const Model& m, const std::set<std::int64_t>& selected) {
  MTotal t;
  t.selected = selected.size();
  const Children children = active_children(m);
  const std::map<std::int64_t, Interval> figures = counted_figures(m, children);
  int counted_announcements = 0;
  int unmatched = 0;
  for (const std::int64_t id : selected) {
    const MEvent& e = m.events.at(id);
    if (!is_active(e)) {
      ++(kStatuses[e.spec.status] == layoffs::EventStatus::superseded ? t.superseded_events
                                                                      : t.retracted_events);
      continue;
    }
    if (const auto includer = active_includer(m, id); includer && selected.count(*includer)) {
      ++t.inside_events;
      continue;
    }
    if (!e.spec.filing) {
      ++counted_announcements;
    } else if (!active_includer(m, id)) {
      ++unmatched;
    }
    std::vector<Interval> removed;
    const Interval c = contribution(children, figures, selected, id, removed);
    t.low += c.low;
    if (t.high && c.high) {
      *t.high += *c.high;
    } else {
      t.high.reset();
    }
    t.estimate += c.estimate;
    ++t.counted_events;
    t.unknown_events += c.unknown ? 1 : 0;
    t.approximate = t.approximate || c.approximate;
  }
  t.unmatched_filings = counted_announcements > 0 ? unmatched : 0;
  return t;
}

std::string describe(const Total& t) {
  return "low " + std::to_string(t.low) + " high " +
         (t.high ? std::to_string(*t.high) : std::string("unbounded")) + " estimate " +
         std::to_string(t.estimate) + " counted " + std::to_string(t.counted_events) + " unknown " +
         std::to_string(t.unknown_events) + " inside " + std::to_string(t.inside_events) +
         " superseded " + std::to_string(t.superseded_events) + " retracted " +
         std::to_string(t.retracted_events) + " unmatched filings " +
         std::to_string(t.unmatched_filings) + (t.approximate ? " approximate" : "");
}

std::string describe(const MTotal& t) {
  Total x;
  x.low = t.low;
  x.high = t.high;
  x.estimate = t.estimate;
  x.counted_events = t.counted_events;
  x.unknown_events = t.unknown_events;
  x.inside_events = t.inside_events;
  x.superseded_events = t.superseded_events;
  x.retracted_events = t.retracted_events;
  x.approximate = t.approximate;
  x.unmatched_filings = t.unmatched_filings;
  return describe(x) + " (selected " + std::to_string(t.selected) + ")";
}

// ---- Soundness (DESIGN.md "What makes a total honest") ------------------------
//
// A true world: a count for each active event inside its documented interval,
// each includer at least the sum of what it includes (over the active forest).
// A selection's true count is what its events hold of their own (an event's
// count less its parts' counts): that is what adds up over any split. Every
// total must contain it. Worlds: every event as low as it can be (seed 0),
// as high (1: an unbounded one at low + twice its estimate + 7), or in
// between by a hash of the seed and the event. A world the intervals do not
// allow (parts above their includer's high) is skipped.

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

bool world_value(const Model& m, const Children& c, std::int64_t id, std::uint64_t seed,
                 std::map<std::int64_t, std::int64_t>& out) {
  std::int64_t sum = 0;
  for (const std::int64_t k : kids_of(c, id)) {
    if (!world_value(m, c, k, seed, out)) {
      return false;
    }
    sum += out.at(k);
  }
  const Interval iv = interval_of(m.events.at(id).spec);
  const std::int64_t lo = std::max(iv.low, sum);
  const std::int64_t hi = iv.high ? *iv.high : lo + 2 * std::max(iv.estimate, sum) + 7;
  if (lo > hi) {
    return false;
  }
  std::int64_t t = lo;
  if (seed == 1) {
    t = hi;
  } else if (seed > 1) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    t = lo +
        static_cast<std::int64_t>(mix(seed * 1000003u + static_cast<std::uint64_t>(id)) % span);
  }
  out[id] = t;
  return true;
}

// Each active event's own count in the world `seed`, or nothing if the
// intervals do not allow that world.
std::optional<std::map<std::int64_t, std::int64_t>> own_counts(const Model& m, const Children& c,
                                                               std::uint64_t seed) {
  std::map<std::int64_t, std::int64_t> world;
  for (const auto& [id, e] : m.events) {
    if (is_active(e) && !active_includer(m, id) && !world_value(m, c, id, seed, world)) {
      return std::nullopt;
    }
  }
  std::map<std::int64_t, std::int64_t> own = world;
  for (const auto& [id, kids] : c) {
    for (const std::int64_t k : kids) {
      own.at(id) -= world.at(k);
    }
  }
  return own;
}

// Why `got` is not sound for the selection in some world, or "".
std::string soundness_error(const Model& m, const std::set<std::int64_t>& selected,
                            const Total& got, std::uint64_t salt) {
  const Children c = active_children(m);
  for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, salt + 2}) {
    const auto own = own_counts(m, c, seed);
    if (!own) {
      continue;
    }
    std::int64_t truth = 0;
    for (const std::int64_t id : selected) {
      if (const auto it = own->find(id); it != own->end()) {
        truth += it->second;
      }
    }
    if (truth < got.low || (got.high && truth > *got.high)) {
      std::string world;
      for (const auto& [id, n] : *own) {
        world += " " + std::to_string(id) + ":" + std::to_string(n);
      }
      return "in the true world " + std::to_string(seed) + " (own counts" + world +
             ") the selection holds " + std::to_string(truth);
    }
  }
  return "";
}

bool same(const Total& got, const MTotal& want) {
  return got.low == want.low && got.high == want.high && got.estimate == want.estimate &&
         got.counted_events == want.counted_events && got.unknown_events == want.unknown_events &&
         got.inside_events == want.inside_events &&
         got.superseded_events == want.superseded_events &&
         got.retracted_events == want.retracted_events && got.approximate == want.approximate &&
         got.unmatched_filings == want.unmatched_filings &&
         static_cast<std::size_t>(got.selected_events) == want.selected &&
         got.counted_events + got.inside_events + got.superseded_events + got.retracted_events ==
             got.selected_events;
}

std::string describe(const Spec& s) {
  std::string out = "company " + std::to_string(s.company) + " on " + kDates[s.date].text + ", " +
                    values().counts[s.count].phrase();
  if (s.url != 0) {
    out += std::string(", source ") + kUrls[s.url];
  }
  if (s.key != 0) {
    out += std::string(", key ") + kKeys[s.key];
  }
  if (s.filing) {
    out += ", filing";
  }
  for (std::size_t i = 0; i < kDepartments.size(); ++i) {
    if (s.departments & (1u << i)) {
      out += std::string(", department ") + quote(kDepartments[i].name);
    }
  }
  for (std::size_t i = 0; i < kReasons.size(); ++i) {
    if (s.reasons & (1u << i)) {
      out += std::string(", reason ") + quote(kReasons[i].name) +
             (kReasons[i].category ? "/" + std::string(to_string(*kReasons[i].category)) : "");
    }
  }
  if (s.status != 0) {
    out += ", " + std::string(to_string(kStatuses[s.status])) + " " + quote(kNotes[s.note]);
  }
  if (!s.includes.empty()) {
    out += ", includes";
    for (const std::int64_t i : s.includes) {
      out += " " + std::to_string(i);
    }
  }
  return out;
}

std::string describe(const Model& m) {
  std::string out = "model companies:";
  for (const auto& [id, c] : m.companies) {
    out += " " + std::to_string(id) + "=" + c.given;
    if (c.parent) {
      out += "(<" + std::to_string(*c.parent) + ")";
    }
  }
  out += "\nmodel departments:";
  for (const auto& [key, name] : m.departments) {
    out += " " + quote(name);
  }
  out += "\nmodel reasons:";
  for (const auto& [key, r] : m.reasons) {
    out += " " + quote(r.first) + (r.second ? "/" + std::string(to_string(*r.second)) : "");
  }
  out += "\nmodel events:\n";
  for (const auto& [id, e] : m.events) {
    out += "  " + std::to_string(id) + ": " + describe(e.spec);
    if (e.included_by) {
      out += " [included by " + std::to_string(*e.included_by) + "]";
    }
    out += "\n";
  }
  return out;
}

NewEvent to_new_event(const Spec& s) {
  NewEvent e;
  e.company = CompanyId(s.company);
  e.announced_on = values().dates[s.date];
  e.headcount = values().counts[s.count];
  if (s.url != 0) {
    e.sources.push_back({.url = kUrls[s.url]});
  }
  e.key = kKeys[s.key];
  e.kind = s.filing ? layoffs::EventKind::filing : layoffs::EventKind::announcement;
  for (std::size_t i = 0; i < kDepartments.size(); ++i) {
    if (s.departments & (1u << i)) {
      e.departments.push_back(kDepartments[i].name);
    }
  }
  for (std::size_t i = 0; i < kReasons.size(); ++i) {
    if (s.reasons & (1u << i)) {
      e.reasons.push_back({.name = kReasons[i].name, .category = kReasons[i].category});
    }
  }
  for (const std::int64_t i : s.includes) {
    e.includes.emplace_back(i);
  }
  e.status = kStatuses[s.status];
  e.status_note = kNotes[s.note];
  return e;
}

// ---- Predictions: what tracker.h says must happen ---------------------------

// The outcome the model predicts for a write.
struct Prediction {
  std::string refused;                 // why it must fail; "" if it must succeed
  std::optional<std::int64_t> reuses;  // the existing event a record must return
};

bool has_repeats(const std::vector<std::int64_t>& ids) {
  std::set<std::int64_t> seen;
  for (const std::int64_t i : ids) {
    if (!seen.insert(i).second) {
      return true;
    }
  }
  return false;
}

bool contains(const std::vector<std::int64_t>& ids, std::int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The event `s` duplicates: by key if it has one, else a keyless event with
// the same company, date and precision, headcount kind and bounds, and first
// source URL.
std::optional<std::int64_t> duplicate_of(const Model& m, const Spec& s,
                                         std::optional<std::int64_t> except) {
  for (const auto& [id, e] : m.events) {
    if (except && id == *except) {
      continue;
    }
    if (s.key != 0) {
      if (e.spec.key == s.key) {
        return id;
      }
      continue;
    }
    const CountChoice& a = kCounts[s.count];
    const CountChoice& b = kCounts[e.spec.count];
    if (e.spec.key == 0 && e.spec.company == s.company && e.spec.date == s.date &&
        a.kind == b.kind && a.low == b.low && a.high == b.high && e.spec.url == s.url) {
      return id;
    }
  }
  return std::nullopt;
}

// Days since 1970-01-01 of an ISO date (the civil calendar).
std::int64_t day_number(const std::string& iso) {
  std::int64_t y = std::stoll(iso.substr(0, 4));
  const std::int64_t mo = std::stoll(iso.substr(5, 2));
  const std::int64_t d = std::stoll(iso.substr(8, 2));
  y -= mo <= 2 ? 1 : 0;
  const std::int64_t era = y / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Options::filing_window_days (the default).
constexpr std::int64_t kFilingWindowDays = 90;

// tracker.h, model.h: an event may include events that begin by the end of
// its own period; an announcement also filings up to 90 days after that.
bool may_include(const Spec& outer, const Spec& inner) {
  const std::string first = kDates[inner.date].first;
  if (first <= kDates[outer.date].last) {
    return true;
  }
  return !outer.filing && inner.filing &&
         day_number(first) <= day_number(kDates[outer.date].last) + kFilingWindowDays;
}

// Does event `from` include `target`, directly or through included events?
bool reaches(const Model& m, std::int64_t from, std::int64_t target) {
  std::vector<std::int64_t> pending{from};
  std::set<std::int64_t> seen;
  while (!pending.empty()) {
    const std::int64_t x = pending.back();
    pending.pop_back();
    if (x == target) {
      return true;
    }
    if (!seen.insert(x).second) {
      continue;
    }
    for (const std::int64_t c : m.events.at(x).spec.includes) {
      pending.push_back(c);
    }
  }
  return false;
}

// The inclusion rules for event `self` (none for a new one) with spec `s`.
std::string inclusion_error(const Model& m, const Spec& s, std::optional<std::int64_t> self) {
  const auto root = root_of(m, s.company);
  for (const std::int64_t inc : s.includes) {
    if (self && inc == *self) {
      return "includes itself";
    }
    const auto it = m.events.find(inc);
    if (it == m.events.end()) {
      return "includes unknown event " + std::to_string(inc);
    }
    if (!may_include(s, it->second.spec)) {
      return "includes later event " + std::to_string(inc);
    }
    if (it->second.included_by && (!self || *it->second.included_by != *self)) {
      return "includes event " + std::to_string(inc) + ", already included by " +
             std::to_string(*it->second.included_by);
    }
    if (root_of(m, it->second.spec.company) != root) {
      return "includes event " + std::to_string(inc) + " of another company tree";
    }
    if (self && reaches(m, inc, *self)) {
      return "includes event " + std::to_string(inc) + ", which includes it";
    }
  }
  return "";
}

// A reason whose category differs from the one already recorded is refused.
std::string tag_error(const Model& m, const Spec& s) {
  for (const ReasonChoice* r : reason_list(s)) {
    const auto it = m.reasons.find(r->key);
    if (r->category && it != m.reasons.end() && it->second.second &&
        *it->second.second != *r->category) {
      return std::string("reason ") + quote(r->name) + " conflicts with category " +
             std::string(to_string(*it->second.second));
    }
  }
  return "";
}

// New tags are added with the spelling given; a category fills in a reason
// that had none.
void apply_tags(Model& m, const Spec& s) {
  for (std::size_t i = 0; i < kDepartments.size(); ++i) {
    if (s.departments & (1u << i)) {
      m.departments.emplace(kDepartments[i].key, kDepartments[i].name);
    }
  }
  for (const ReasonChoice* r : reason_list(s)) {
    auto [it, added] = m.reasons.emplace(r->key, std::pair{std::string(r->name), r->category});
    if (!added && !it->second.second) {
      it->second.second = r->category;
    }
  }
}

// An id no event has: the model's stand-in for the one record() gives.
constexpr std::int64_t kNewEventId = 1'000'000'000;

void apply_record(Model& m, std::int64_t id, const Spec& s) {
  apply_tags(m, s);
  m.events[id] = MEvent{s, std::nullopt};
  for (const std::int64_t inc : s.includes) {
    m.events.at(inc).included_by = id;
  }
}

void apply_update(Model& m, std::int64_t id, const Spec& s) {
  apply_tags(m, s);
  MEvent& e = m.events.at(id);
  for (const std::int64_t inc : e.spec.includes) {
    m.events.at(inc).included_by.reset();
  }
  e.spec = s;
  for (const std::int64_t inc : s.includes) {
    m.events.at(inc).included_by = id;
  }
}

Prediction predict_record(const Model& m, const Spec& s) {
  if (has_repeats(s.includes)) {
    return {"lists an included event twice", std::nullopt};
  }
  if (!m.companies.count(s.company)) {
    return {"unknown company", std::nullopt};
  }
  if (const auto dup = duplicate_of(m, s, std::nullopt)) {
    // The same facts again: the existing event, whose inclusions must
    // already hold every one asked for.
    for (const std::int64_t inc : s.includes) {
      if (!contains(m.events.at(*dup).spec.includes, inc)) {
        return {"duplicates event " + std::to_string(*dup) + " without its inclusion of " +
                    std::to_string(inc),
                std::nullopt};
      }
    }
    return {"", dup};
  }
  if (std::string why = inclusion_error(m, s, std::nullopt); !why.empty()) {
    return {why, std::nullopt};
  }
  if (std::string why = tag_error(m, s); !why.empty()) {
    return {why, std::nullopt};
  }
  Model after = m;
  apply_record(after, kNewEventId, s);
  return {room_error(after), std::nullopt};
}

Prediction predict_update(const Model& m, std::int64_t id, const Spec& s) {
  if (has_repeats(s.includes)) {
    return {"lists an included event twice", std::nullopt};
  }
  const auto it = m.events.find(id);
  if (it == m.events.end()) {
    return {"unknown event", std::nullopt};
  }
  if (!m.companies.count(s.company)) {
    return {"unknown company", std::nullopt};
  }
  if (const auto dup = duplicate_of(m, s, id)) {
    return {"would duplicate event " + std::to_string(*dup), std::nullopt};
  }
  if (std::string why = inclusion_error(m, s, id); !why.empty()) {
    return {why, std::nullopt};
  }
  if (const auto outer = it->second.included_by) {
    const Spec& o = m.events.at(*outer).spec;
    if (!may_include(o, s)) {
      return {"would move after event " + std::to_string(*outer) + ", which includes it",
              std::nullopt};
    }
    if (root_of(m, s.company) != root_of(m, o.company)) {
      return {"would leave the company tree of event " + std::to_string(*outer), std::nullopt};
    }
  }
  if (std::string why = tag_error(m, s); !why.empty()) {
    return {why, std::nullopt};
  }
  Model after = m;
  apply_update(after, id, s);
  return {room_error(after), std::nullopt};
}

void apply_remove(Model& m, std::int64_t id) {
  const MEvent e = m.events.at(id);
  for (const std::int64_t inc : e.spec.includes) {
    m.events.at(inc).included_by.reset();
  }
  if (e.included_by) {
    auto& outer = m.events.at(*e.included_by).spec.includes;
    outer.erase(std::remove(outer.begin(), outer.end(), id), outer.end());
  }
  m.events.erase(id);
}

// ---- Running operations ------------------------------------------------------

class Bytes {
 public:
  Bytes(const uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t next() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool done() const { return pos_ >= size_; }

 private:
  const uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

struct Run {
  Tracker& tracker;
  Bytes in;
  std::vector<std::string> trace;  // the operations so far, for failure messages
  int ops = 0;
  int depth = 0;                // nested transactions
  bool read_only_step = false;  // the last operation only read (no check() needed)
  bool wrote = false;           // written to since the last check()
  bool thorough = false;        // check() at the end and after the round trip's imports

  std::string context(const Model& m) const {
    std::string out = "\noperations:\n";
    const std::size_t start = trace.size() > 80 ? trace.size() - 80 : 0;
    for (std::size_t i = start; i < trace.size(); ++i) {
      out += "  " + trace[i] + "\n";
    }
    return out + describe(m);
  }
};

bool acceptable_refusal(ErrorCode code) {
  return code == ErrorCode::invalid_argument || code == ErrorCode::not_found ||
         code == ErrorCode::already_exists || code == ErrorCode::cycle ||
         code == ErrorCode::invalid_inclusion;
}

// Runs `call`; checks that it succeeded exactly when `refused` is empty and
// that a refusal is a documented, typed one. Returns whether it succeeded.
template <class F>
bool attempt(Run& run, const Model& m, const std::string& what, const std::string& refused,
             F&& call) {
  run.trace.push_back(what + (refused.empty() ? "" : "  [model: refuse, " + refused + "]"));
  try {
    call();
  } catch (const Error& e) {
    run.trace.back() += "  -> " + std::string(to_string(e.code())) + ": " + e.what();
    FUZZ_CHECK(acceptable_refusal(e.code()), what + " failed with " +
                                                 std::string(to_string(e.code())) + ": " +
                                                 e.what() + run.context(m));
    FUZZ_CHECK(!refused.empty(),
               what + " was refused, but the model accepts it: " + e.what() + run.context(m));
    return false;
  }
  FUZZ_CHECK(refused.empty(),
             what + " succeeded, but the model refuses it (" + refused + ")" + run.context(m));
  return true;
}

std::optional<std::int64_t> nth_key(const auto& map, std::uint8_t b) {
  if (map.empty()) {
    return std::nullopt;
  }
  auto it = map.begin();
  std::advance(it, b % map.size());
  return it->first;
}

// An existing company, or now and then one that does not exist.
std::int64_t pick_company(const Model& m, std::uint8_t b) {
  if (b >= 240 || m.companies.empty()) {
    return 1000 + b;
  }
  return *nth_key(m.companies, b);
}

std::int64_t pick_event(const Model& m, std::uint8_t b) {
  if (b >= 240 || m.events.empty()) {
    return 100000 + b;
  }
  return *nth_key(m.events, b);
}

Spec random_spec(Run& run, const Model& m) {
  Spec s;
  s.company = pick_company(m, run.in.next());
  s.date = run.in.next() % kDates.size();
  s.count = run.in.next() % kCounts.size();
  // One byte: the source (bits 0-1), departments (2-4) and reasons (5-7).
  const std::uint8_t tags = run.in.next();
  s.url = (tags & 3u) % kUrls.size();
  s.departments = (tags >> 2) & 7u;
  s.reasons = (tags >> 5) & 7u;
  const std::uint8_t key_byte = run.in.next();
  const std::uint8_t key = key_byte % 7;
  s.key = key < 4 ? 0 : key - 3;
  s.filing = key_byte >= 128;
  const int includes = run.in.next() % 3;
  for (int i = 0; i < includes; ++i) {
    s.includes.push_back(pick_event(m, run.in.next()));
  }
  return s;
}

// A spec for record: new, or an existing event's with some fields changed
// (to reach the duplicate rules).
Spec record_spec(Run& run, const Model& m) {
  const std::uint8_t how = run.in.next();
  if (how % 2 == 0 || m.events.empty()) {
    return random_spec(run, m);
  }
  Spec s = m.events.at(*nth_key(m.events, run.in.next())).spec;
  const Spec r = random_spec(run, m);
  const unsigned mask = how >> 1;
  if (mask & 1u) {
    s.company = r.company;
  }
  if (mask & 2u) {
    s.date = r.date;
  }
  if (mask & 4u) {
    s.count = r.count;
  }
  if (mask & 8u) {
    s.url = r.url;
    s.departments = r.departments;
    s.reasons = r.reasons;
  }
  if (mask & 16u) {
    s.key = r.key;
    s.filing = r.filing;
  }
  if (mask & 32u) {
    s.includes = r.includes;
  }
  return s;
}

void check_state(Run& run, const Model& m, std::uint64_t salt, bool full);

void op_add_company(Run& run, Model& m) {
  const std::size_t name = run.in.next() % kNames.size();
  const std::uint8_t spelling = run.in.next();
  const std::uint8_t parent_byte = run.in.next();
  std::string given = kNames[name];
  if (spelling % 4 == 1) {
    std::transform(given.begin(), given.end(), given.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
  } else if (spelling % 4 == 2) {
    std::transform(given.begin(), given.end(), given.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  } else if (spelling % 4 == 3) {
    given = "  " + given + " ";
    if (const auto space = given.find(' ', 2);
        space != std::string::npos && space < given.size() - 1) {
      given.insert(space, "  ");
    }
  }
  std::optional<std::int64_t> parent;
  if (parent_byte % 3 != 0) {
    parent = pick_company(m, parent_byte);
  }
  std::string refused;
  if (parent && !m.companies.count(*parent)) {
    refused = "unknown parent";
  }
  for (const auto& [id, c] : m.companies) {
    if (c.name == name) {
      refused = "name taken by company " + std::to_string(id);
    }
  }
  NewCompany nc;
  nc.name = given;
  if (parent) {
    nc.parent = CompanyId(*parent);
  }
  CompanyId id;
  const std::string what = "add_company " + quote(given) +
                           (parent ? " parent " + std::to_string(*parent) : std::string());
  if (attempt(run, m, what, refused, [&] { id = run.tracker.add_company(nc); })) {
    run.trace.back() += " -> " + std::to_string(id.value());
    FUZZ_CHECK(id.valid() && !m.companies.count(id.value()),
               "add_company returned id " + std::to_string(id.value()) + run.context(m));
    std::string stored = given;
    stored.erase(0, stored.find_first_not_of(' '));
    stored.erase(stored.find_last_not_of(' ') + 1);
    m.companies[id.value()] = MCompany{name, stored, parent};
  }
}

void op_set_parent(Run& run, Model& m) {
  const std::int64_t company = pick_company(m, run.in.next());
  const std::uint8_t b = run.in.next();
  std::optional<std::int64_t> parent;
  if (b % 4 != 0) {
    parent = pick_company(m, b);
  }
  std::string refused;
  if (!m.companies.count(company)) {
    refused = "unknown company";
  } else if (parent && !m.companies.count(*parent)) {
    refused = "unknown parent";
  } else if (parent && in_subtree(m, *parent, company)) {
    refused = "cycle";
  } else {
    Model after = m;
    after.companies.at(company).parent = parent;
    for (const auto& [id, e] : after.events) {
      for (const std::int64_t inc : e.spec.includes) {
        if (root_of(after, e.spec.company) != root_of(after, after.events.at(inc).spec.company)) {
          refused = "would split event " + std::to_string(id) + " from " + std::to_string(inc);
        }
      }
    }
  }
  const std::string what = "set_parent " + std::to_string(company) + " -> " +
                           (parent ? std::to_string(*parent) : std::string("none"));
  std::optional<CompanyId> p;
  if (parent) {
    p = CompanyId(*parent);
  }
  if (attempt(run, m, what, refused, [&] { run.tracker.set_parent(CompanyId(company), p); })) {
    m.companies.at(company).parent = parent;
  }
}

void op_record(Run& run, Model& m) {
  const Spec s = record_spec(run, m);
  const Prediction p = predict_record(m, s);
  EventId id;
  if (attempt(run, m, "record " + describe(s), p.refused,
              [&] { id = run.tracker.record(to_new_event(s)); })) {
    run.trace.back() += " -> " + std::to_string(id.value());
    if (p.reuses) {
      FUZZ_CHECK(id.value() == *p.reuses, "record returned " + std::to_string(id.value()) +
                                              ", not the duplicate " + std::to_string(*p.reuses) +
                                              run.context(m));
    } else {
      FUZZ_CHECK(id.valid() && !m.events.count(id.value()),
                 "record returned " + std::to_string(id.value()) + run.context(m));
      apply_record(m, id.value(), s);
    }
  }
}

void op_record_batch(Run& run, Model& m) {
  const int n = 1 + run.in.next() % 3;
  std::vector<Spec> specs;
  std::vector<NewEvent> events;
  std::string what = "record_batch";
  for (int i = 0; i < n; ++i) {
    specs.push_back(record_spec(run, m));
    events.push_back(to_new_event(specs.back()));
    what += " [" + describe(specs.back()) + "]";
  }
  // All or nothing: the batch must fail if any element would, given the ones
  // before it (stand-in ids for the new ones).
  std::string refused;
  {
    Model scratch = m;
    for (std::size_t i = 0; i < specs.size() && refused.empty(); ++i) {
      const Prediction p = predict_record(scratch, specs[i]);
      refused = p.refused.empty() ? "" : "events[" + std::to_string(i) + "]: " + p.refused;
      if (refused.empty() && !p.reuses) {
        apply_record(scratch, 10'000'000 + static_cast<std::int64_t>(i), specs[i]);
      }
    }
  }
  std::vector<EventId> ids;
  if (!attempt(run, m, what, refused, [&] { ids = run.tracker.record_batch(events); })) {
    return;
  }
  FUZZ_CHECK(ids.size() == specs.size(),
             "record_batch returned " + std::to_string(ids.size()) + " ids" + run.context(m));
  for (std::size_t i = 0; i < specs.size(); ++i) {
    run.trace.back() += " -> " + std::to_string(ids[i].value());
    const Prediction p = predict_record(m, specs[i]);
    FUZZ_CHECK(p.refused.empty(), "batch element " + std::to_string(i) + p.refused);
    if (p.reuses) {
      FUZZ_CHECK(ids[i].value() == *p.reuses, "batch element " + std::to_string(i) + " returned " +
                                                  std::to_string(ids[i].value()) + ", not " +
                                                  std::to_string(*p.reuses) + run.context(m));
    } else {
      FUZZ_CHECK(ids[i].valid() && !m.events.count(ids[i].value()),
                 "batch element " + std::to_string(i) + " returned " +
                     std::to_string(ids[i].value()) + run.context(m));
      apply_record(m, ids[i].value(), specs[i]);
    }
  }
}

void run_update(Run& run, Model& m, std::int64_t id, const Spec& s, const std::string& label) {
  const Prediction p = predict_update(m, id, s);
  if (attempt(run, m, label + " " + std::to_string(id) + " := " + describe(s), p.refused,
              [&] { run.tracker.update(EventId(id), to_new_event(s)); })) {
    apply_update(m, id, s);
  }
}

void op_update(Run& run, Model& m) {
  const std::int64_t id = pick_event(m, run.in.next());
  const std::uint8_t mask = run.in.next();
  Spec s = random_spec(run, m);
  if (const auto it = m.events.find(id); it != m.events.end()) {
    // Keep the fields the mask does not change.
    const Spec& old = it->second.spec;
    if (!(mask & 1u)) {
      s.company = old.company;
    }
    if (!(mask & 2u)) {
      s.date = old.date;
    }
    if (!(mask & 4u)) {
      s.count = old.count;
    }
    if (!(mask & 8u)) {
      s.url = old.url;
      s.departments = old.departments;
      s.reasons = old.reasons;
    }
    if (!(mask & 16u)) {
      s.key = old.key;
      s.filing = old.filing;
    }
    if (!(mask & 32u)) {
      s.includes = old.includes;
    }
    if (!(mask & 64u)) {  // else active again, as NewEvent's default
      s.status = old.status;
      s.note = old.note;
    }
  }
  run_update(run, m, id, s, "update");
}

// Adds an inclusion to an event, or drops one, through update().
void op_include(Run& run, Model& m) {
  const std::int64_t id = pick_event(m, run.in.next());
  const std::uint8_t b = run.in.next();
  const std::int64_t other = pick_event(m, run.in.next());
  const auto it = m.events.find(id);
  if (it == m.events.end()) {
    Spec s;
    s.company = pick_company(m, b);
    s.includes.push_back(other);
    run_update(run, m, id, s, "include(unknown)");
    return;
  }
  Spec s = it->second.spec;
  if (b % 3 == 2 && !s.includes.empty()) {
    s.includes.erase(s.includes.begin() + static_cast<std::ptrdiff_t>(b % s.includes.size()));
    run_update(run, m, id, s, "drop inclusion");
  } else {
    s.includes.push_back(other);
    run_update(run, m, id, s, "include " + std::to_string(other) + " in");
  }
}

// Tracker::set_status: any status, with or without a note.
void op_set_status(Run& run, Model& m) {
  const std::int64_t id = pick_event(m, run.in.next());
  const std::uint8_t b = run.in.next();
  const std::size_t status = b % kStatuses.size();
  const std::size_t note = (b / kStatuses.size()) % kNotes.size();
  std::string refused;
  if (status == 0 && note != 0) {
    refused = "a note for an active event";
  } else if (!m.events.count(id)) {
    refused = "unknown event";
  } else {
    Model after = m;
    after.events.at(id).spec.status = status;
    refused = room_error(after);
  }
  const std::string what = "set_status " + std::to_string(id) + " " +
                           std::string(to_string(kStatuses[status])) + " " + quote(kNotes[note]);
  if (attempt(run, m, what, refused,
              [&] { run.tracker.set_status(EventId(id), kStatuses[status], kNotes[note]); })) {
    m.events.at(id).spec.status = status;
    m.events.at(id).spec.note = note;
  }
}

// Tracker::link: inclusions added to an event, all or none, by the rules of
// record()'s includes and with room in the includer; those it already
// includes are left as they are. Nothing else about the includer changes.
void op_link(Run& run, Model& m) {
  const std::int64_t id = pick_event(m, run.in.next());
  const int n = 1 + run.in.next() % 2;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < n; ++i) {
    const std::int64_t other = pick_event(m, run.in.next());
    if (!contains(ids, other)) {
      ids.push_back(other);
    }
  }
  std::string refused;
  Spec after_spec;
  const auto it = m.events.find(id);
  if (it == m.events.end()) {
    refused = "unknown event";
  } else {
    after_spec = it->second.spec;
    for (const std::int64_t other : ids) {
      if (!contains(after_spec.includes, other)) {
        after_spec.includes.push_back(other);
      }
    }
    refused = inclusion_error(m, after_spec, id);
    if (refused.empty()) {
      Model after = m;
      apply_update(after, id, after_spec);
      refused = room_error(after);
    }
  }
  std::string what = "link " + std::to_string(id) + " <-";
  std::vector<EventId> included;
  for (const std::int64_t other : ids) {
    what += " " + std::to_string(other);
    included.push_back(EventId(other));
  }
  if (attempt(run, m, what, refused, [&] { run.tracker.link(EventId(id), included); })) {
    apply_update(m, id, after_spec);
  }
}

// Tracker::unlink: the event stands alone again (a no-op if nothing includes
// it).
void op_unlink(Run& run, Model& m) {
  const std::int64_t id = pick_event(m, run.in.next());
  const std::string refused = m.events.count(id) ? "" : "unknown event";
  if (attempt(run, m, "unlink " + std::to_string(id), refused,
              [&] { run.tracker.unlink(EventId(id)); })) {
    if (const auto outer = m.events.at(id).included_by) {
      Spec s = m.events.at(*outer).spec;
      s.includes.erase(std::remove(s.includes.begin(), s.includes.end(), id), s.includes.end());
      apply_update(m, *outer, s);
    }
  }
}

// Tracker::match_filings (everything, default options) proposes only what
// tracker.h promises: each active filing that nothing includes at most once,
// with an active announcement of the same company tree dated from 14 days
// after to 90 days before it (by first days, days_after their difference).
// apply_matches (on some inputs) links the proposals that are not ambiguous,
// all of them (they fit: each proposal uses up room for the next), exactly
// as the model's link of each would.
void op_match(Run& run, Model& m) {
  const bool apply = run.in.next() % 2 == 0;
  std::vector<layoffs::MatchProposal> proposals;
  run.trace.push_back(std::string("match_filings") + (apply ? " and apply" : ""));
  try {
    proposals = run.tracker.match_filings();
  } catch (const Error& e) {
    FUZZ_CHECK(false, std::string("match_filings threw ") + e.what() + run.context(m));
  }
  std::set<std::int64_t> filings;
  Model after = m;
  int linkable = 0;
  std::string refused;
  for (const layoffs::MatchProposal& p : proposals) {
    const std::int64_t f = p.filing.value();
    const std::int64_t a = p.announcement.value();
    const std::string what = "proposal " + std::to_string(f) + " -> " + std::to_string(a);
    FUZZ_CHECK(m.events.count(f) && m.events.count(a) && filings.insert(f).second,
               what + ": unknown or repeated" + run.context(m));
    const Spec& fs = m.events.at(f).spec;
    const Spec& as = m.events.at(a).spec;
    FUZZ_CHECK(fs.filing && is_active(m.events.at(f)) && !m.events.at(f).included_by,
               what + ": not an active filing that nothing includes" + run.context(m));
    FUZZ_CHECK(!as.filing && is_active(m.events.at(a)),
               what + ": not an active announcement" + run.context(m));
    FUZZ_CHECK(root_of(m, fs.company) == root_of(m, as.company),
               what + ": another company tree" + run.context(m));
    const std::int64_t days = day_number(kDates[fs.date].first) - day_number(kDates[as.date].first);
    FUZZ_CHECK(p.days_after == days && days >= -14 &&
                   day_number(kDates[fs.date].first) <= day_number(kDates[as.date].last) + 90,
               what + ": filed " + std::to_string(p.days_after) + " days after" + run.context(m));
    if (!p.ambiguous) {
      ++linkable;
      Spec s = after.events.at(a).spec;
      s.includes.push_back(f);
      if (refused.empty()) {
        refused = inclusion_error(after, s, a);
      }
      apply_update(after, a, s);
    }
  }
  if (!apply) {
    run.read_only_step = true;
    return;
  }
  if (refused.empty()) {
    refused = room_error(after);
  }
  int linked = -1;
  if (attempt(run, m, "apply_matches (" + std::to_string(linkable) + " to link)", refused,
              [&] { linked = run.tracker.apply_matches(proposals); })) {
    FUZZ_CHECK(linked == linkable, "apply_matches linked " + std::to_string(linked) + " of " +
                                       std::to_string(linkable) + run.context(m));
    m = std::move(after);
  }
}

void op_remove(Run& run, Model& m) {
  const std::int64_t id = pick_event(m, run.in.next());
  const std::string refused = m.events.count(id) ? "" : "unknown event";
  if (attempt(run, m, "remove " + std::to_string(id), refused,
              [&] { run.tracker.remove(EventId(id)); })) {
    apply_remove(m, id);
  }
}

// ---- Checking totals ---------------------------------------------------------

// total(f) against the model; with `count`, count_events(f) too.
void check_total(Run& run, const Model& m, const MFilter& f, bool count_too) {
  const std::set<std::int64_t> selected = select(m, f);
  const MTotal want = model_total(m, selected);
  Total got;
  std::int64_t count = -1;
  try {
    got = run.tracker.total(to_filter(f));
    if (count_too) {
      count = run.tracker.count_events(to_filter(f));
    }
  } catch (const Error& e) {
    FUZZ_CHECK(false, "total(" + describe(f) + ") threw " + e.what() + run.context(m));
  }
  FUZZ_CHECK(same(got, want), "total(" + describe(f) + ") is " + describe(got) +
                                  ", the model says " + describe(want) + run.context(m));
  const std::string unsound = soundness_error(m, selected, got, run.ops);
  FUZZ_CHECK(unsound.empty(), "total(" + describe(f) + ") is " + describe(got) +
                                  ", not sound: " + unsound + run.context(m));
  if (!count_too) {
    return;
  }
  FUZZ_CHECK(count == static_cast<std::int64_t>(want.selected) && count == got.selected_events,
             "count_events(" + describe(f) + ") is " + std::to_string(count) + "; total " +
                 describe(got) + run.context(m));
}

bool by_tag(Grouping g) {
  return g == Grouping::department || g == Grouping::reason;
}

// The groups an event falls in: its year, quarter, month, company or root
// company as the GroupTotal key would be written, or the names shown of its
// departments (reasons), "(none)" without any; with a department (reason)
// filter, only the filtered one.
std::vector<std::string> group_labels(const Model& m, const MEvent& e, const MFilter& f,
                                      Grouping g) {
  const std::string first = kDates[e.spec.date].first;
  const std::int64_t year = std::stoll(first.substr(0, 4));
  const std::int64_t month = std::stoll(first.substr(5, 2));
  switch (g) {
    case Grouping::year:
      return {std::to_string(year)};
    case Grouping::quarter:
      return {std::to_string(year * 10 + (month + 2) / 3)};
    case Grouping::month:
      return {std::to_string(year * 100 + month)};
    case Grouping::company:
      return {std::to_string(e.spec.company)};
    case Grouping::top_company:
      return {std::to_string(*root_of(m, e.spec.company))};
    case Grouping::department: {
      std::vector<std::string> out;
      for (const std::string& key : department_keys(e.spec)) {
        if (!f.department || key == kDepartmentFilters[*f.department].key) {
          out.push_back(m.departments.at(key));
        }
      }
      if (out.empty() && !f.department) {
        out.emplace_back("(none)");
      }
      return out;
    }
    case Grouping::reason: {
      std::vector<std::string> out;
      for (const ReasonChoice* r : reason_list(e.spec)) {
        if (!f.reason || std::string(r->key) == kReasonFilters[*f.reason].key) {
          out.push_back(m.reasons.at(r->key).first);
        }
      }
      if (out.empty() && !f.reason) {
        out.emplace_back("(none)");
      }
      return out;
    }
    case Grouping::industry:
    case Grouping::country:
    case Grouping::us_state:
      // The model's companies and events have none: one group, key 0.
      return {"0"};
    case Grouping::kind:
      return {e.spec.filing ? "1" : "0"};  // label_for: 1 is filing
  }
  return {};
}

void check_grouped(Run& run, const Model& m, const MFilter& f, Grouping g) {
  const std::set<std::int64_t> selected = select(m, f);
  std::map<std::string, std::set<std::int64_t>> groups;
  for (const std::int64_t id : selected) {
    for (const std::string& label : group_labels(m, m.events.at(id), f, g)) {
      groups[label].insert(id);
    }
  }
  std::vector<layoffs::GroupTotal> got;
  try {
    got = run.tracker.totals_by(g, to_filter(f));
  } catch (const Error& e) {
    FUZZ_CHECK(false, "totals_by(" + std::string(to_string(g)) + ", " + describe(f) + ") threw " +
                          e.what() + run.context(m));
  }
  const std::string what = "totals_by(" + std::string(to_string(g)) + ", " + describe(f) + ")";
  FUZZ_CHECK(got.size() == groups.size(), what + " has " + std::to_string(got.size()) +
                                              " groups, the model " +
                                              std::to_string(groups.size()) + run.context(m));
  const bool by_time = g == Grouping::year || g == Grouping::quarter || g == Grouping::month;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const std::string label = by_tag(g) ? got[i].label : std::to_string(got[i].key);
    const auto it = groups.find(label);
    FUZZ_CHECK(it != groups.end(), what + " has a group " + quote(label) + run.context(m));
    const MTotal want = model_total(m, it->second);
    FUZZ_CHECK(same(got[i].total, want),
               what + " group " + got[i].label + " (" + std::to_string(got[i].key) + ") is " +
                   describe(got[i].total) + ", the model says " + describe(want) + run.context(m));
    if (i > 0 && by_time) {
      FUZZ_CHECK(got[i - 1].key < got[i].key, what + " is not in time order" + run.context(m));
    } else if (i > 0) {
      FUZZ_CHECK(got[i - 1].total.estimate > got[i].total.estimate ||
                     (got[i - 1].total.estimate == got[i].total.estimate &&
                      got[i - 1].label <= got[i].label),
                 what + " is not ordered by estimate, then label" + run.context(m));
    }
  }
  // Additivity (ARCHITECTURE.md "Honest totals"): where every event falls
  // in exactly one group, the groups' best estimates add up exactly to the
  // whole's (corpus/oplog/regress-additivity-includer-smaller-than-included:
  // an includer's estimate below the sum of its parts', which the lowered
  // estimates of "bounds flow upward" made additive).
  if (!by_tag(g)) {
    std::int64_t sum = 0;
    for (const layoffs::GroupTotal& group : got) {
      sum += group.total.estimate;
    }
    const Total whole = run.tracker.total(to_filter(f));
    FUZZ_CHECK(sum == whole.estimate, what + ": the groups' estimates add up to " +
                                          std::to_string(sum) + ", the whole's is " +
                                          describe(whole) + run.context(m));
  }
}

MFilter random_filter(Run& run, const Model& m) {
  MFilter f;
  const std::uint8_t what = run.in.next();
  if (what & 1u) {
    f.company = pick_company(m, run.in.next());
    f.subsidiaries = (what & 2u) != 0;
  }
  if (what & 4u) {
    f.from = run.in.next() % kDates.size();
  }
  if (what & 8u) {
    f.to = run.in.next() % kDates.size();
  }
  if (what & 16u) {
    f.department = run.in.next() % kDepartmentFilters.size();
  }
  if (what & 32u) {
    f.reason = run.in.next() % kReasonFilters.size();
  }
  return f;
}

void op_query(Run& run, Model& m) {
  const MFilter f = random_filter(run, m);
  const Grouping g = static_cast<Grouping>(run.in.next() % 11);
  const std::string refused = filter_error(m, f);
  if (!refused.empty()) {
    attempt(run, m, "total(" + describe(f) + ")", refused,
            [&] { (void)run.tracker.total(to_filter(f)); });
    attempt(run, m, "count_events(" + describe(f) + ")", refused,
            [&] { (void)run.tracker.count_events(to_filter(f)); });
    attempt(run, m, "totals_by(" + describe(f) + ")", refused,
            [&] { (void)run.tracker.totals_by(g, to_filter(f)); });
    return;
  }
  run.trace.push_back("query " + describe(f) + " by " + std::string(to_string(g)));
  run.read_only_step = true;
  check_total(run, m, f, true);
  check_grouped(run, m, f, g);
}

void op_transaction(Run& run, Model& m);

void one_op(Run& run, Model& m) {
  ++run.ops;
  const std::uint8_t op = run.in.next();
  if (op >= 252) {  // (the ops before set_status keep their bytes)
    if (op <= 253) {
      op_set_status(run, m);
    } else if (op == 254) {
      (run.in.next() % 2 == 0 ? op_link : op_unlink)(run, m);
    } else {
      op_match(run, m);
    }
    check_state(run, m, op, false);
    return;
  }
  switch (op % 12) {
    case 0:
    case 1:
      op_add_company(run, m);
      break;
    case 2:
    case 3:
    case 4:
      op_record(run, m);
      break;
    case 5:
      op_update(run, m);
      break;
    case 6:
      op_include(run, m);
      break;
    case 7:
      op_remove(run, m);
      break;
    case 8:
      op_set_parent(run, m);
      break;
    case 9:
      op_query(run, m);
      break;
    case 10:
      op_record_batch(run, m);
      break;
    case 11:
      if (run.depth < 2) {
        op_transaction(run, m);
      } else {
        op_record(run, m);
      }
      break;
  }
  // After each step the totals of everything and of one other selection;
  // the full comparison (every event, every company's totals) at the end.
  check_state(run, m, op, false);
}

struct Rollback {};

// Several operations as one transaction: each refused write is caught and
// skipped (a savepoint of its own); then the whole is committed, or rolled
// back by an exception from the work.
void op_transaction(Run& run, Model& m) {
  const int n = 1 + run.in.next() % 4;
  const bool roll_back = run.in.next() % 3 == 0;
  Model inside = m;
  run.trace.push_back("transaction {" + std::string(roll_back ? " (rolled back)" : ""));
  ++run.depth;
  bool rolled_back = false;
  try {
    run.tracker.transaction([&] {
      for (int i = 0; i < n && run.ops < kMaxOps; ++i) {
        one_op(run, inside);
      }
      if (roll_back) {
        throw Rollback{};
      }
    });
  } catch (const Rollback&) {
    rolled_back = true;
  } catch (const Error& e) {
    FUZZ_CHECK(false, std::string("transaction threw ") + e.what() + run.context(inside));
  }
  --run.depth;
  run.trace.push_back("}");
  FUZZ_CHECK(rolled_back == roll_back, "the rollback did not propagate" + run.context(m));
  if (!rolled_back) {
    m = std::move(inside);
  }
}

// ---- The state, checked after every step ----------------------------------

void check_state(Run& run, const Model& m, std::uint64_t salt, bool full) {
  // check() compiles PRAGMA integrity_check anew every time (SQLite never
  // reuses it), which costs more than the rest of a step: it runs at the
  // end of a thorough input, if anything was written. What it finds (a
  // broken index or b-tree, a dangling foreign key) stays in the file until
  // then: SQLite enforces the foreign keys of every statement, and removing
  // a row through a broken index fails with SQLITE_CORRUPT.
  run.wrote = run.wrote || !run.read_only_step;
  run.read_only_step = false;
  if (full && run.wrote && run.thorough) {
    run.wrote = false;
    const auto problems = run.tracker.check();
    FUZZ_CHECK(problems.empty(),
               "check(): " + (problems.empty() ? "" : problems.front()) + run.context(m));
  }

  // Totals over several selections: everything, a company with and without
  // its subsidiaries, a date window, the company within the window, and a
  // department (and reason). After every step, everything (a stale cache
  // shows there) and one of the others in turn; with the full comparison
  // all of them, with count_events() too. Every state a step reaches is
  // also the last state of the input cut after that step, which gets the
  // full comparison.
  std::vector<MFilter> selections;
  std::optional<std::int64_t> company;
  if (!m.companies.empty()) {
    company = *nth_key(m.companies, static_cast<std::uint8_t>(salt));
    selections.push_back(MFilter{company, true, std::nullopt, std::nullopt});
    selections.push_back(MFilter{company, false, std::nullopt, std::nullopt});
  }
  MFilter window;
  window.from = salt % kDates.size();
  window.to = (salt * 5 + 3) % kDates.size();
  if (!filter_error(m, window).empty()) {
    std::swap(window.from, window.to);
  }
  if (filter_error(m, window).empty()) {
    selections.push_back(window);
    if (company) {
      window.company = company;
      selections.push_back(window);
    }
  }
  MFilter tagged;
  tagged.department = salt % kDepartmentFilters.size();
  if (salt & 4u) {
    tagged.reason = (salt >> 3) % kReasonFilters.size();
  }
  selections.push_back(tagged);
  check_total(run, m, MFilter{}, full);
  if (!full) {
    check_total(run, m, selections[(salt >> 4) % selections.size()], false);
    return;
  }
  for (const MFilter& f : selections) {
    check_total(run, m, f, true);
  }

  for (const auto& [id, c] : m.companies) {
    check_total(run, m, MFilter{id, true, std::nullopt, std::nullopt}, true);
    check_total(run, m, MFilter{id, false, std::nullopt, std::nullopt}, true);
  }

  // Companies and events, with their inclusions, are the model's.
  const auto companies = run.tracker.companies();
  FUZZ_CHECK(companies.size() == m.companies.size(),
             std::to_string(companies.size()) + " companies" + run.context(m));
  for (const auto& c : companies) {
    const auto it = m.companies.find(c.id.value());
    FUZZ_CHECK(it != m.companies.end(),
               "unexpected company " + std::to_string(c.id.value()) + run.context(m));
    const std::optional<std::int64_t> parent =
        c.parent ? std::optional<std::int64_t>(c.parent->value()) : std::nullopt;
    FUZZ_CHECK(parent == it->second.parent && c.name == it->second.given,
               "company " + std::to_string(c.id.value()) + " is " + quote(c.name) + run.context(m));
  }
  const auto events = run.tracker.events();
  FUZZ_CHECK(events.size() == m.events.size(),
             std::to_string(events.size()) + " events" + run.context(m));
  for (const auto& e : events) {
    const auto it = m.events.find(e.id.value());
    FUZZ_CHECK(it != m.events.end(),
               "unexpected event " + std::to_string(e.id.value()) + run.context(m));
    const Spec& s = it->second.spec;
    std::vector<std::int64_t> includes;
    for (const EventId i : e.includes) {
      includes.push_back(i.value());
    }
    std::vector<std::int64_t> want = s.includes;
    std::sort(includes.begin(), includes.end());
    std::sort(want.begin(), want.end());
    const std::optional<std::int64_t> included_in =
        e.included_in ? std::optional<std::int64_t>(e.included_in->value()) : std::nullopt;
    const std::string url = e.sources.empty() ? std::string() : e.sources.front().url;
    std::vector<std::string> departments;
    for (const std::string& key : department_keys(s)) {
      departments.push_back(m.departments.at(key));
    }
    std::vector<std::string> reasons;
    std::vector<std::string> got_reasons;
    // In the order given (issue 13), the first of each key.
    for (const ReasonChoice* r : reason_list(s)) {
      const auto& [name, category] = m.reasons.at(r->key);
      reasons.push_back(name + "/" + (category ? std::string(to_string(*category)) : "-"));
    }
    for (const layoffs::Reason& r : e.reasons) {
      got_reasons.push_back(r.name + "/" +
                            (r.category ? std::string(to_string(*r.category)) : "-"));
    }
    FUZZ_CHECK(e.status == kStatuses[s.status] && e.status_note == kNotes[s.note],
               "event " + std::to_string(e.id.value()) + " is " + std::string(to_string(e.status)) +
                   " " + quote(e.status_note) + run.context(m));
    FUZZ_CHECK(e.departments == departments && got_reasons == reasons,
               "event " + std::to_string(e.id.value()) + " has other departments or reasons" +
                   run.context(m));
    FUZZ_CHECK(
        e.company.value() == s.company && e.announced_on == values().dates[s.date] &&
            e.headcount == values().counts[s.count] && e.key == kKeys[s.key] &&
            (e.kind == layoffs::EventKind::filing) == s.filing && url == kUrls[s.url] &&
            e.sources.size() <= 1 && includes == want && included_in == it->second.included_by,
        "event " + std::to_string(e.id.value()) + " differs from the model: company " +
            std::to_string(e.company.value()) + " on " + e.announced_on.to_string() + ", " +
            e.headcount.phrase() + ", " + std::to_string(e.includes.size()) +
            " included, included in " +
            (included_in ? std::to_string(*included_in) : std::string("none")) + run.context(m));
  }
}

#ifdef LAYOFFS_FUZZ_HAVE_IO
std::string export_text(const Tracker& t) {
  std::ostringstream out;
  layoffs::io::export_jsonl(t, out);
  return out.str();
}

bool same_total(const Total& a, const Total& b) {
  return a.low == b.low && a.high == b.high && a.estimate == b.estimate &&
         a.selected_events == b.selected_events && a.counted_events == b.counted_events &&
         a.inside_events == b.inside_events && a.unknown_events == b.unknown_events &&
         a.superseded_events == b.superseded_events && a.retracted_events == b.retracted_events &&
         a.unmatched_filings == b.unmatched_filings && a.approximate == b.approximate;
}

// At the end: the JSON Lines export of whatever state the operations left
// (keyless events, keys, inclusions across a company tree) imports into an
// empty database that exports the same bytes and totals the same; and
// imported into the database it came from, it adds and changes nothing.
void check_export_round_trip(Run& run, const Model& m) {
  namespace io = layoffs::io;
  static const std::string path = layoffs::fuzz::temp_path("oplog-export.jsonl");
  const std::string first = export_text(run.tracker);
  layoffs::fuzz::write_file(path, first);
  static std::optional<Tracker> slot;
  Tracker& copy = layoffs::fuzz::fresh_tracker(slot);
  try {
    io::import_file(copy, path, {.format = io::Format::jsonl});
  } catch (const Error& e) {
    FUZZ_CHECK(false, std::string("the export does not import: ") + e.what() + "\n" + first +
                          run.context(m));
  }
  // check() (a compiled integrity_check each time) on one input in eight.
  if (run.thorough) {
    const auto problems = copy.check();
    FUZZ_CHECK(problems.empty(), "check() after importing the export: " + problems.front());
  }
  const std::string second = export_text(copy);
  FUZZ_CHECK(second == first, "export -> import -> export differs\n" + first + "--- became ---\n" +
                                  second + run.context(m));
  FUZZ_CHECK(same_total(copy.total(), run.tracker.total()),
             "the imported export totals " + describe(copy.total()) + ", the original " +
                 describe(run.tracker.total()) + run.context(m));
  for (const auto& [id, c] : m.companies) {
    Filter mine;
    mine.company = CompanyId(id);
    Filter theirs;
    theirs.company = copy.company_id(c.given);
    FUZZ_CHECK(
        same_total(copy.total(theirs), run.tracker.total(mine)),
        "company " + quote(c.given) + " totals differently after the round trip" + run.context(m));
  }

  // Importing a database's own export into it: every keyless event is found
  // by its computed key (and given that key), nothing is added.
  const Total before = run.tracker.total();
  try {
    const io::ImportSummary s = io::import_file(run.tracker, path, {.format = io::Format::jsonl});
    FUZZ_CHECK(s.imported == 0,
               "importing its own export into the database: " + io::to_string(s) + run.context(m));
  } catch (const Error& e) {
    FUZZ_CHECK(false, std::string("importing its own export into the database failed: ") +
                          e.what() + "\n" + first + run.context(m));
  }
  FUZZ_CHECK(run.tracker.count_events() == static_cast<std::int64_t>(m.events.size()) &&
                 same_total(run.tracker.total(), before),
             "importing its own export changed the database" + run.context(m));
  const std::string third = export_text(run.tracker);
  FUZZ_CHECK(third == first, "importing its own export changed the export\n" + first +
                                 "--- became ---\n" + third + run.context(m));
  if (run.thorough) {
    const auto after = run.tracker.check();
    FUZZ_CHECK(after.empty(), "check() after importing its own export: " + after.front());
  }
}
#endif

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) {
    return 0;
  }
  (void)values();
  static std::optional<Tracker> slot;
  Run run{layoffs::fuzz::fresh_tracker(slot), Bytes(data, size), {}, 0, 0, false, false, false};
  // One input in eight by its bytes (so a reproducer does the same), and
  // every input of the corpus replay.
  std::uint32_t hash = 2166136261u;  // FNV-1a
  for (std::size_t i = 0; i < size; ++i) {
    hash = (hash ^ data[i]) * 16777619u;
  }
#ifdef LAYOFFS_FUZZ_REPLAY
  run.thorough = true;
#else
  run.thorough = hash % 8 == 0;
#endif
  Model model;
  while (!run.in.done() && run.ops < kMaxOps) {
    one_op(run, model);
  }
  check_state(run, model, 0, /*full=*/true);
#ifdef LAYOFFS_FUZZ_HAVE_IO
  // The round trip (three exports, two imports, every company's totals in
  // two databases) costs more than the rest of an input: like check(), on
  // one input in eight, and every input of the corpus replay.
  if (run.thorough) {
    check_export_round_trip(run, model);
  }
#endif
  // LAYOFFS_FUZZ_TRACE=1 prints what an input did (for writing seeds and
  // reading reproducers).
  static const bool trace = std::getenv("LAYOFFS_FUZZ_TRACE") != nullptr;
  if (trace) {
    std::fprintf(stderr, "%s\n", run.context(model).c_str());
  }
  return 0;
}
