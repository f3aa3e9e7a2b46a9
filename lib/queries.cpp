// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Tracker: reading events, totals and grouped totals (claims and
// reconciliation: claims.cpp).
//
// Totals follow the counting rules in query.h. The SQL selects the events (and
// for each, the event that includes it and whether it includes any); the
// arithmetic on the few events that take part in inclusions happens here,
// because whether an included event is "selected" depends on the filter and on
// the group.
#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include <sqlite3.h>

#include <layoffs/error.h>
#include <layoffs/tracker.h>

#include "interval.h"
#include "rows.h"
#include "text.h"
#include "tracker_impl.h"

namespace layoffs {

namespace {

// SQL text for a Filter plus the values to bind to it, in order. Values are
// always bound, never spliced in.
struct Selection {
  std::string with;   // "WITH RECURSIVE ..." or ""
  std::string from;   // "FROM layoff_event e ..." including joins
  std::string where;  // " AND ..." conditions (starts with " WHERE 1")
  std::vector<std::variant<std::int64_t, std::string>> binds;

  void bind_all(SQLite::Statement& st, int first = 1) const {
    for (std::size_t i = 0; i < binds.size(); ++i) {
      const int at = first + static_cast<int>(i);
      if (const auto* n = std::get_if<std::int64_t>(&binds[i])) {
        st.bind(at, static_cast<int64_t>(*n));
      } else {
        st.bind(at, std::get<std::string>(binds[i]));
      }
    }
  }
  // The same on a statement from StatementCache::get_raw.
  void bind_all(sqlite3* db, sqlite3_stmt* st) const {
    for (std::size_t i = 0; i < binds.size(); ++i) {
      const int at = 1 + static_cast<int>(i);
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<std::int64_t>(&binds[i])) {
        rc = sqlite3_bind_int64(st, at, *n);
      } else {
        const std::string& text = std::get<std::string>(binds[i]);
        rc = sqlite3_bind_text64(st, at, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) {
        throw SQLite::Exception(db, rc);
      }
    }
  }
};

void add_text(Selection& s, std::string value) {
  s.binds.emplace_back(std::move(value));
}

void add_int(Selection& s, std::int64_t value) {
  s.binds.emplace_back(value);
}

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += i ? ", ?" : "?";
  }
  return out;
}

Selection select_events(Tracker::Impl& impl, const Filter& f) {
  Selection s;
  s.where = " WHERE 1";
  if (f.company) {
    impl.require_company(*f.company, "filter.company");
    if (f.include_subsidiaries) {
      impl.root_of(*f.company);  // a subtree on a parent cycle has no answer: throws
      s.with = detail::company_subtree_cte("scope", "?");
      add_int(s, f.company->value());
      s.from = " FROM scope JOIN layoff_event e ON e.company_id = scope.id";
    } else {
      s.from = " FROM layoff_event e";
      s.where += " AND e.company_id = ?";
      add_int(s, f.company->value());
    }
  } else {
    s.from = " FROM layoff_event e";
  }
  if (f.from) {
    s.where += " AND e.announced_on >= ?";
    add_text(s, f.from->first_day().iso());
  }
  if (f.to) {
    s.where += " AND e.announced_on <= ?";
    add_text(s, f.to->last_day().iso());
  }
  if (f.from && f.to && f.to->last_day() < f.from->first_day()) {
    throw invalid_field("filter.to", f.to->to_string(),
                        "is before filter.from (" + f.from->to_string() + "):");
  }
  auto tag_condition = [&](const std::vector<std::string>& names, const char* field,
                           const char* link, const char* tag, const char* tag_id) {
    if (names.empty()) {
      return;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string name = detail::checked_text(
          std::string(field) + "[" + std::to_string(i) + "]", names[i], 500, true);
      add_text(s, detail::name_key(name));
    }
    s.where += std::string(" AND EXISTS (SELECT 1 FROM ") + link + " l JOIN " + tag +
               " t ON t.id = l." + tag_id + " WHERE l.event_id = e.id AND t.name_key IN (" +
               placeholders(names.size()) + "))";
  };
  tag_condition(f.departments, "filter.departments", "event_department", "department",
                "department_id");
  tag_condition(f.reasons, "filter.reasons", "event_reason", "reason", "reason_id");
  if (!f.country.empty()) {
    const std::string country = detail::checked_text("filter.country", f.country, 200, true);
    s.where +=
        " AND coalesce(e.country, (SELECT c.country FROM company c WHERE c.id = e.company_id)) = ? "
        "COLLATE NOCASE";
    add_text(s, country);
  }
  if (!f.us_state.empty()) {
    const std::string text = detail::checked_text("filter.us_state", f.us_state, 200, true);
    const std::string code = us_state_code(text);
    if (code.empty()) {
      throw invalid_field("filter.us_state", text,
                          "is not a US state, DC or territory (a USPS code like \"WA\"):");
    }
    s.where += " AND e.us_state = ?";
    add_text(s, code);
  }
  if (!f.industry.empty()) {
    // Matched like names (case and repeated whitespace ignored): the few
    // distinct industries are compared here, the matching ones bound.
    const std::string key =
        detail::name_key(detail::checked_text("filter.industry", f.industry, 200, true));
    std::vector<std::string> matching;
    auto& st = impl.stmt("SELECT DISTINCT industry FROM company WHERE industry IS NOT NULL");
    while (st.executeStep()) {
      std::string industry = st.getColumn(0).getString();
      if (detail::name_key(industry) == key) {
        matching.push_back(std::move(industry));
      }
    }
    st.reset();
    if (matching.empty()) {
      s.where += " AND 0";
    } else {
      s.where += " AND (SELECT c.industry FROM company c WHERE c.id = e.company_id) IN (" +
                 placeholders(matching.size()) + ")";
      for (std::string& m : matching) {
        add_text(s, std::move(m));
      }
    }
  }
  if (f.kind) {
    const auto k = static_cast<int>(*f.kind);
    if (k < 0 || k > static_cast<int>(EventKind::filing)) {
      throw invalid_field("filter.kind", std::to_string(k), "is not an event kind:");
    }
    s.where += " AND e.kind = ?";
    add_text(s, std::string(to_string(*f.kind)));
  }
  return s;
}

