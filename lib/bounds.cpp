// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Bounds flow upward: keeping event_counted_bounds in step with the
// inclusion trees, and refusing inclusions that cannot hold.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <layoffs/error.h>
#include <layoffs/tracker.h>

#include "interval.h"
#include "tracker_impl.h"

namespace layoffs {

namespace {

detail::Interval read_interval(SQLite::Statement& st, int first) {
  detail::Interval iv;
  iv.low = st.getColumn(first).getInt64();
  iv.high = detail::column_optional_int(st, first + 1);
  iv.estimate = st.getColumn(first + 2).getInt64();
  const std::string kind = st.getColumn(first + 3).getString();
  iv.approximate = kind == "about" || kind == "phrase";
  iv.unknown = kind == "unknown";
  iv.about = kind == "about";
  return iv;
}

std::string figure_text(const detail::Interval& iv) {
  if (!iv.high) {
    return "at least " + format_count(iv.low);
  }
  if (*iv.high == iv.low) {
    return (iv.about ? "about " : "") + format_count(iv.low);
  }
  return format_count(iv.low) + "\u2013" + format_count(*iv.high);
}

// One inclusion tree: every event under `root` (the root included), with its
// own figure, status, phrase and raw includer.
struct Tree {
  struct Node {
    detail::Interval own;
    bool active = true;
    std::string phrase;
    std::optional<std::int64_t> includer;
    std::int64_t company = 0;
  };
  std::map<std::int64_t, Node> nodes;
};

Tree load_tree(Tracker::Impl& impl, std::int64_t root) {
  Tree tree;
  auto& st = impl.stmt(
      detail::inclusion_descent_cte("down", "?1") +
      "SELECT e.id, e.headcount_low, e.headcount_high, e.headcount_estimate, e.headcount_kind, "
      "e.status, e.headcount_phrase, "
      "(SELECT including_event_id FROM event_inclusion WHERE included_event_id = e.id), "
      "e.company_id FROM down JOIN layoff_event e ON e.id = down.id");
  st.bind(1, static_cast<int64_t>(root));
  while (st.executeStep()) {
    Tree::Node n;
    n.own = read_interval(st, 1);
    n.active = st.getColumn(5).getString() == "active";
    n.phrase = st.getColumn(6).getString();
    n.includer = detail::column_optional_int(st, 7);
    n.company = st.getColumn(8).getInt64();
    tree.nodes.emplace(st.getColumn(0).getInt64(), std::move(n));
  }
  st.reset();
  return tree;
}

// The top of the inclusion tree holding `id` (itself if nothing includes it).
std::optional<std::int64_t> root_of_event(Tracker::Impl& impl, std::int64_t id) {
  auto& exists = impl.stmt("SELECT 1 FROM layoff_event WHERE id = ?");
  exists.bind(1, static_cast<int64_t>(id));
  const bool found = exists.executeStep();
  exists.reset();
  if (!found) {
    return std::nullopt;
  }
  auto& st =
      impl.stmt("SELECT including_event_id FROM event_inclusion WHERE included_event_id = ?");
  std::int64_t cursor = id;
  std::unordered_set<std::int64_t> seen{cursor};  // a hand-made cycle must not loop
  for (;;) {
    st.bind(1, static_cast<int64_t>(cursor));
    const bool up = st.executeStep();
    const std::int64_t next = up ? st.getColumn(0).getInt64() : 0;
    st.reset();
    if (!up || !seen.insert(next).second) {
      return cursor;
    }
    cursor = next;
  }
}

// The nearest active includer links of a tree, and the figures they give.
struct Counted {
  std::unordered_map<std::int64_t, detail::Interval> own;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> children;
  std::unordered_map<std::int64_t, detail::Interval> figures;
  // company_low (see event_counted_bounds): where tighter than the plain
  // remainder's low.
  std::unordered_map<std::int64_t, std::int64_t> company_low;
};

// What `id` adds to its company's own total (the grouping company_totals
// shows): its low as the plain remainder gives it, and as walking through
// its company's own included events tightens it (the rule of
// queries.cpp's contribution()).
std::pair<std::int64_t, std::int64_t> company_lows(const Tree& tree, const Counted& c,
                                                   std::int64_t id,
                                                   std::vector<detail::Interval>& removed,
                                                   std::unordered_set<std::int64_t>& visited) {
  const std::size_t first = removed.size();
  std::int64_t floor = 0;
  const std::int64_t company = tree.nodes.at(id).company;
  if (const auto kids = c.children.find(id); kids != c.children.end()) {
    for (const std::int64_t k : kids->second) {
      if (!visited.insert(k).second) {
        continue;
      }
      if (tree.nodes.at(k).company == company) {
        floor += company_lows(tree, c, k, removed, visited).second;
      } else {
        removed.push_back(c.figures.at(k));
      }
    }
  }
  const std::int64_t plain =
      detail::remainder(c.figures.at(id), std::span<const detail::Interval>(removed.data() + first,
                                                                            removed.size() - first))
          .low;
  return {plain, std::max(plain, floor)};
}

Counted count_tree(const Tree& tree) {
  Counted c;
  for (const auto& [id, n] : tree.nodes) {
    if (!n.active) {
      continue;
    }
    std::optional<std::int64_t> up = n.includer;
    std::size_t steps = 0;
    while (up && steps++ <= tree.nodes.size()) {
      const auto it = tree.nodes.find(*up);
      if (it == tree.nodes.end() || it->second.active) {
        break;
      }
      up = it->second.includer;
    }
    const bool linked = up && *up != id && tree.nodes.count(*up) && tree.nodes.at(*up).active;
    const bool has_link =
        linked || std::any_of(tree.nodes.begin(), tree.nodes.end(),
                              [self = id](const auto& o) { return o.second.includer == self; });
    if (linked) {
      c.children[*up].push_back(id);
    }
    if (has_link) {
      c.own.emplace(id, n.own);
    }
  }
  // An includer whose children are all inactive takes part in nothing.
  for (const auto& [parent, kids] : c.children) {
    c.own.emplace(parent, tree.nodes.at(parent).own);
  }
  c.figures = detail::counted_figures(c.own, c.children);
  for (const auto& [id, unused] : c.figures) {
    std::vector<detail::Interval> removed;
    std::unordered_set<std::int64_t> visited{id};
    const auto [plain, tight] = company_lows(tree, c, id, removed, visited);
    if (tight > plain) {
      c.company_low.emplace(id, tight);
    }
  }
  return c;
}

}  // namespace

void Tracker::Impl::refresh_counted_bounds(const std::vector<std::int64_t>& touched,
                                           std::string_view field) {
  std::set<std::int64_t> roots;
  for (const std::int64_t id : touched) {
    if (const auto root = root_of_event(*this, id)) {
      roots.insert(*root);
    }
  }
  for (const std::int64_t root : roots) {
    const Tree tree = load_tree(*this, root);
    const Counted counted = count_tree(tree);
    // Room: an includer's own figure must hold what its children need.
    for (const auto& [parent, kids] : counted.children) {
      const detail::Interval& own = counted.own.at(parent);
      const std::optional<std::int64_t> room = detail::inclusion_room(own);
      std::int64_t need = 0;
      std::string names;
      for (const std::int64_t k : kids) {
        const detail::Interval& f = counted.figures.at(k);
        need += f.low;
        names += (names.empty() ? "" : ", ") + std::string("event ") + std::to_string(k) + " (" +
                 tree.nodes.at(k).phrase + ", " + figure_text(f) + ")";
      }
      if (room && need > *room) {
        const Tree::Node& p = tree.nodes.at(parent);
        throw invalid_field(
            field, std::to_string(parent),
            "cannot include what it is said to include: event " + std::to_string(parent) + " (" +
                p.phrase + ", " + figure_text(own) + (own.about ? ", up to 10 % more" : "") +
                ") is smaller than the at least " + format_count(need) + " of " + names + "; event",
            ErrorCode::invalid_inclusion);
      }
    }
    auto& del = stmt("DELETE FROM event_counted_bounds WHERE event_id IN (" +
                     detail::inclusion_descent_cte("down", "?1") + "SELECT id FROM down)");
    del.bind(1, static_cast<int64_t>(root));
    del.exec();
    for (const auto& [id, f] : counted.figures) {
      const detail::Interval& own = counted.own.at(id);
      const auto tight = counted.company_low.find(id);
      if (f.low == own.low && f.high == own.high && f.estimate == own.estimate &&
          tight == counted.company_low.end()) {
        continue;
      }
      auto& ins = stmt(
          "INSERT INTO event_counted_bounds (event_id, low, high, estimate, company_low) "
          "VALUES (?, ?, ?, ?, ?)");
      ins.bind(1, static_cast<int64_t>(id));
      ins.bind(2, static_cast<int64_t>(f.low));
      detail::bind_optional(ins, 3, f.high);
      ins.bind(4, static_cast<int64_t>(f.estimate));
      if (tight != counted.company_low.end()) {
        ins.bind(5, static_cast<int64_t>(tight->second));
      } else {
        ins.bind(5);
      }
      ins.exec();
    }
  }
}

std::vector<std::string> Tracker::Impl::counted_bounds_problems() {
  std::set<std::int64_t> roots;
  {
    auto& st = stmt(
        "SELECT including_event_id FROM event_inclusion WHERE including_event_id NOT IN "
        "(SELECT included_event_id FROM event_inclusion)");
    while (st.executeStep()) {
      roots.insert(st.getColumn(0).getInt64());
    }
  }
  std::map<std::int64_t, std::string> want;
  for (const std::int64_t root : roots) {
    const Counted counted = count_tree(load_tree(*this, root));
    for (const auto& [id, f] : counted.figures) {
      const detail::Interval& own = counted.own.at(id);
      const auto tight = counted.company_low.find(id);
      if (f.low != own.low || f.high != own.high || f.estimate != own.estimate ||
          tight != counted.company_low.end()) {
        want[id] = std::to_string(f.low) + "|" + (f.high ? std::to_string(*f.high) : "NULL") + "|" +
                   std::to_string(f.estimate) + "|" +
                   (tight != counted.company_low.end() ? std::to_string(tight->second) : "NULL");
      }
    }
  }
  std::map<std::int64_t, std::string> have;
  auto& st = stmt("SELECT event_id, low, high, estimate, company_low FROM event_counted_bounds");
  while (st.executeStep()) {
    have[st.getColumn(0).getInt64()] =
        std::to_string(st.getColumn(1).getInt64()) + "|" +
        (st.isColumnNull(2) ? std::string("NULL") : std::to_string(st.getColumn(2).getInt64())) +
        "|" + std::to_string(st.getColumn(3).getInt64()) + "|" +
        (st.isColumnNull(4) ? std::string("NULL") : std::to_string(st.getColumn(4).getInt64()));
  }
  std::vector<std::string> problems;
  for (const auto& [id, row] : want) {
    const auto it = have.find(id);
    if (it == have.end() || it->second != row) {
      problems.push_back("event_counted_bounds: event " + std::to_string(id) + " should count as " +
                         row + " (low|high|estimate|company_low), not " +
                         (it == have.end() ? std::string("its own headcount") : it->second));
    }
  }
  for (const auto& [id, row] : have) {
    if (!want.count(id)) {
      problems.push_back("event_counted_bounds: event " + std::to_string(id) +
                         " should count with its own headcount, not " + row);
    }
  }
  return problems;
}

}  // namespace layoffs
