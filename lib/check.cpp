// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Tracker::check: everything the schema cannot enforce on a file edited by
// hand (see migrations/0005_hand_edit_guards.sql for what it does enforce).
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <layoffs/date.h>
#include <layoffs/error.h>
#include <layoffs/tracker.h>

#include "event_checks.h"
#include "rows.h"
#include "text.h"
#include "tracker_impl.h"

namespace layoffs {

namespace {

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

struct CompanyRow {
  std::string name;
  std::string key;
  std::optional<std::int64_t> parent;
};

// "Amazon (company 1)"
std::string label(const std::map<std::int64_t, CompanyRow>& companies, std::int64_t id) {
  const auto it = companies.find(id);
  return it == companies.end() ? "company " + std::to_string(id)
                               : it->second.name + " (company " + std::to_string(id) + ")";
}

void check_integrity(SQLite::Database& db, std::vector<std::string>& out) {
  SQLite::Statement integrity(db, "PRAGMA integrity_check");
  while (integrity.executeStep()) {
    const std::string row = integrity.getColumn(0).getString();
    if (row != "ok") {
      out.push_back("integrity_check: " + row);
    }
  }
}

void check_foreign_keys(SQLite::Database& db, std::vector<std::string>& out) {
  // PRAGMA foreign_key_check works whatever PRAGMA foreign_keys says.
  SQLite::Statement fk(db, "PRAGMA foreign_key_check");
  while (fk.executeStep()) {
    const std::string table = fk.getColumn(0).getString();
    const std::string rowid =
        fk.getColumn(1).isNull() ? std::string("?") : std::to_string(fk.getColumn(1).getInt64());
    const std::string parent = fk.getColumn(2).getString();
    out.push_back(table + " row " + rowid + " names a " + parent + " row that does not exist");
  }
}

// Parent cycles, name keys that are not their name's key, names that are
// another company's alias, and inclusions across company trees.
void check_companies(SQLite::Database& db, std::vector<std::string>& out) {
  std::map<std::int64_t, CompanyRow> companies;
  {
    SQLite::Statement st(db, "SELECT id, name, name_key, parent_id FROM company ORDER BY id");
    while (st.executeStep()) {
      CompanyRow c{st.getColumn(1).getString(), st.getColumn(2).getString(), std::nullopt};
      if (!st.getColumn(3).isNull()) {
        c.parent = st.getColumn(3).getInt64();
      }
      companies.emplace(st.getColumn(0).getInt64(), std::move(c));
    }
  }

  // Parent cycles: walk up from every company; a walk that comes back to a
  // company it met reports the cycle once (by its smallest id).
  std::map<std::int64_t, std::optional<std::int64_t>> root;  // nullopt: in or above a cycle
  std::set<std::int64_t> reported;
  for (const auto& [id, row] : companies) {
    std::vector<std::int64_t> path;
    std::set<std::int64_t> on_path;
    std::optional<std::int64_t> cursor = id;
    std::optional<std::int64_t> found_root;
    bool cycle = false;
    while (cursor) {
      if (const auto known = root.find(*cursor); known != root.end()) {
        found_root = known->second;
        cycle = !known->second;
        break;
      }
      if (!on_path.insert(*cursor).second) {
        // The cycle is the part of the path from *cursor on.
        cycle = true;
        std::vector<std::int64_t> members;
        bool in = false;
        for (const std::int64_t p : path) {
          in = in || p == *cursor;
          if (in) {
            members.push_back(p);
          }
        }
        const std::int64_t smallest = *std::min_element(members.begin(), members.end());
        if (reported.insert(smallest).second) {
          std::string text = "company parents form a cycle: ";
          for (const std::int64_t m : members) {
            text += label(companies, m) + " -> ";
          }
          text += label(companies, members.front()) +
                  "; no company in it has a top company (set one of their parents to none)";
          out.push_back(text);
        }
        break;
      }
      path.push_back(*cursor);
      const auto it = companies.find(*cursor);
      if (it == companies.end() || !it->second.parent) {
        found_root = *cursor;  // a missing parent is reported by foreign_key_check
        break;
      }
      cursor = it->second.parent;
    }
    for (const std::int64_t p : path) {
      root[p] = cycle ? std::nullopt : found_root;
    }
  }

  // Keys: each stored key must be the library's key of its text, and a key
  // names one company (its name or one of its aliases).
  std::unordered_map<std::string, std::pair<std::int64_t, std::string>> owner;  // key -> id, text
  auto claim_key = [&](std::int64_t id, const std::string& text, const std::string& what) {
    const std::string key = detail::name_key(text);
    const auto [it, inserted] = owner.emplace(key, std::make_pair(id, what));
    if (!inserted && it->second.first != id) {
      out.push_back(what + " of " + label(companies, id) + " is also " + it->second.second +
                    " of " + label(companies, it->second.first) +
                    "; a name or alias must name one company");
    }
  };
  for (const auto& [id, row] : companies) {
    const std::string key = detail::name_key(row.name);
    if (row.key != key) {
      out.push_back("company " + std::to_string(id) + " is named " + quoted(row.name) +
                    " but its name_key is " + quoted(row.key) + ", not " + quoted(key) +
                    ": it cannot be found by its name");
    }
    claim_key(id, row.name, "the name " + quoted(row.name));
  }
  {
    SQLite::Statement st(db, "SELECT company_id, alias, alias_key FROM company_alias ORDER BY id");
    while (st.executeStep()) {
      const std::int64_t id = st.getColumn(0).getInt64();
      const std::string alias = st.getColumn(1).getString();
      const std::string stored = st.getColumn(2).getString();
      const std::string key = detail::name_key(alias);
      if (stored != key) {
        out.push_back("the alias " + quoted(alias) + " of " + label(companies, id) +
                      " has the alias_key " + quoted(stored) + ", not " + quoted(key) +
                      ": it cannot be found by that alias");
      }
      claim_key(id, alias, "the alias " + quoted(alias));
    }
  }
  for (const char* table : {"department", "reason"}) {
    SQLite::Statement st(db,
                         std::string("SELECT id, name, name_key FROM ") + table + " ORDER BY id");
    while (st.executeStep()) {
      const std::string name = st.getColumn(1).getString();
      const std::string stored = st.getColumn(2).getString();
      const std::string key = detail::name_key(name);
      if (stored != key) {
        out.push_back(std::string(table) + " " + std::to_string(st.getColumn(0).getInt64()) +
                      " is named " + quoted(name) + " but its name_key is " + quoted(stored) +
                      ", not " + quoted(key) + ": filters by its name do not find it");
      }
    }
  }

  // Inclusions: both events in one company tree.
  SQLite::Statement inc(db,
                        "SELECT i.including_event_id, a.company_id, i.included_event_id, "
                        "b.company_id FROM event_inclusion i "
                        "JOIN layoff_event a ON a.id = i.including_event_id "
                        "JOIN layoff_event b ON b.id = i.included_event_id ORDER BY 1, 3");
  while (inc.executeStep()) {
    const std::int64_t a_company = inc.getColumn(1).getInt64();
    const std::int64_t b_company = inc.getColumn(3).getInt64();
    const auto ra = root.find(a_company);
    const auto rb = root.find(b_company);
    if (ra == root.end() || rb == root.end() || !ra->second || !rb->second) {
      continue;  // a missing company or a cycle, reported above
    }
    if (*ra->second != *rb->second) {
      out.push_back("event " + std::to_string(inc.getColumn(0).getInt64()) + " of " +
                    label(companies, a_company) + " includes event " +
                    std::to_string(inc.getColumn(2).getInt64()) + " of " +
                    label(companies, b_company) +
                    ", which belongs to another company tree; totals would count it in the "
                    "wrong company");
    }
  }
}

void check_future_dates(SQLite::Database& db, const Date& latest, std::vector<std::string>& out) {
  const std::string limit = latest.iso();
  struct Column {
    const char* table;
    const char* column;
    const char* noun;
  };
  for (const Column c :
       {Column{"layoff_event", "announced_on", "event"}, Column{"source", "published_on", "source"},
        Column{"reported_total", "period_start", "claim"}}) {
    SQLite::Statement st(db, std::string("SELECT id, ") + c.column + " FROM " + c.table +
                                 " WHERE " + c.column + " > ? ORDER BY id");
    st.bind(1, limit);
    while (st.executeStep()) {
      out.push_back(std::string(c.noun) + " " + std::to_string(st.getColumn(0).getInt64()) +
                    " has " + c.column + " " + st.getColumn(1).getString() +
                    ", in the future (later than " + limit + ")");
    }
  }
}

// effective_on may be in the future, but as record() has it, no more than
// kMaxEffectiveAfterDays after the last day of announced_on. A value that
// does not parse is left to the schema's CHECKs (it cannot get past them).
void check_effective_dates(SQLite::Database& db, std::vector<std::string>& out) {
  SQLite::Statement st(db,
                       "SELECT id, effective_on, announced_on, announced_precision "
                       "FROM layoff_event WHERE effective_on IS NOT NULL ORDER BY id");
  while (st.executeStep()) {
    std::optional<Date> effective;
    std::optional<Date> announced;
    try {
      effective = Date::parse(st.getColumn(1).getString(), "effective_on");
      announced = detail::read_announced_on(st, 2);
    } catch (const Error&) {
      continue;
    }
    const Date latest = announced->last_day().plus_days(detail::checks::kMaxEffectiveAfterDays);
    if (effective->first_day() > latest) {
      out.push_back("event " + std::to_string(st.getColumn(0).getInt64()) + " has effective_on " +
                    effective->to_string() + ", more than five years after announced_on " +
                    announced->to_string() + " (later than " + latest.iso() + ")");
    }
  }
}

}  // namespace

std::vector<Tracker::CheckPart> Tracker::check_parts() const {
  Impl::ReadCall call(*impl_);
  std::vector<CheckPart> parts;
  // Each part on its own: a damaged file can stop one (integrity_check
  // itself fails on some) and the others still say what they find.
  auto part = [&](const char* name, const std::function<void(std::vector<std::string>&)>& run) {
    CheckPart& p = parts.emplace_back();
    p.name = name;
    try {
      run(p.problems);
    } catch (const SQLite::Exception& e) {
      p.problems.push_back(std::string(name) + " could not finish: " + e.what());
    } catch (const Error& e) {
      p.problems.push_back(std::string(name) + " could not finish: " + e.what());
    }
  };
  SQLite::Database& db = *impl_->db;
  part("integrity_check", [&](auto& out) { check_integrity(db, out); });
  part("foreign_key_check", [&](auto& out) { check_foreign_keys(db, out); });
  part("companies", [&](auto& out) { check_companies(db, out); });
  part("dates", [&](auto& out) {
    check_future_dates(db, Date::today().plus_days(impl_->options.future_tolerance_days), out);
    check_effective_dates(db, out);
  });
  part("inclusion bounds", [&](auto& out) {
    for (std::string& p : impl_->counted_bounds_problems()) {
      out.push_back(std::move(p));
    }
  });
  return parts;
}

std::vector<std::string> Tracker::check() const {
  std::vector<std::string> problems;
  for (CheckPart& part : check_parts()) {
    for (std::string& p : part.problems) {
      problems.push_back(std::move(p));
    }
  }
  return problems;
}

}  // namespace layoffs