// The key an event is grouped by, as SQL over `e` (and for tags, `g`).
std::string group_key_sql(std::optional<Grouping> g) {
  if (!g) {
    return "0";
  }
  switch (*g) {
    case Grouping::company:
    case Grouping::top_company:
      return "e.company_id";
    case Grouping::year:
    case Grouping::quarter:
    case Grouping::month:
      // The date's text: its period key is read from the digits while
      // counting (period_key_of_iso), cheaper than substr() and CAST in SQL.
      return "e.announced_on";
    case Grouping::department:
    case Grouping::reason:
      return "coalesce(g.tag_id, 0)";
    case Grouping::industry:
      return "(SELECT c.industry FROM company c WHERE c.id = e.company_id)";
    case Grouping::country:
      return "coalesce(e.country, (SELECT c.country FROM company c WHERE c.id = e.company_id))";
    case Grouping::us_state:
      return "e.us_state";
    case Grouping::kind:
      return "CASE e.kind WHEN 'filing' THEN 1 ELSE 0 END";
  }
  return "0";
}

// Groupings whose key is a text (interned into numbers while counting).
bool text_keyed(std::optional<Grouping> g) {
  return g == Grouping::industry || g == Grouping::country || g == Grouping::us_state;
}

std::string group_join_sql(std::optional<Grouping> g) {
  if (g == Grouping::department) {
    return " LEFT JOIN (SELECT event_id, department_id AS tag_id FROM event_department) g "
           "ON g.event_id = e.id";
  }
  if (g == Grouping::reason) {
    return " LEFT JOIN (SELECT event_id, reason_id AS tag_id FROM event_reason) g "
           "ON g.event_id = e.id";
  }
  return "";
}

struct PairHash {
  std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& p) const noexcept {
    // Unsigned: ids near INT64_MAX must not overflow.
    const auto a = static_cast<std::uint64_t>(p.first);
    const auto b = static_cast<std::uint64_t>(p.second);
    return std::hash<std::uint64_t>{}(a * 0x9E3779B97F4A7C15ull ^ b);
  }
};

detail::Interval interval_of(SQLite::Statement& st, int first_column) {
  detail::Interval iv;
  iv.low = st.getColumn(first_column).getInt64();
  iv.high = detail::column_optional_int(st, first_column + 1);
  iv.estimate = st.getColumn(first_column + 2).getInt64();
  const char* kind = st.getColumn(first_column + 3).getText();
  const std::string_view k(kind);
  iv.approximate = k == "about" || k == "phrase";
  iv.unknown = k == "unknown";
  iv.about = k == "about";
  return iv;
}

