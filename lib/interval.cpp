// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "interval.h"

#include <algorithm>
#include <utility>

namespace layoffs::detail {

namespace {
__extension__ typedef __int128 Wide;  // products of two counts up to 10^12
}  // namespace

Interval to_interval(const Headcount& h) {
  return Interval{h.low(),         h.high(),       h.estimate(),
                  h.approximate(), h.is_unknown(), h.kind() == HeadcountKind::about};
}

std::optional<std::int64_t> inclusion_room(const Interval& own) {
  if (!own.high) {
    return std::nullopt;
  }
  return own.about ? *own.high + *own.high / 10 : *own.high;
}

std::unordered_map<std::int64_t, Interval> counted_figures(
    const std::unordered_map<std::int64_t, Interval>& own,
    const std::unordered_map<std::int64_t, std::vector<std::int64_t>>& children) {
  std::unordered_map<std::int64_t, Interval> up;
  up.reserve(own.size());
  // Post-order without recursion (trees may be deep); `entered` guards a
  // hand-made cycle.
  std::unordered_map<std::int64_t, bool> entered;
  std::vector<std::int64_t> roots;
  {
    std::unordered_map<std::int64_t, bool> is_child;
    for (const auto& [parent, kids] : children) {
      for (const std::int64_t k : kids) {
        is_child[k] = true;
      }
    }
    for (const auto& [id, unused] : own) {
      if (!is_child.count(id)) {
        roots.push_back(id);
      }
    }
    std::sort(roots.begin(), roots.end());
  }
  static const std::vector<std::int64_t> kNone;
  auto kids_of = [&](std::int64_t id) -> const std::vector<std::int64_t>& {
    const auto it = children.find(id);
    return it == children.end() ? kNone : it->second;
  };
  std::vector<std::int64_t> order;  // pre-order, for the way down
  for (const std::int64_t root : roots) {
    std::vector<std::pair<std::int64_t, bool>> stack{{root, false}};
    while (!stack.empty()) {
      auto [id, done] = stack.back();
      stack.pop_back();
      if (!done) {
        if (entered[id]) {
          continue;
        }
        entered[id] = true;
        order.push_back(id);
        stack.emplace_back(id, true);
        for (const std::int64_t k : kids_of(id)) {
          if (own.count(k) && !entered[k]) {
            stack.emplace_back(k, false);
          }
        }
        continue;
      }
      Interval f = own.at(id);
      std::int64_t sum_low = 0;
      std::int64_t sum_est = 0;
      bool child_approx = false;
      bool any = false;
      for (const std::int64_t k : kids_of(id)) {
        const auto it = up.find(k);
        if (it == up.end()) {
          continue;
        }
        any = true;
        sum_low += it->second.low;
        sum_est += it->second.estimate;
        child_approx = child_approx || it->second.approximate;
      }
      if (any) {
        const bool raised = sum_low > f.low || sum_est > f.estimate;
        f.low = std::max(f.low, sum_low);
        if (f.high) {
          f.high = std::max(*f.high, f.low);
        }
        f.estimate = std::max(f.estimate, sum_est);
        f.estimate = std::max(f.estimate, f.low);
        if (f.high) {
          f.estimate = std::min(f.estimate, *f.high);
        }
        f.approximate = f.approximate || (raised && child_approx);
        f.unknown = f.unknown && f.low == 0;
      }
      up[id] = f;
    }
  }
  // Down: children's estimates never add up to more than their includer's.
  for (const std::int64_t id : order) {
    const auto self = up.find(id);
    if (self == up.end()) {
      continue;
    }
    // Each part gives up its share of the excess, room × excess / Σ room,
    // rounded UP: the parts then fit (Σ shares >= the excess) and no part's
    // figure depends on its event id or on the order of the links. (Rounding
    // down and handing the rest out in id order made a subtree's estimate
    // change when an export was imported with other ids: found by the oplog
    // fuzz target's round trip.) A share never exceeds the part's room, as
    // the excess never exceeds Σ room.
    std::int64_t sum = 0;
    std::int64_t slack = 0;
    std::vector<Interval*> kids;
    for (const std::int64_t k : kids_of(id)) {
      const auto it = up.find(k);
      if (it != up.end() && k != id) {
        kids.push_back(&it->second);
        sum += it->second.estimate;
        slack += it->second.estimate - it->second.low;
      }
    }
    std::int64_t excess = sum - self->second.estimate;
    if (excess <= 0 || slack <= 0) {
      continue;
    }
    excess = std::min(excess, slack);
    for (Interval* k : kids) {
      const std::int64_t room = k->estimate - k->low;
      // ceil(room * excess / slack) without overflow (both below 2^40 or so).
      const auto share = static_cast<std::int64_t>(
          (static_cast<Wide>(room) * excess + static_cast<Wide>(slack) - 1) / slack);
      k->estimate -= std::min(share, room);
    }
  }
  return up;
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

}  // namespace layoffs::detail
