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
  std::string us_state;                  // the event's USPS code ("WA"; any case, or the name)
  std::string industry;  // the company's industry (matched like names: case and spaces ignored)
  std::optional<EventKind> kind;  // announcements only, or filings only
};

// A sum of headcounts, as an honest interval.
//
// Counting rules (see docs/ARCHITECTURE.md, "Honest totals"):
//  - superseded and retracted events count nowhere; they are transparent to
//    inclusions (what one includes belongs to the nearest active event above
//    it);
//  - bounds flow upward: an event that includes others counts with
//    [max(low, sum of their lows), high], its estimate likewise (and where
//    its estimate is below the sum of theirs, theirs are lowered to fit);
//  - each selected active event adds its interval, unless its nearest active
//    includer is selected too: then it is skipped ("inside");
//  - an event that includes events adds its figure less what it includes
//    outside the selection: walking down from it, through included events
//    that are selected (skipped, so what they include is inside its figure
//    too), each included event that is not selected is taken out with its
//    whole figure. With A including B including C, A and B selected and C
//    not, A counts A - C. The remainder is
//    [low - sum(taken-out high), high - sum(taken-out low)], clamped at zero,
//    and its low is at least what the selected events walked through add.
// Estimates add up exactly across any split of the selected events into
// groups, and every interval holds the true count of any world that agrees
// with the events' intervals and inclusions.
//
// Vocabulary (the CLI's text and JSON use the same words):
//   selected  = counted + inside + superseded + retracted.
struct LAYOFFS_EXPORT Total {
  std::int64_t low = 0;
  std::optional<std::int64_t> high = 0;  // empty = unbounded
  std::int64_t estimate = 0;             // best estimate; unknown counts add 0
  int selected_events = 0;               // events the filter selected (any status)
  int counted_events = 0;                // events whose figure (or remainder) was added
  int inside_events = 0;                 // selected events skipped: inside another selected event
  int unknown_events = 0;                // counted events with no usable count
  int superseded_events = 0;             // selected but left out: superseded
  int retracted_events = 0;              // selected but left out: retracted
  bool approximate = false;              // some contribution was "about" or a phrase
  // Counted filings that no event includes (not matched to an announcement),
  // when the selection also counts announcements; 0 otherwise. Each may be
  // counted a second time, inside an announcement it belongs to but is not
  // yet linked to: review them with match_filings (`layoffs match`).
  int unmatched_filings = 0;

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
  industry,    // the company's industry ("(none)" without one)
  country,     // the event's country, or else its company's ("(none)")
  us_state,    // the event's US state ("(none)" without one)
  kind,        // announcement or filing
};
LAYOFFS_EXPORT std::string_view to_string(Grouping g) noexcept;
LAYOFFS_EXPORT Grouping parse_grouping(std::string_view text, std::string_view field = "group");

// Which time groups totals_by() returns.
enum class Periods {
  with_events,  // only periods with a selected event
  // Every year, quarter or month from filter.from to filter.to (or, where
  // either is unset, from the first to the last selected event), empty ones
  // included as zero totals, so a timeline has no gaps. Other groupings
  // ignore it.
  all,
};

struct GroupTotal {
  // "2023", "2023-Q1", "2023-01", a company, department, reason, industry or
  // country name, a USPS code, "announcement" or "filing"; "(none)" for events
  // without a department, reason, industry, country or state.
  std::string label;
  // The company/department/reason id, yyyy, yyyyq, yyyymm, the EventKind's
  // value; 0 for industry, country and us_state groups (named by label).
  std::int64_t key = 0;
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

// How Tracker::match_filings pairs filings with announcements.
struct MatchOptions {
  // A filing may be dated this many days before the announcement (a notice
  // filed the day before the cut is announced) ...
  int days_before = 14;
  // ... or this many days after it (at most Options::filing_window_days).
  int days_after = 90;
};

// A proposed link: `filing` is the paperwork of `announcement`'s cut.
struct MatchProposal {
  EventId filing;
  std::string filing_company;
  Date filing_date;
  std::string filing_headcount;  // the phrase
  std::string filing_state;      // USPS code or ""
  // The nearest announcement of the same company tree that has room for
  // the filing; when two are equally near, `ambiguous` is set, `announcement`
  // is the first of `candidates`, and the pair is never applied.
  EventId announcement;
  std::string announcement_company;
  Date announcement_date;
  std::string announcement_headcount;
  int days_after = 0;  // filing date less announcement date (negative: filed before)
  // What the announcement can still hold (its high, "about n" + 10 %, less
  // the lows of what it includes, and of the proposals before this one),
  // before and after this filing; empty = unbounded.
  std::optional<std::int64_t> room_before;
  std::optional<std::int64_t> room_after;
  bool ambiguous = false;
  std::vector<EventId> candidates;  // the equally near announcements, when ambiguous
  std::string reason;               // all of the above in a sentence
};

// How much of an announced cut is on file.
struct Coverage {
  EventId announcement;
  std::string company;
  Date announced_on;
  Headcount headcount;  // as announced
  Total on_file;        // the filings it includes (directly or through events it includes)
  std::vector<std::pair<std::string, Total>> by_state;  // USPS code ("" = none), largest first
  // on_file's estimate over the announcement's best estimate (0-1, can be
  // more when the filings exceed it); empty when the announcement has no
  // usable count.
  std::optional<double> share;
};

struct Reconciliation {
  Claim claim;
  Total events;  // what the recorded events add up to over the claim's scope
  Verdict verdict = Verdict::consistent;
};

}  // namespace layoffs