// The same from a statement from StatementCache::get_raw.
detail::Interval interval_at(sqlite3_stmt* st, int first_column) {
  detail::Interval iv;
  iv.low = sqlite3_column_int64(st, first_column);
  if (sqlite3_column_type(st, first_column + 1) == SQLITE_NULL) {
    iv.high = std::nullopt;
  } else {
    iv.high = sqlite3_column_int64(st, first_column + 1);
  }
  iv.estimate = sqlite3_column_int64(st, first_column + 2);
  const auto* kind = reinterpret_cast<const char*>(sqlite3_column_text(st, first_column + 3));
  const std::string_view k =
      kind == nullptr
          ? std::string_view()
          : std::string_view(kind,
                             static_cast<std::size_t>(sqlite3_column_bytes(st, first_column + 3)));
  iv.approximate = k == "about" || k == "phrase";
  iv.unknown = k == "unknown";
  iv.about = k == "about";
  return iv;
}

// The period key (yyyy, yyyyq or yyyymm) of an announced_on text, which the
// schema's CHECK keeps a valid yyyy-mm-dd.
std::int64_t period_key_of_iso(Grouping g, std::int64_t event, const unsigned char* text,
                               int size) {
  const auto digit = [&](int i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text == nullptr || size != 10 || !digit(0) || !digit(1) || !digit(2) || !digit(3) ||
      text[4] != '-' || !digit(5) || !digit(6)) {
    const std::string shown = text == nullptr ? std::string("NULL")
                                              : std::string(reinterpret_cast<const char*>(text),
                                                            static_cast<std::size_t>(size));
    throw Error(ErrorCode::corrupt, "event " + std::to_string(event) + " has announced_on '" +
                                        shown +
                                        "', which is not a yyyy-mm-dd date: the database was "
                                        "edited by hand or is damaged; run 'layoffs check'");
  }
  const std::int64_t year =
      (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const std::int64_t month = (text[5] - '0') * 10 + (text[6] - '0');
  switch (g) {
    case Grouping::year:
      return year;
    case Grouping::quarter:
      return year * 10 + (month + 2) / 3;
    default:
      return year * 100 + month;
  }
}

bool time_keyed(std::optional<Grouping> g) {
  return g == Grouping::year || g == Grouping::quarter || g == Grouping::month;
}

// The one statement behind total() and totals_by(): each selected event
// with its group key and interval. Who includes whom comes from the
// connection's inclusion index, not from per-row subqueries (which cost two
// index probes per selected row, half of a total's time).
std::string totals_sql(const Selection& sel, std::optional<Grouping> g) {
  return sel.with + "SELECT e.id, " + group_key_sql(g) +
         ", e.headcount_low, e.headcount_high, e.headcount_estimate, e.headcount_kind" + sel.from +
         group_join_sql(g) + sel.where;
}

// Maps every company id to the id of its top-level ancestor.
std::unordered_map<std::int64_t, std::int64_t> root_companies(Tracker::Impl& impl) {
  std::unordered_map<std::int64_t, std::int64_t> parent;
  auto& st = impl.stmt("SELECT id, parent_id FROM company");
  while (st.executeStep()) {
    parent.emplace(st.getColumn(0).getInt64(), st.isColumnNull(1) ? 0 : st.getColumn(1).getInt64());
  }
  std::unordered_map<std::int64_t, std::int64_t> root;
  root.reserve(parent.size());
  for (const auto& [id, unused] : parent) {
    std::int64_t cursor = id;
    bool found = false;
    // Bounded: a hand-made cycle must not hang a query, and has no top.
    for (std::size_t depth = 0; depth <= parent.size(); ++depth) {
      if (const auto known = root.find(cursor); known != root.end()) {
        cursor = known->second;
        found = true;
        break;
      }
      const auto it = parent.find(cursor);
      if (it == parent.end() || it->second == 0) {
        found = true;
        break;
      }
      cursor = it->second;
    }
    if (!found) {
      throw impl.parent_cycle(CompanyId(id));
    }
    root[id] = cursor;
  }
  return root;
}

using SelectedSet = std::unordered_set<std::pair<std::int64_t, std::int64_t>, PairHash>;

// What an event counted in group `key` adds: its figure less what it
// contains that the group does not count. Walking down the inclusions,
// through included events that are selected here (skipped, so what they
// include is inside this figure too), each included event that is not
// selected is taken out with its whole figure (appended to `removed`). And
// since the events walked through are inside this figure, it adds at least
// what each of them would add alone: with 1,198 including "a few hundred"
// (not selected) and 746 (selected), at least 746, not 1,198 - 499 = 699.
detail::Interval contribution(Tracker::Impl& impl, const SelectedSet& selected, std::int64_t key,
                              std::int64_t id, const detail::Interval& figure,
                              std::unordered_set<std::int64_t>& visited,
                              std::vector<detail::Interval>& removed) {
  const std::size_t first = removed.size();
  std::int64_t floor = 0;
  bool approximate = false;
  const Tracker::Impl::InclusionIndex& index = impl.inclusions;
  if (const auto kids = index.children.find(id); kids != index.children.end()) {
    for (const std::int64_t child : kids->second) {
      if (!visited.insert(child).second) {
        continue;
      }
      const detail::Interval* found = impl.counted_figure(child);
      if (found == nullptr) {
        continue;
      }
      const detail::Interval fig = *found;
      if (selected.count({child, key})) {
        const detail::Interval inner =
            contribution(impl, selected, key, child, fig, visited, removed);
        floor += inner.low;
        approximate = approximate || inner.approximate;
      } else {
        removed.push_back(fig);
      }
    }
  }
  detail::Interval out = detail::remainder(
      figure, std::span<const detail::Interval>(removed.data() + first, removed.size() - first));
  if (floor > out.low) {
    out.low = floor;
    out.approximate = out.approximate || approximate;
    if (out.high) {
      out.high = std::max(*out.high, out.low);
    }
    out.estimate = std::max(out.estimate, out.low);
  }
  return out;
}

// Totals per group key over the selected events. For text-keyed groupings
// the keys index `labels`.
struct GroupedTotals {
  std::map<std::int64_t, detail::TotalBuilder> groups;
  std::vector<std::string> labels;
};

GroupedTotals compute_totals(Tracker::Impl& impl, const Filter& f, std::optional<Grouping> g) {
  const Selection sel = select_events(impl, f);
  // Every selected row passes through the loop below: it reads them on the
  // C API (see StatementCache::get_raw).
  sqlite3* const db = impl.db->getHandle();
  sqlite3_stmt* const st = impl.statements->get_raw(totals_sql(sel, g));
  sel.bind_all(db, st);

  // Rolling up to the top-level parent is grouping by root company: the
  // inclusion rules then apply within each root's whole tree.
  std::unordered_map<std::int64_t, std::int64_t> root;
  if (g == Grouping::top_company) {
    root = root_companies(impl);
  }
  const bool by_text = text_keyed(g);
  const bool by_time = time_keyed(g);
  std::unordered_map<std::string, std::int64_t> interned;
  GroupedTotals result;
  auto key_of = [&](std::int64_t id) -> std::int64_t {
    if (by_time) {
      return period_key_of_iso(*g, id, sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1));
    }
    if (by_text) {
      const auto* chars = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
      const std::string text =
          chars == nullptr
              ? std::string()
              : std::string(chars, static_cast<std::size_t>(sqlite3_column_bytes(st, 1)));
      const auto [it, added] = interned.emplace(text, static_cast<std::int64_t>(interned.size()));
      if (added) {
        result.labels.push_back(text.empty() ? "(none)" : text);
      }
      return it->second;
    }
    const std::int64_t raw = sqlite3_column_int64(st, 1);
    if (g != Grouping::top_company) {
      return raw;
    }
    const auto it = root.find(raw);
    return it == root.end() ? raw : it->second;
  };

  auto& groups = result.groups;
  struct Involved {
    std::int64_t id, key;
    detail::Interval iv;
    std::optional<std::int64_t> includer;
    bool has_children;
    bool filing;
  };
  std::vector<Involved> involved;
  // A counted filing that no event includes may be counted again inside an
  // announcement it is not linked to yet (see Total::unmatched_filings).
  auto note_kind = [](detail::TotalBuilder& total, bool filing, bool included) {
    if (!filing) {
      total.counted_announcement();
    } else if (!included) {
      total.counted_unmatched_filing();
    }
  };
  // (event id, group key) of every selected event that takes part in an inclusion.
  SelectedSet selected;
  const Tracker::Impl::InclusionIndex& index = impl.inclusion_index();
  const bool any_involved = index.any();
  // Rows arrive grouped (by company, or in date order): remember the last
  // group instead of looking it up for every row.
  std::int64_t last_key = 0;
  detail::TotalBuilder* last = nullptr;
  while (detail::step_row(db, st)) {
    const std::int64_t id = sqlite3_column_int64(st, 0);
    const std::int64_t key = key_of(id);
    detail::Interval iv = interval_at(st, 2);
    std::optional<std::int64_t> includer;
    bool has_children = false;
    if (any_involved && index.may_be_involved(id)) {
      if (const auto it = index.inactive.find(id); it != index.inactive.end()) {
        groups[key].left_out(it->second);
        continue;
      }
      if (const auto it = index.includer_of.find(id); it != index.includer_of.end()) {
        includer = it->second;
      }
      has_children = index.children.count(id) != 0;
    }
    const bool filing = index.is_filing(id);
    if (!includer && !has_children) {
      if (last == nullptr || key != last_key) {
        last = &groups[key];
        last_key = key;
      }
      last->add(iv);
      note_kind(*last, filing, false);
      continue;
    }
    involved.push_back({id, key, iv, includer, has_children, filing});
    selected.emplace(id, key);
  }
  sqlite3_reset(st);
  // The figures the counting rules use, for the trees of these events only
  // (bounds flow upward: see detail::counted_figures and event_counted_bounds).
  if (!involved.empty()) {
    std::vector<std::int64_t> ids;
    ids.reserve(involved.size());
    for (const Involved& ev : involved) {
      ids.push_back(ev.id);
    }
    impl.load_figures(ids);
    for (Involved& ev : involved) {
      if (const detail::Interval* fig = impl.counted_figure(ev.id)) {
        ev.iv = *fig;
      }
    }
  }
  for (const Involved& ev : involved) {
    auto& total = groups[ev.key];
    if (ev.includer && selected.count({*ev.includer, ev.key})) {
      total.inside();  // the including event, selected too, counts these people
      continue;
    }
    note_kind(total, ev.filing, ev.includer.has_value());
    if (!ev.has_children) {
      total.add(ev.iv);
      continue;
    }
    std::unordered_set<std::int64_t> visited{ev.id};  // a hand-made cycle must not loop
    std::vector<detail::Interval> removed;
    total.add(contribution(impl, selected, ev.key, ev.id, ev.iv, visited, removed));
  }
  return result;
}

