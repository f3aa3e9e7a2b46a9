// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <layoffs/date.h>
#include <layoffs/export.h>
#include <layoffs/ids.h>
#include <layoffs/model.h>

namespace layoffs {

// Which events a query looks at. Every set condition must hold; an empty
// Filter selects every event.
struct Filter {
  std::optional<CompanyId> company;
  bool include_subsidiaries = true;  // the company's whole subtree, or just itself
  // Inclusive bounds on the announced date. An event dated only by month or
  // year is placed at its first day. `to` counts through the last day of its
  // period (to = 2023 means through 2023-12-31).
  std::optional<Date> from;
  std::optional<Date> to;
  std::vector<std::string> departments;  // any of these (names, matched like company names)
  std::vector<std::string> reasons;      // any of these
  std::string country;                   // the event's country, or else its company's
};

// A sum of headcounts, as an honest interval.
//
// Counting rules (see docs/ARCHITECTURE.md, "Honest totals"):
//  - each selected event adds its headcount interval;
//  - an event included by another selected event is skipped (excluded);
//  - an event that includes events that are *not* selected adds only its
//    remainder: [low - sum(included high), high - sum(included low)], clamped
//    at zero, so nothing is counted twice.
struct LAYOFFS_EXPORT Total {
  std::int64_t low = 0;
  std::optional<std::int64_t> high = 0;  // empty = unbounded
  std::int64_t estimate = 0;             // best estimate; unknown counts add 0
  int events = 0;                        // events that contributed
  int unknown_events = 0;                // ... of which had no usable count
  int excluded_events = 0;   // selected but skipped because a selected event includes them
  bool approximate = false;  // some contribution was "about" or a phrase

  bool unbounded() const noexcept { return !high.has_value(); }

  // The way a reporter would write it:
  //   unbounded:              "at least 27,000"
  //   low == high, approx.:   "about 10,000"
  //   low == high:            "10,000"
  //   otherwise:              "200–999" (an en dash)
  //   no events:              "0"
  std::string to_string() const;
  // The compact form: "27,000+" when unbounded, otherwise as to_string().
  std::string to_short_string() const;
};

// How totals_by() groups events.
enum class Grouping {
  company,      // each company on its own (subsidiaries are their own rows)
  top_company,  // rolled up to the top-level parent
  year,
  quarter,
  month,
  department,  // an event with several departments counts in each of them
  reason,      // likewise
};
LAYOFFS_EXPORT std::string_view to_string(Grouping g) noexcept;
LAYOFFS_EXPORT Grouping parse_grouping(std::string_view text, std::string_view field = "group");

struct GroupTotal {
  // "2023", "2023-Q1", "2023-01", a company, department or reason name;
  // "(none)" for events without a department or reason.
  std::string label;
  std::int64_t key = 0;  // the company/department/reason id, or yyyy, yyyyq, yyyymm
  Total total;
};

enum class EventOrder { announced_asc, announced_desc, headcount_desc };

// The three outcomes of checking a claim against the events.
enum class Verdict {
  consistent,         // the two intervals overlap
  events_fall_short,  // even the events' upper bound is below the claim's lower bound
  events_exceed,      // even the events' lower bound is above the claim's upper bound
};
LAYOFFS_EXPORT std::string_view to_string(Verdict v) noexcept;

struct Reconciliation {
  Claim claim;
  Total events;  // what the recorded events add up to over the claim's scope
  Verdict verdict = Verdict::consistent;
};

}  // namespace layoffs
