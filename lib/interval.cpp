// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "interval.h"

#include <algorithm>

namespace layoffs::detail {

Interval to_interval(const Headcount& h) {
  return Interval{h.low(), h.high(), h.estimate(), h.approximate(), h.is_unknown()};
}

Interval remainder(const Interval& outer, std::span<const Interval> removed) {
  std::int64_t removed_low = 0;
  std::int64_t removed_high = 0;
  std::int64_t removed_estimate = 0;
  bool removed_unbounded = false;
  bool approximate = outer.approximate;
  for (const Interval& r : removed) {
    removed_low += r.low;
    removed_estimate += r.estimate;
    if (r.high) {
      removed_high += *r.high;
    } else {
      removed_unbounded = true;
    }
    approximate = approximate || r.approximate;
  }
  Interval out;
  out.unknown = outer.unknown;
  out.approximate = approximate;
  out.low = removed_unbounded ? 0 : std::max<std::int64_t>(0, outer.low - removed_high);
  if (outer.high) {
    out.high = std::max(out.low, *outer.high - removed_low);
  } else {
    out.high = std::nullopt;
  }
  out.estimate = std::max<std::int64_t>(0, outer.estimate - removed_estimate);
  out.estimate = std::max(out.estimate, out.low);
  if (out.high) {
    out.estimate = std::min(out.estimate, *out.high);
  }
  return out;
}

void TotalBuilder::add(const Interval& c) {
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

}  // namespace layoffs::detail