std::string label_for(Tracker::Impl& impl, Grouping g, std::int64_t key,
                      const std::vector<std::string>& labels) {
  char buf[32];
  switch (g) {
    case Grouping::industry:
    case Grouping::country:
    case Grouping::us_state:
      return key >= 0 && static_cast<std::size_t>(key) < labels.size()
                 ? labels[static_cast<std::size_t>(key)]
                 : std::string("(none)");
    case Grouping::kind:
      return std::string(to_string(key == 1 ? EventKind::filing : EventKind::announcement));
    case Grouping::year:
      return std::to_string(key);
    case Grouping::quarter:
      std::snprintf(buf, sizeof buf, "%04lld-Q%lld", static_cast<long long>(key / 10),
                    static_cast<long long>(key % 10));
      return buf;
    case Grouping::month:
      std::snprintf(buf, sizeof buf, "%04lld-%02lld", static_cast<long long>(key / 100),
                    static_cast<long long>(key % 100));
      return buf;
    case Grouping::company:
    case Grouping::top_company: {
      auto& st = impl.stmt("SELECT name FROM company WHERE id = ?");
      st.bind(1, static_cast<int64_t>(key));
      std::string name = st.executeStep() ? st.getColumn(0).getString() : std::to_string(key);
      st.reset();
      return name;
    }
    case Grouping::department:
    case Grouping::reason: {
      if (key == 0) {
        return "(none)";
      }
      auto& st = impl.stmt(g == Grouping::department ? "SELECT name FROM department WHERE id = ?"
                                                     : "SELECT name FROM reason WHERE id = ?");
      st.bind(1, static_cast<int64_t>(key));
      std::string name = st.executeStep() ? st.getColumn(0).getString() : std::to_string(key);
      st.reset();
      return name;
    }
  }
  return std::to_string(key);
}

}  // namespace

