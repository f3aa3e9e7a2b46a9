// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Computed keys and the export order of events (see jsonl_export.cpp for
// the format rules).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "export.h"
#include "export_order.h"
#include "importers.h"
#include "jsonl_common.h"
#include "stable_hash.h"

namespace layoffs::io::detail {

namespace {

// Length-prefixed, so no field value can imitate a field boundary.
void append_field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

}  // namespace

// Kahn's algorithm that always emits the waiting item that sorts first:
// `order` is the preferred order, `before[i]` the items that must precede
// item i. The result is `order` itself whenever that already satisfies the
// constraints. Items caught in a cycle (the core prevents them) are appended
// in preferred order so nothing is silently dropped.
std::vector<std::size_t> stable_topological(const std::vector<std::size_t>& order,
                                            const std::vector<std::vector<std::size_t>>& before) {
  const std::size_t n = order.size();
  std::vector<std::size_t> rank(n);
  for (std::size_t r = 0; r < n; ++r) {
    rank[order[r]] = r;
  }
  std::vector<std::size_t> waiting(n, 0);
  std::vector<std::vector<std::size_t>> after(n);
  for (std::size_t i = 0; i < n; ++i) {
    waiting[i] = before[i].size();
    for (const std::size_t b : before[i]) {
      after[b].push_back(i);
    }
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i) {
    if (waiting[i] == 0) {
      ready.push(rank[i]);
    }
  }
  std::vector<std::size_t> out;
  out.reserve(n);
  std::vector<bool> done(n, false);
  while (!ready.empty()) {
    const std::size_t i = order[ready.top()];
    ready.pop();
    out.push_back(i);
    done[i] = true;
    for (const std::size_t j : after[i]) {
      if (--waiting[j] == 0) {
        ready.push(rank[j]);
      }
    }
  }
  for (const std::size_t i : order) {
    if (!done[i]) {
      out.push_back(i);
    }
  }
  return out;
}

// The facts that identify an event without a key (the same ones
// Tracker::record uses to spot duplicates, plus the phrase). Versioned so a
// future change of this string cannot silently re-key old exports.
std::string canonical_event(std::string_view company_name, const NewEvent& e) {
  std::string s = "layoffs-event-v1;";
  append_field(s, company_name);
  append_field(s, e.announced_on.iso());
  append_field(s, to_string(e.announced_on.precision()));
  append_field(s, to_string(e.headcount.kind()));
  append_field(s, std::to_string(e.headcount.low()));
  append_field(s, e.headcount.high() ? std::to_string(*e.headcount.high()) : std::string());
  append_field(s, e.headcount.phrase());
  append_field(s, e.sources.empty() ? std::string_view() : std::string_view(e.sources[0].url));
  return s;
}

// The key an event without one is exported under: attempt 1 is the plain
// hash; later attempts are only used when an explicit key has taken it.
std::string computed_key(std::string_view canonical, int attempt) {
  return "ev:" + stable_hash_hex(attempt == 1 ? std::string(canonical)
                                              : std::string(canonical) + std::to_string(attempt));
}

// True if `key` is one an export could have computed for these facts.
bool is_computed_key(std::string_view key, std::string_view company_name, const NewEvent& e) {
  if (key.rfind("ev:", 0) != 0) {
    return false;
  }
  const std::string canonical = canonical_event(company_name, e);
  for (int attempt = 1; attempt <= kMaxKeyAttempts; ++attempt) {
    if (key == computed_key(canonical, attempt)) {
      return true;
    }
  }
  return false;
}

std::vector<std::pair<Event, std::string>> events_in_export_order(const Tracker& tracker) {
  std::vector<Event> events = tracker.events();
  const std::size_t n = events.size();

  std::vector<std::string> keys(n);
  std::unordered_set<std::string> taken;
  for (std::size_t i = 0; i < n; ++i) {
    if (!events[i].key.empty()) {
      keys[i] = events[i].key;
      taken.insert(keys[i]);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!keys[i].empty()) {
      continue;
    }
    const std::string canonical = canonical_event(events[i].company_name, events[i]);
    // A computed key can meet an explicit one after a round trip (the
    // imported copy carries it) if the same facts are then recorded again
    // without a key; a counter keeps both events apart.
    std::string key = computed_key(canonical, 1);
    for (int attempt = 2; taken.count(key) != 0; ++attempt) {
      key = computed_key(canonical, attempt);
    }
    taken.insert(key);
    keys[i] = std::move(key);
  }

  std::vector<std::size_t> preferred(n);
  std::iota(preferred.begin(), preferred.end(), std::size_t{0});
  std::sort(preferred.begin(), preferred.end(), [&](std::size_t a, std::size_t b) {
    if (events[a].announced_on != events[b].announced_on) {
      return events[a].announced_on < events[b].announced_on;
    }
    return keys[a] < keys[b];
  });
  std::unordered_map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < n; ++i) {
    index.emplace(events[i].id.value(), i);
  }
  std::vector<std::vector<std::size_t>> before(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const EventId inc : events[i].includes) {
      if (const auto it = index.find(inc.value()); it != index.end()) {
        before[i].push_back(it->second);
      }
    }
  }
  const std::vector<std::size_t> order = stable_topological(preferred, before);

  std::vector<std::size_t> position(n);
  for (std::size_t p = 0; p < n; ++p) {
    position[order[p]] = p;
  }
  std::vector<std::pair<Event, std::string>> out;
  out.reserve(n);
  for (const std::size_t i : order) {
    Event& e = events[i];
    // Tracker::event lists inclusions by date then rowid; rowids differ
    // between databases, so order by export position instead.
    std::sort(e.includes.begin(), e.includes.end(), [&](EventId a, EventId b) {
      const auto ia = index.find(a.value());
      const auto ib = index.find(b.value());
      const std::size_t pa = ia == index.end() ? n : position[ia->second];
      const std::size_t pb = ib == index.end() ? n : position[ib->second];
      return pa != pb ? pa < pb : a < b;
    });
    out.emplace_back(std::move(e), std::move(keys[i]));
  }
  return out;
}

}  // namespace layoffs::io::detail
