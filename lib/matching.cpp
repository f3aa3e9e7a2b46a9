// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Tracker: matching filings to the announcements they belong to, and how
// much of an announcement is on file.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include <layoffs/error.h>
#include <layoffs/tracker.h>

#include "interval.h"
#include "rows.h"
#include "tracker_impl.h"

namespace layoffs {

namespace {

std::string room_text(const std::optional<std::int64_t>& room) {
  return room ? format_count(*room) : std::string("unbounded");
}

struct Announcement {
  std::int64_t id;
  std::int64_t root;  // top company
  std::string company;
  Date date;
  Headcount headcount;
  std::optional<std::int64_t> room;  // empty = unbounded
};

// Maps every company id to its top-level ancestor, and names them.
void company_roots(Tracker::Impl& impl, std::unordered_map<std::int64_t, std::int64_t>& root,
                   std::unordered_map<std::int64_t, std::string>& name) {
  std::unordered_map<std::int64_t, std::int64_t> parent;
  auto& st = impl.stmt("SELECT id, parent_id, name FROM company");
  while (st.executeStep()) {
    const std::int64_t id = st.getColumn(0).getInt64();
    parent[id] = st.isColumnNull(1) ? 0 : st.getColumn(1).getInt64();
    name[id] = st.getColumn(2).getString();
  }
  for (const auto& [id, unused] : parent) {
    std::int64_t cursor = id;
    for (std::size_t depth = 0; depth <= parent.size() && parent[cursor] != 0; ++depth) {
      cursor = parent[cursor];  // bounded: a hand-made cycle must not hang
    }
    root[id] = cursor;
  }
}

long day_of(const Date& d) {
  return d.first_day().days_since_epoch();
}

}  // namespace

std::vector<MatchProposal> Tracker::match_filings(const Filter& filter,
                                                  const MatchOptions& options) const {
  Impl::ReadCall call(*impl_);
  return guarded("match_filings", [&] {
    if (options.days_before < 0 || options.days_before > 366) {
      throw invalid_field("days_before", std::to_string(options.days_before),
                          "must be from 0 to 366, not");
    }
    if (options.days_after < 0 || options.days_after > impl_->options.filing_window_days) {
      throw invalid_field("days_after", std::to_string(options.days_after),
                          "must be from 0 to Options::filing_window_days (" +
                              std::to_string(impl_->options.filing_window_days) + "), not");
    }
    Filter filings = filter;
    filings.kind = EventKind::filing;
    const std::vector<std::int64_t> ids = impl_->selected_ids(filings);
    const Impl::InclusionIndex& index = impl_->inclusion_index();
    std::unordered_map<std::int64_t, std::int64_t> root;
    std::unordered_map<std::int64_t, std::string> company_name;
    company_roots(*impl_, root, company_name);

    // Every active announcement, by top company, with the room it has left.
    std::unordered_map<std::int64_t, std::vector<Announcement>> by_root;
    auto& st = impl_->stmt(
        "SELECT e.id, e.company_id, e.announced_on, e.announced_precision, e.headcount_kind, "
        "e.headcount_low, e.headcount_high, e.headcount_estimate, e.headcount_phrase "
        "FROM layoff_event e WHERE e.kind = 'announcement' AND e.status = 'active'");
    while (st.executeStep()) {
      Announcement a;
      a.id = st.getColumn(0).getInt64();
      const std::int64_t company = st.getColumn(1).getInt64();
      a.root = root.count(company) ? root[company] : company;
      a.company = company_name[company];
      const Date first = Date::parse(st.getColumn(2).getString(), "announced_on");
      const std::string precision = st.getColumn(3).getString();
      a.date = precision == "day"     ? first
               : precision == "month" ? Date::year_month(first.year(), first.month())
                                      : Date::year_only(first.year());
      a.headcount =
          Headcount::from_parts(parse_headcount_kind(st.getColumn(4).getString()),
                                st.getColumn(5).getInt64(), detail::column_optional_int(st, 6),
                                st.getColumn(7).getInt64(), st.getColumn(8).getString());
      const detail::Interval own = detail::to_interval(a.headcount);
      a.room = detail::inclusion_room(own);
      if (a.room) {
        if (const auto kids = index.children.find(a.id); kids != index.children.end()) {
          for (const std::int64_t k : kids->second) {
            if (const detail::Interval* fig = impl_->counted_figure(k)) {
              *a.room -= fig->low;
            }
          }
        }
      }
      by_root[a.root].push_back(std::move(a));
    }
    st.reset();

    std::vector<MatchProposal> out;
    for (const std::int64_t id : ids) {
      const Event f = impl_->load_event(EventId(id));
      if (f.status != EventStatus::active || f.included_in) {
        continue;
      }
      const std::int64_t f_root =
          root.count(f.company.value()) ? root[f.company.value()] : f.company.value();
      const long f_day = day_of(f.announced_on);
      std::vector<Announcement*> best;
      long best_distance = 0;
      for (Announcement& a : by_root[f_root]) {
        const long after = f_day - day_of(a.date);
        const long last = a.date.last_day().days_since_epoch();
        if (after < -options.days_before || f_day > last + options.days_after) {
          continue;
        }
        if (a.room && *a.room < f.headcount.low()) {
          continue;
        }
        const long distance = std::labs(after);
        if (best.empty() || distance < best_distance) {
          best = {&a};
          best_distance = distance;
        } else if (distance == best_distance) {
          best.push_back(&a);
        }
      }
      if (best.empty()) {
        continue;
      }
      std::sort(best.begin(), best.end(),
                [](const Announcement* x, const Announcement* y) { return x->id < y->id; });
      Announcement& a = *best.front();
      MatchProposal p;
      p.filing = f.id;
      p.filing_company = f.company_name;
      p.filing_date = f.announced_on;
      p.filing_headcount = f.headcount.phrase();
      p.filing_state = f.us_state;
      p.announcement = EventId(a.id);
      p.announcement_company = a.company;
      p.announcement_date = a.date;
      p.announcement_headcount = a.headcount.phrase();
      p.days_after = static_cast<int>(f_day - day_of(a.date));
      p.room_before = a.room;
      p.ambiguous = best.size() > 1;
      const std::string filing_text = f.company_name + "'s filing " + std::to_string(id) + " of " +
                                      f.announced_on.to_string() + " (" + f.headcount.phrase() +
                                      (f.us_state.empty() ? "" : ", " + f.us_state) + ")";
      auto days = [](long n) {
        return std::to_string(std::labs(n)) + (std::labs(n) == 1 ? " day " : " days ") +
               (n < 0 ? "before" : "after");
      };
      if (p.ambiguous) {
        std::string names;
        for (const Announcement* b : best) {
          p.candidates.emplace_back(b->id);
          names += (names.empty() ? "" : " and ") + b->company + "'s " + b->date.to_string() +
                   " (event " + std::to_string(b->id) + ", " + b->headcount.phrase() + ")";
        }
        p.reason = filing_text + " is equally near " + names + ", " +
                   std::to_string(best_distance) + " days: ambiguous, not linked";
      } else {
        if (a.room) {
          *a.room -= f.headcount.low();
        }
        p.room_after = a.room;
        p.reason = filing_text + " is filed " + days(p.days_after) + " " + a.company +
                   "'s announcement " + std::to_string(a.id) + " of " + a.date.to_string() + " (" +
                   a.headcount.phrase() + "), the nearest with room; room " +
                   room_text(p.room_before) + " before, " + room_text(p.room_after) + " after";
      }
      out.push_back(std::move(p));
    }
    return out;
  });
}

int Tracker::apply_matches(std::span<const MatchProposal> proposals) {
  int linked = 0;
  transaction([&] {
    for (const MatchProposal& p : proposals) {
      if (p.ambiguous) {
        continue;
      }
      const EventId filing[] = {p.filing};
      link(p.announcement, filing);
      ++linked;
    }
  });
  return linked;
}

std::vector<Coverage> Tracker::coverage(const Filter& filter) const {
  Impl::ReadCall call(*impl_);
  return guarded("coverage", [&] {
    Filter announcements = filter;
    announcements.kind = EventKind::announcement;
    const Impl::InclusionIndex& index = impl_->inclusion_index();
    // Set-based: the selected announcements in one statement, and the kind
    // and state of every included event in another (instead of loading
    // each announcement and then each event below it, one at a time).
    std::vector<Coverage> out;
    impl_->for_each_selected(
        announcements,
        "e.id, c.name, e.announced_on, e.announced_precision, e.headcount_kind, "
        "e.headcount_low, e.headcount_high, e.headcount_estimate, e.headcount_phrase",
        [&](SQLite::Statement& st) {
          const std::int64_t id = st.getColumn(0).getInt64();
          if (index.inactive.count(id)) {
            return;
          }
          if (st.isColumnNull(1)) {  // only in a file edited with foreign keys off
            throw Error(ErrorCode::corrupt, "event " + std::to_string(id) + " names a company " +
                                                "that does not exist: '" + impl_->path +
                                                "' was edited by hand; run 'layoffs check'");
          }
          Coverage& c = out.emplace_back();
          c.announcement = EventId(id);
          c.company = st.getColumn(1).getString();
          c.announced_on = detail::read_announced_on(st, 2);
          c.headcount = detail::read_headcount(st, 4);
        });
    struct Below {
      bool filing;
      std::string state;
    };
    std::unordered_map<std::int64_t, Below> below;
    if (!out.empty() && index.any()) {
      auto& st = impl_->stmt(
          "SELECT e.id, e.kind = 'filing', coalesce(e.us_state, '') FROM event_inclusion i "
          "JOIN layoff_event e ON e.id = i.included_event_id");
      while (st.executeStep()) {
        below.emplace(st.getColumn(0).getInt64(),
                      Below{st.getColumn(1).getInt() != 0, st.getColumn(2).getString()});
      }
      st.reset();
    }
    for (Coverage& c : out) {
      const std::int64_t id = c.announcement.value();
      detail::TotalBuilder on_file;
      std::map<std::string, detail::TotalBuilder> states;
      // The filings below it: walking down through announcements it includes,
      // stopping at each filing (what a filing includes is inside it).
      std::vector<std::int64_t> pending{id};
      std::unordered_map<std::int64_t, bool> seen{{id, true}};
      while (!pending.empty()) {
        const std::int64_t parent = pending.back();
        pending.pop_back();
        const auto kids = index.children.find(parent);
        if (kids == index.children.end()) {
          continue;
        }
        for (const std::int64_t k : kids->second) {
          if (seen[k]) {
            continue;
          }
          seen[k] = true;
          const auto it = below.find(k);
          if (it == below.end() || !it->second.filing) {
            pending.push_back(k);
            continue;
          }
          if (const detail::Interval* fig = impl_->counted_figure(k)) {
            on_file.add(*fig);
            states[it->second.state].add(*fig);
          }
        }
      }
      c.on_file = on_file.total();
      for (const auto& [state, t] : states) {
        c.by_state.emplace_back(state, t.total());
      }
      std::stable_sort(c.by_state.begin(), c.by_state.end(), [](const auto& x, const auto& y) {
        return x.second.estimate > y.second.estimate;
      });
      if (!c.headcount.is_unknown() && c.headcount.estimate() > 0) {
        c.share =
            static_cast<double>(c.on_file.estimate) / static_cast<double>(c.headcount.estimate());
      }
    }
    return out;
  });
}

}  // namespace layoffs