const Tracker::Impl::InclusionIndex& Tracker::Impl::inclusion_index() {
  auto& version = stmt("PRAGMA data_version");
  version.executeStep();
  // total_changes64 never goes down, so a rollback (which removes rows)
  // must move the stamp too: the transaction epoch does.
  const InclusionStamp stamp{version.getColumn(0).getInt64(),
                             sqlite3_total_changes64(db->getHandle()),
                             static_cast<std::int64_t>(tx.epoch)};
  version.reset();
  if (inclusions_stamp == stamp) {
    return inclusions;
  }
  InclusionIndex fresh;
  {
    auto& st = stmt("SELECT id, status FROM layoff_event WHERE status <> 'active'");
    while (st.executeStep()) {
      fresh.inactive.emplace(st.getColumn(0).getInt64(),
                             parse_event_status(st.getColumn(1).getString(), "status"));
    }
  }
  {
    // Up to 2^27 ids as bits (16 MiB at the most), larger ones by id.
    constexpr std::int64_t kMaxFilingBits = std::int64_t{1} << 27;
    auto& st = stmt("SELECT id FROM layoff_event WHERE kind = 'filing'");
    while (st.executeStep()) {
      const std::int64_t id = st.getColumn(0).getInt64();
      if (id >= 0 && id < kMaxFilingBits) {
        if (static_cast<std::size_t>(id) >= fresh.filing_bits.size()) {
          fresh.filing_bits.resize(static_cast<std::size_t>(id) + 1, false);
        }
        fresh.filing_bits[static_cast<std::size_t>(id)] = true;
      } else {
        fresh.filing_ids.insert(id);
      }
    }
  }
  std::unordered_map<std::int64_t, std::int64_t> raw_includer;
  {
    auto& st = stmt("SELECT including_event_id, included_event_id FROM event_inclusion");
    while (st.executeStep()) {
      raw_includer.emplace(st.getColumn(1).getInt64(), st.getColumn(0).getInt64());
    }
  }
  // Link each active included event to its nearest active includer.
  for (const auto& [included, including] : raw_includer) {
    if (fresh.inactive.count(included)) {
      continue;
    }
    std::int64_t up = including;
    // Bounded: a hand-made cycle must not hang a query.
    for (std::size_t steps = 0; fresh.inactive.count(up) && steps <= raw_includer.size(); ++steps) {
      const auto it = raw_includer.find(up);
      up = it == raw_includer.end() ? -1 : it->second;
    }
    if (up == -1 || fresh.inactive.count(up) || up == included) {
      continue;
    }
    fresh.includer_of.emplace(included, up);
    fresh.children[up].push_back(included);
  }
  // Every active event in an inclusion may count with a figure other than
  // its own (bounds flow upward); those figures are computed per tree, on
  // demand (load_figures), so only its ids are noted here.
  std::vector<std::int64_t> members;
  members.reserve(raw_includer.size() * 2);
  for (const auto& [included, including] : raw_includer) {
    for (const std::int64_t id : {included, including}) {
      if (!fresh.inactive.count(id)) {
        members.push_back(id);
      }
    }
  }
  std::int64_t max_id = -1;
  bool negative = false;
  auto note = [&](std::int64_t id) {
    max_id = std::max(max_id, id);
    negative = negative || id < 0;
  };
  for (const auto& [id, unused] : fresh.inactive) {
    note(id);
  }
  for (const std::int64_t id : members) {
    note(id);
  }
  // Up to 2^27 ids (a 16 MiB bit set); beyond, hash lookups for every row.
  constexpr std::int64_t kMaxBits = std::int64_t{1} << 27;
  if (max_id >= 0 && max_id < kMaxBits && !negative) {
    fresh.involved.assign(static_cast<std::size_t>(max_id) + 1, false);
    for (const auto& [id, unused] : fresh.inactive) {
      fresh.involved[static_cast<std::size_t>(id)] = true;
    }
    for (const std::int64_t id : members) {
      fresh.involved[static_cast<std::size_t>(id)] = true;
    }
  }
  inclusions = std::move(fresh);
  inclusions_stamp = stamp;
  return inclusions;
}

