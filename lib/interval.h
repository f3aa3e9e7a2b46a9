// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <layoffs/headcount.h>
#include <layoffs/query.h>

namespace layoffs::detail {

// A headcount reduced to what totals need. high empty = unbounded.
struct Interval {
  std::int64_t low = 0;
  std::optional<std::int64_t> high = 0;
  std::int64_t estimate = 0;
  bool approximate = false;
  bool unknown = false;
  bool about = false;  // "about n": may include up to n + 10 % (see inclusion_room)
};

Interval to_interval(const Headcount& h);

// The most an event with this figure may include (the sum of its included
// events' lows): its high, or for "about n" n + 10 % (so "about 9,000" may
// include filings adding up to 9,900); empty = no limit.
std::optional<std::int64_t> inclusion_room(const Interval& own);

// The figures the counting rules use for events in inclusions, given each
// active event's own interval and its nearest active included events
// (`children`; every child must have an entry in `own`). Bounds flow upward:
//   low'      = max(low, sum(children's low'))
//   high'     = max(high, low') (unbounded stays unbounded; only "about n"
//               within its tolerance can need the max)
//   estimate' = max(estimate, sum(children's estimate')), clamped into
//               [low', high']
// and then flow down: where an includer's estimate' is smaller than the sum
// of its children's, theirs are lowered toward their lows (in proportion to
// the room each has, estimate - low, rounded down; what the rounding leaves
// is taken from the children in the order `children` lists them, which
// callers keep in ascending id) until they add up to it, so an includer's estimate is
// never below the sum of what it includes and estimates add up across any
// split of the events. approximate and unknown carry over: an includer
// raised by an approximate child is approximate; an unknown one raised
// above 0 is no longer unknown.
std::unordered_map<std::int64_t, Interval> counted_figures(
    const std::unordered_map<std::int64_t, Interval>& own,
    const std::unordered_map<std::int64_t, std::vector<std::int64_t>>& children);

// What is left of `outer` once the events in `removed`, which `outer`'s
// figure already contains, are taken out:
//   low      = max(0, outer.low - sum(removed.high))   (0 if any is unbounded)
//   high     = outer.high - sum(removed.low)            (unbounded stays unbounded)
//   estimate = outer.estimate - sum(removed.estimate), clamped into [low, high]
// Everything is clamped at zero and high is never below low, so inconsistent
// reports (an "including" figure smaller than what it includes) give 0, never
// a negative count.
Interval remainder(const Interval& outer, std::span<const Interval> removed);

// Adds intervals up into a Total.
class TotalBuilder {
 public:
  // A counted event's figure (or remainder). Inline: totals call it once
  // per selected row.
  void add(const Interval& c) {
    total_.low += c.low;
    if (total_.high && c.high) {
      *total_.high += *c.high;
    } else {
      total_.high = std::nullopt;
    }
    total_.estimate += c.estimate;
    ++total_.selected_events;
    ++total_.counted_events;
    if (c.unknown) {
      ++total_.unknown_events;
    }
    total_.approximate = total_.approximate || c.approximate;
  }
  // A selected event skipped because a selected event includes it.
  void inside() {
    ++total_.selected_events;
    ++total_.inside_events;
  }
  // A selected event that is not active.
  void left_out(EventStatus status) {
    ++total_.selected_events;
    if (status == EventStatus::retracted) {
      ++total_.retracted_events;
    } else {
      ++total_.superseded_events;
    }
  }
  // Of the events add()ed: an announcement, or a filing no event includes.
  void counted_announcement() { ++announcements_; }
  void counted_unmatched_filing() { ++unmatched_filings_; }
  Total total() const {
    Total t = total_;
    t.unmatched_filings = announcements_ > 0 ? unmatched_filings_ : 0;
    return t;
  }

 private:
  Total total_;
  int announcements_ = 0;
  int unmatched_filings_ = 0;
};

}  // namespace layoffs::detail
