// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <span>

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
};

Interval to_interval(const Headcount& h);

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
  // A counted event's figure (or remainder).
  void add(const Interval& contribution);
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
  const Total& total() const { return total_; }

 private:
  Total total_;
};

}  // namespace layoffs::detail