void Tracker::Impl::load_figures(std::span<const std::int64_t> ids) {
  InclusionIndex& index = inclusions;
  std::unordered_map<std::int64_t, detail::Interval> own;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> kids_here;
  auto& st = stmt(
      "SELECT headcount_low, headcount_high, headcount_estimate, headcount_kind "
      "FROM layoff_event WHERE id = ?");
  for (const std::int64_t id : ids) {
    if (index.loaded.count(id)) {
      continue;
    }
    // The top of its tree (bounded: a hand-made cycle must not loop) ...
    std::int64_t root = id;
    for (std::size_t steps = 0; steps <= index.includer_of.size(); ++steps) {
      const auto up = index.includer_of.find(root);
      if (up == index.includer_of.end() || up->second == id) {
        break;
      }
      root = up->second;
    }
    // ... and every event below it, each with its own figure.
    own.clear();
    kids_here.clear();
    std::vector<std::int64_t> pending{root};
    while (!pending.empty()) {
      const std::int64_t at = pending.back();
      pending.pop_back();
      if (own.count(at)) {
        continue;
      }
      st.bind(1, static_cast<int64_t>(at));
      if (st.executeStep()) {
        own.emplace(at, interval_of(st, 0));
      }
      st.reset();
      if (const auto kids = index.children.find(at); kids != index.children.end()) {
        pending.insert(pending.end(), kids->second.begin(), kids->second.end());
        kids_here.emplace(at, kids->second);
      }
    }
    // The tree's own links only: counted_figures looks at every entry.
    for (auto& [fid, figure] : detail::counted_figures(own, kids_here)) {
      index.figures.insert_or_assign(fid, figure);
    }
    for (const auto& [fid, unused] : own) {
      index.loaded.insert(fid);
    }
    index.loaded.insert(id);
  }
}

const detail::Interval* Tracker::Impl::counted_figure(std::int64_t id) {
  if (!inclusions.loaded.count(id)) {
    load_figures(std::span<const std::int64_t>(&id, 1));
  }
  const auto it = inclusions.figures.find(id);
  return it == inclusions.figures.end() ? nullptr : &it->second;
}

Total Tracker::Impl::total(const Filter& filter) {
  auto grouped = compute_totals(*this, filter, std::nullopt);
  if (grouped.groups.empty()) {
    return Total{};
  }
  return grouped.groups.begin()->second.total();
}

std::vector<std::int64_t> Tracker::Impl::selected_ids(const Filter& filter) {
  const Selection sel = select_events(*this, filter);
  auto& st =
      stmt(sel.with + "SELECT e.id" + sel.from + sel.where + " ORDER BY e.announced_on, e.id");
  sel.bind_all(st);
  std::vector<std::int64_t> ids;
  while (st.executeStep()) {
    ids.push_back(st.getColumn(0).getInt64());
  }
  return ids;
}

void Tracker::Impl::for_each_selected(const Filter& filter, std::string_view columns,
                                      const std::function<void(SQLite::Statement&)>& row) {
  const Selection sel = select_events(*this, filter);
  auto& st = stmt(sel.with + "SELECT " + std::string(columns) + sel.from +
                  " LEFT JOIN company c ON c.id = e.company_id" + sel.where +
                  " ORDER BY e.announced_on, e.id");
  sel.bind_all(st);
  while (st.executeStep()) {
    row(st);
  }
}

Total Tracker::total(const Filter& filter) const {
  Impl::ReadCall call(*impl_);
  return guarded("total", [&] { return impl_->total(filter); });
}

std::vector<std::string> Tracker::explain_total(const Filter& filter) const {
  Impl::ReadCall call(*impl_);
  return guarded("explain_total", [&] {
    const Selection sel = select_events(*impl_, filter);
    SQLite::Statement st(*impl_->db, "EXPLAIN QUERY PLAN " + totals_sql(sel, std::nullopt));
    sel.bind_all(st);
    std::vector<std::string> lines;
    while (st.executeStep()) {
      lines.push_back(st.getColumn(3).getString());
    }
    return lines;
  });
}

namespace {

// The key of the period holding `d` (yyyy, yyyyq or yyyymm), and the next one.
std::int64_t period_key(Grouping g, const Date& d) {
  const Date day = d.first_day();
  const auto year = static_cast<std::int64_t>(day.year());
  const auto month = static_cast<std::int64_t>(day.month());
  switch (g) {
    case Grouping::year:
      return year;
    case Grouping::quarter:
      return year * 10 + (month + 2) / 3;
    default:
      return year * 100 + month;
  }
}

std::int64_t next_period(Grouping g, std::int64_t key) {
  switch (g) {
    case Grouping::year:
      return key + 1;
    case Grouping::quarter:
      return key % 10 == 4 ? (key / 10 + 1) * 10 + 1 : key + 1;
    default:
      return key % 100 == 12 ? (key / 100 + 1) * 100 + 1 : key + 1;
  }
}

}  // namespace

std::vector<GroupTotal> Tracker::totals_by(Grouping grouping, const Filter& filter,
                                           Periods periods) const {
  Impl::ReadCall call(*impl_);
  return guarded("totals_by", [&] {
    auto grouped = compute_totals(*impl_, filter, grouping);
    auto& groups = grouped.groups;
    const bool by_time =
        grouping == Grouping::year || grouping == Grouping::quarter || grouping == Grouping::month;
    if (by_time && periods == Periods::all) {
      // Every period from the filter's bounds (or the selected events'
      // first and last) on; empty ones get an empty total.
      std::optional<std::int64_t> first, last;
      if (filter.from) {
        first = period_key(grouping, filter.from->first_day());
      } else if (!groups.empty()) {
        first = groups.begin()->first;
      }
      if (filter.to) {
        last = period_key(grouping, filter.to->last_day());
      } else if (!groups.empty()) {
        last = groups.rbegin()->first;
      }
      if (first && last) {
        for (std::int64_t k = *first; k <= *last; k = next_period(grouping, k)) {
          groups[k];
        }
      }
    }
    // With a department (reason) filter, grouping by department (reason)
    // shows only the departments (reasons) asked for, not the others the
    // selected events also name.
    const bool by_department = grouping == Grouping::department && !filter.departments.empty();
    const bool by_reason = grouping == Grouping::reason && !filter.reasons.empty();
    if (by_department || by_reason) {
      const auto& names = by_department ? filter.departments : filter.reasons;
      auto& st = impl_->stmt(by_department ? "SELECT id FROM department WHERE name_key = ?"
                                           : "SELECT id FROM reason WHERE name_key = ?");
      std::unordered_set<std::int64_t> wanted;
      for (const std::string& name : names) {
        st.bind(1, detail::name_key(name));
        while (st.executeStep()) {
          wanted.insert(st.getColumn(0).getInt64());
        }
        st.reset();
      }
      std::erase_if(groups, [&](const auto& g) { return !wanted.count(g.first); });
    }
    std::vector<GroupTotal> out;
    out.reserve(groups.size());
    for (const auto& [key, builder] : groups) {
      out.push_back(GroupTotal{label_for(*impl_, grouping, key, grouped.labels),
                               text_keyed(grouping) ? 0 : key, builder.total()});
    }
    if (!by_time) {
      std::stable_sort(out.begin(), out.end(), [](const GroupTotal& a, const GroupTotal& b) {
        if (a.total.estimate != b.total.estimate) {
          return a.total.estimate > b.total.estimate;
        }
        return a.label < b.label;
      });
    }
    return out;
  });
}

std::int64_t Tracker::count_events(const Filter& filter) const {
  Impl::ReadCall call(*impl_);
  return guarded("count_events", [&] {
    const Selection sel = select_events(*impl_, filter);
    auto& st = impl_->stmt(sel.with + "SELECT count(*)" + sel.from + sel.where);
    sel.bind_all(st);
    st.executeStep();
    return static_cast<std::int64_t>(st.getColumn(0).getInt64());
  });
}

std::vector<Event> Tracker::events(const Filter& filter, EventOrder order, std::int64_t limit,
                                   std::int64_t offset) const {
  Impl::ReadCall call(*impl_);
  return guarded("events", [&] {
    if (offset < 0) {
      throw invalid_field("offset", std::to_string(offset), "must not be negative:");
    }
    const Selection sel = select_events(*impl_, filter);
    std::string order_sql;
    switch (order) {
      case EventOrder::announced_asc:
        order_sql = " ORDER BY e.announced_on, e.id";
        break;
      case EventOrder::announced_desc:
        order_sql = " ORDER BY e.announced_on DESC, e.id DESC";
        break;
      case EventOrder::headcount_desc:
        order_sql = " ORDER BY e.headcount_estimate DESC, e.announced_on, e.id";
        break;
    }
    auto& st = impl_->stmt(sel.with + "SELECT e.id" + sel.from + sel.where + order_sql +
                           " LIMIT ? OFFSET ?");
    sel.bind_all(st);
    const int next = static_cast<int>(sel.binds.size()) + 1;
    st.bind(next, static_cast<int64_t>(limit < 0 ? -1 : limit));
    st.bind(next + 1, static_cast<int64_t>(offset));
    std::vector<EventId> ids;
    while (st.executeStep()) {
      ids.emplace_back(st.getColumn(0).getInt64());
    }
    std::vector<Event> out;
    out.reserve(ids.size());
    for (const EventId id : ids) {
      try {
        out.push_back(impl_->load_event(id));
      } catch (const Error& e) {
        if (e.code() != ErrorCode::not_found) {
          throw;
        }
        // The id came from this same read transaction, so a missing row
        // means a damaged table, not bad input.
        throw Error(ErrorCode::corrupt,
                    "event " + std::to_string(id.value()) +
                        " cannot be read (its row is missing, or it names a company that does "
                        "not exist): '" +
                        impl_->path + "' was edited by hand or is damaged; run 'layoffs check'");
      }
    }
    return out;
  });
}

}  // namespace layoffs
