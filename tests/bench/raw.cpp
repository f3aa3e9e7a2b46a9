// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "raw.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>

namespace bench {

namespace {

// The library's name folding for the ASCII names the benchmark uses: trim,
// collapse whitespace, lower-case. (The library also folds Latin-1 capitals.)
std::string fold_name(std::string_view s) {
  std::string key;
  key.reserve(s.size());
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !key.empty();
      continue;
    }
    if (space) {
      key += ' ';
      space = false;
    }
    key += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return key;
}

void bind_optional_int(sqlite3_stmt* st, int i, const std::optional<std::int64_t>& v) {
  if (v) {
    sqlite3_bind_int64(st, i, *v);
  } else {
    sqlite3_bind_null(st, i);
  }
}

void bind_optional_double(sqlite3_stmt* st, int i, const std::optional<double>& v) {
  if (v) {
    sqlite3_bind_double(st, i, *v);
  } else {
    sqlite3_bind_null(st, i);
  }
}

}  // namespace

// ---- writes -----------------------------------------------------------

RawEventWriter::RawEventWriter(sqlite3* db)
    : db_(db),
      begin_(db, "BEGIN IMMEDIATE"),
      commit_(db, "COMMIT"),
      event_(db,
             "INSERT INTO layoff_event (company_id, announced_on, announced_precision, "
             "effective_on, headcount_kind, headcount_low, headcount_high, headcount_estimate, "
             "headcount_phrase, workforce_pct, locations, country, notes, external_key, "
             "company_stage, funds_raised_musd, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?17, ?17)"),
      find_department_(db, "SELECT id FROM department WHERE name_key = ?"),
      add_department_(db, "INSERT INTO department (name, name_key) VALUES (?, ?)"),
      event_department_(
          db, "INSERT INTO event_department (event_id, department_id, position) VALUES (?, ?, ?)"),
      find_reason_(db, "SELECT id FROM reason WHERE name_key = ?"),
      add_reason_(db, "INSERT INTO reason (name, name_key, category) VALUES (?, ?, ?)"),
      event_reason_(db,
                    "INSERT INTO event_reason (event_id, reason_id, position) VALUES (?, ?, ?)"),
      // Sources are shared by URL; the same upsert the library uses (one
      // statement whether the URL is new or not).
      source_(db,
              "INSERT INTO source (url, title, publisher, published_on, tier) "
              "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (url) DO UPDATE SET "
              "title = coalesce(source.title, excluded.title), "
              "publisher = coalesce(source.publisher, excluded.publisher), "
              "published_on = coalesce(source.published_on, excluded.published_on) "
              "RETURNING id"),
      event_source_(db,
                    "INSERT INTO event_source (event_id, source_id, position) VALUES (?, ?, ?)"),
      inclusion_(db,
                 "INSERT INTO event_inclusion (including_event_id, included_event_id) "
                 "VALUES (?, ?)") {}

std::int64_t RawEventWriter::department_id(const std::string& name) {
  if (const auto it = departments_.find(name); it != departments_.end()) {
    return it->second;
  }
  const std::string key = fold_name(name);
  bind_static(find_department_, 1, key);
  std::int64_t id = 0;
  if (find_department_.step()) {
    id = sqlite3_column_int64(find_department_, 0);
    find_department_.reset();
  } else {
    find_department_.reset();
    bind_static(add_department_, 1, name);
    bind_static(add_department_, 2, key);
    add_department_.run();
    id = sqlite3_last_insert_rowid(db_);
  }
  departments_.emplace(name, id);
  return id;
}

std::int64_t RawEventWriter::reason_id(const layoffs::Reason& reason) {
  if (const auto it = reasons_.find(reason.name); it != reasons_.end()) {
    return it->second;
  }
  const std::string key = fold_name(reason.name);
  bind_static(find_reason_, 1, key);
  std::int64_t id = 0;
  if (find_reason_.step()) {
    id = sqlite3_column_int64(find_reason_, 0);
    find_reason_.reset();
  } else {
    find_reason_.reset();
    bind_static(add_reason_, 1, reason.name);
    bind_static(add_reason_, 2, key);
    if (reason.category) {
      bind_static(add_reason_, 3, layoffs::to_string(*reason.category));
    } else {
      sqlite3_bind_null(add_reason_, 3);
    }
    add_reason_.run();
    id = sqlite3_last_insert_rowid(db_);
  }
  reasons_.emplace(reason.name, id);
  return id;
}

std::int64_t RawEventWriter::write(const layoffs::NewEvent& e) {
  char announced[11];
  char effective[11];
  format_iso(e.announced_on, announced);
  const layoffs::Headcount& h = e.headcount;
  sqlite3_bind_int64(event_, 1, e.company.value());
  bind_static(event_, 2, announced);
  bind_static(event_, 3, layoffs::to_string(e.announced_on.precision()));
  if (e.effective_on) {
    format_iso(*e.effective_on, effective);
    bind_static(event_, 4, effective);
  } else {
    sqlite3_bind_null(event_, 4);
  }
  bind_static(event_, 5, layoffs::to_string(h.kind()));
  sqlite3_bind_int64(event_, 6, h.low());
  bind_optional_int(event_, 7, h.high());
  sqlite3_bind_int64(event_, 8, h.estimate());
  bind_static(event_, 9, h.phrase());
  bind_optional_double(event_, 10, e.workforce_pct);
  locations_.clear();
  for (const std::string& l : e.locations) {
    locations_ += locations_.empty() ? "" : "; ";
    locations_ += l;
  }
  bind_static_or_null(event_, 11, locations_);
  bind_static_or_null(event_, 12, e.country);
  bind_static_or_null(event_, 13, e.notes);
  bind_static_or_null(event_, 14, e.key);
  bind_static_or_null(event_, 15, e.company_stage);
  bind_optional_double(event_, 16, e.funds_raised_musd);
  if (const std::int64_t t = std::time(nullptr); t != now_second_) {
    now_second_ = t;
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    std::strftime(now_, sizeof now_, "%Y-%m-%dT%H:%M:%SZ", &tm);
  }
  bind_static(event_, 17, now_);
  event_.run();
  const std::int64_t id = sqlite3_last_insert_rowid(db_);

  // `position` keeps the order given, as the library writes it (schema 0005).
  for (std::size_t i = 0; i < e.departments.size(); ++i) {
    sqlite3_bind_int64(event_department_, 1, id);
    sqlite3_bind_int64(event_department_, 2, department_id(e.departments[i]));
    sqlite3_bind_int64(event_department_, 3, static_cast<sqlite3_int64>(i));
    event_department_.run();
  }
  for (std::size_t i = 0; i < e.reasons.size(); ++i) {
    sqlite3_bind_int64(event_reason_, 1, id);
    sqlite3_bind_int64(event_reason_, 2, reason_id(e.reasons[i]));
    sqlite3_bind_int64(event_reason_, 3, static_cast<sqlite3_int64>(i));
    event_reason_.run();
  }
  std::int64_t position = 0;
  for (const layoffs::Source& s : e.sources) {
    char published[11];
    bind_static(source_, 1, s.url);
    bind_static_or_null(source_, 2, s.title);
    bind_static_or_null(source_, 3, s.publisher);
    if (s.published_on) {
      format_iso(*s.published_on, published);
      bind_static(source_, 4, published);
    } else {
      sqlite3_bind_null(source_, 4);
    }
    bind_static(source_, 5, layoffs::to_string(s.tier));
    if (!source_.step()) {
      throw std::runtime_error("source upsert returned no id");
    }
    const std::int64_t source_id = sqlite3_column_int64(source_, 0);
    source_.reset();
    sqlite3_bind_int64(event_source_, 1, id);
    sqlite3_bind_int64(event_source_, 2, source_id);
    sqlite3_bind_int64(event_source_, 3, position++);
    event_source_.run();
  }
  for (const layoffs::EventId inc : e.includes) {
    sqlite3_bind_int64(inclusion_, 1, id);
    sqlite3_bind_int64(inclusion_, 2, inc.value());
    inclusion_.run();
  }
  return id;
}

// ---- queries ----------------------------------------------------------

// The statements of the query cases, as literals to concatenate.
// The company and its descendants. UNION ALL: the library refuses parent
// cycles, so the raw code may trust the tree.
#define LAYOFFS_BENCH_SCOPE                                                                 \
  "WITH RECURSIVE scope(id) AS (SELECT ?1 UNION ALL SELECT c.id FROM company c JOIN scope " \
  "s ON c.parent_id = s.id) "
#define LAYOFFS_BENCH_COLUMNS                                                      \
  "SELECT e.id, e.company_id, e.announced_on, e.headcount_low, e.headcount_high, " \
  "e.headcount_estimate, e.headcount_kind"
#define LAYOFFS_BENCH_INCLUSION_COLUMNS                                                       \
  ", (SELECT i.including_event_id FROM event_inclusion i WHERE i.included_event_id = e.id), " \
  "EXISTS (SELECT 1 FROM event_inclusion i WHERE i.including_event_id = e.id)"
#define LAYOFFS_BENCH_IN_SCOPE " FROM scope JOIN layoff_event e ON e.company_id = scope.id"
#define LAYOFFS_BENCH_RANGE " WHERE e.announced_on >= ?2 AND e.announced_on <= ?3"

RawQueries::RawQueries(sqlite3* db)
    : range_per_row_(db, LAYOFFS_BENCH_SCOPE LAYOFFS_BENCH_COLUMNS LAYOFFS_BENCH_INCLUSION_COLUMNS
                             LAYOFFS_BENCH_IN_SCOPE LAYOFFS_BENCH_RANGE),
      range_preload_(
          db, LAYOFFS_BENCH_SCOPE LAYOFFS_BENCH_COLUMNS LAYOFFS_BENCH_IN_SCOPE LAYOFFS_BENCH_RANGE),
      month_per_row_(db, LAYOFFS_BENCH_SCOPE LAYOFFS_BENCH_COLUMNS LAYOFFS_BENCH_INCLUSION_COLUMNS
                             LAYOFFS_BENCH_IN_SCOPE),
      month_preload_(db, LAYOFFS_BENCH_SCOPE LAYOFFS_BENCH_COLUMNS LAYOFFS_BENCH_IN_SCOPE),
      all_per_row_(db,
                   LAYOFFS_BENCH_COLUMNS LAYOFFS_BENCH_INCLUSION_COLUMNS " FROM layoff_event e"),
      all_preload_(db, LAYOFFS_BENCH_COLUMNS " FROM layoff_event e"),
      children_(db,
                "SELECT x.id, x.company_id, x.announced_on, x.headcount_low, x.headcount_high, "
                "x.headcount_estimate, x.headcount_kind FROM event_inclusion i "
                "JOIN layoff_event x ON x.id = i.included_event_id WHERE i.including_event_id = ?"),
      inclusions_(db, "SELECT including_event_id, included_event_id FROM event_inclusion"),
      companies_(db, "SELECT id, parent_id, name FROM company"),
      db_(db),
      data_version_(db, "PRAGMA data_version"),
      inactive_stmt_(db, "SELECT id, status FROM layoff_event WHERE status <> 'active'") {}

#undef LAYOFFS_BENCH_SCOPE
#undef LAYOFFS_BENCH_COLUMNS
#undef LAYOFFS_BENCH_INCLUSION_COLUMNS
#undef LAYOFFS_BENCH_IN_SCOPE
#undef LAYOFFS_BENCH_RANGE

RawQueries::Interval RawQueries::interval_at(sqlite3_stmt* st, int c) {
  Interval iv;
  iv.low = sqlite3_column_int64(st, c);
  iv.bounded = sqlite3_column_type(st, c + 1) != SQLITE_NULL;
  iv.high = iv.bounded ? sqlite3_column_int64(st, c + 1) : 0;
  iv.estimate = sqlite3_column_int64(st, c + 2);
  // exact, about, at_least, up_to, range, phrase, unknown: two bytes tell.
  const auto* kind = reinterpret_cast<const char*>(sqlite3_column_text(st, c + 3));
  iv.approximate = (kind[0] == 'a' && kind[1] == 'b') || kind[0] == 'p';
  iv.unknown = kind[0] == 'u' && kind[1] == 'n';
  return iv;
}

void RawQueries::add(layoffs::Total& t, const Interval& c) {
  t.low += c.low;
  if (t.high && c.bounded) {
    *t.high += c.high;
  } else {
    t.high.reset();
  }
  t.estimate += c.estimate;
  ++t.selected_events;
  ++t.counted_events;
  t.unknown_events += c.unknown ? 1 : 0;
  t.approximate = t.approximate || c.approximate;
}

// docs/ARCHITECTURE.md: [max(0, low - sum high), high - sum low], estimate
// likewise and clamped into the bounds.
RawQueries::Interval RawQueries::remainder(const Interval& outer,
                                           const std::vector<Interval>& removed) {
  std::int64_t low = 0, high = 0, estimate = 0;
  bool unbounded = false;
  Interval out = outer;
  for (const Interval& r : removed) {
    low += r.low;
    estimate += r.estimate;
    high += r.high;
    unbounded = unbounded || !r.bounded;
    out.approximate = out.approximate || r.approximate;
  }
  out.low = unbounded ? 0 : std::max<std::int64_t>(0, outer.low - high);
  if (outer.bounded) {
    out.high = std::max(out.low, outer.high - low);
  }
  out.estimate = std::max(std::max<std::int64_t>(0, outer.estimate - estimate), out.low);
  if (out.bounded) {
    out.estimate = std::min(out.estimate, out.high);
  }
  return out;
}

void RawQueries::load_inactive() {
  inactive_.clear();
  while (inactive_stmt_.step()) {
    inactive_.emplace(sqlite3_column_int64(inactive_stmt_, 0),
                      static_cast<char>(sqlite3_column_text(inactive_stmt_, 1)[0]));
  }
  inactive_stmt_.reset();
}

void RawQueries::load_inclusions() {
  involvement_.clear();
  while (inclusions_.step()) {
    const std::int64_t including = sqlite3_column_int64(inclusions_, 0);
    const std::int64_t included = sqlite3_column_int64(inclusions_, 1);
    involvement_[including].has_children = true;
    involvement_[included].includer = including;
  }
  inclusions_.reset();
}

void RawQueries::refresh_inclusions() {
  data_version_.step();
  const std::int64_t version = sqlite3_column_int64(data_version_, 0);
  data_version_.reset();
  const std::int64_t changes = sqlite3_total_changes64(db_);
  if (version == stamp_version_ && changes == stamp_changes_) {
    return;
  }
  load_inclusions();
  load_inactive();
  std::int64_t max_id = -1;
  for (const auto& [id, inv] : involvement_) {
    max_id = std::max(max_id, id);
  }
  for (const auto& [id, status] : inactive_) {
    max_id = std::max(max_id, id);
  }
  involved_.assign(static_cast<std::size_t>(max_id + 1), false);
  for (const auto& [id, inv] : involvement_) {
    involved_[static_cast<std::size_t>(id)] = true;
  }
  for (const auto& [id, status] : inactive_) {
    involved_[static_cast<std::size_t>(id)] = true;
  }
  stamp_version_ = version;
  stamp_changes_ = changes;
}

template <class KeyOf>
std::unordered_map<std::int64_t, layoffs::Total> RawQueries::run(Stmt& select, Inclusions how,
                                                                 KeyOf key_of) {
  if (how == Inclusions::preload) {
    load_inclusions();
    load_inactive();
  } else if (how == Inclusions::cached) {
    refresh_inclusions();
  } else {
    load_inactive();
  }
  std::unordered_map<std::int64_t, layoffs::Total> groups;
  // Rows arrive grouped (by company, then date), so the last group is
  // usually the next one too.
  std::int64_t last_key = 0;
  layoffs::Total* last = nullptr;
  std::vector<Involved> involved;
  std::unordered_map<std::int64_t, std::int64_t> selected;  // involved event id -> its group key
  while (select.step()) {
    const std::int64_t key = key_of(select.get());
    const Interval iv = interval_at(select, 3);
    Involvement inv;
    const std::int64_t id = sqlite3_column_int64(select, 0);
    // Superseded and retracted events are selected and left out.
    const bool maybe_special =
        how != Inclusions::cached || (static_cast<std::uint64_t>(id) < involved_.size() &&
                                      involved_[static_cast<std::size_t>(id)]);
    if (maybe_special && !inactive_.empty()) {
      if (const auto it = inactive_.find(id); it != inactive_.end()) {
        layoffs::Total& t = groups[key];
        ++t.selected_events;
        ++(it->second == 's' ? t.superseded_events : t.retracted_events);
        last = nullptr;
        continue;
      }
    }
    if (how == Inclusions::per_row) {
      inv.includer = sqlite3_column_int64(select, 7);  // NULL reads as 0
      inv.has_children = sqlite3_column_int(select, 8) != 0;
    } else if (maybe_special) {
      if (const auto it = involvement_.find(id); it != involvement_.end()) {
        inv = it->second;
      }
    }
    if (inv.includer == 0 && !inv.has_children) {
      if (last == nullptr || key != last_key) {
        last = &groups[key];
        last_key = key;
      }
      add(*last, iv);
      continue;
    }
    involved.push_back({id, key, iv, inv});
    selected.emplace(id, key);
  }
  select.reset();

  // The few events in inclusions, by the rules of "Honest totals".
  const auto is_selected = [&](std::int64_t id, std::int64_t key) {
    const auto it = selected.find(id);
    return it != selected.end() && it->second == key;
  };
  std::vector<Interval> removed;
  std::vector<std::int64_t> pending;
  for (const Involved& ev : involved) {
    layoffs::Total& total = groups[ev.key];
    if (ev.inv.includer != 0 && is_selected(ev.inv.includer, ev.key)) {
      ++total.selected_events;
      ++total.inside_events;
      continue;
    }
    if (!ev.inv.has_children) {
      add(total, ev.iv);
      continue;
    }
    // Walk down through included events that are selected here (skipped,
    // so what they include is inside this figure too); take out each one
    // that is not selected. Inclusions form a forest, so no visited set.
    removed.clear();
    pending.assign(1, ev.id);
    while (!pending.empty()) {
      const std::int64_t parent = pending.back();
      pending.pop_back();
      sqlite3_bind_int64(children_, 1, parent);
      while (children_.step()) {
        const std::int64_t child = sqlite3_column_int64(children_, 0);
        if (is_selected(child, ev.key)) {
          pending.push_back(child);
        } else {
          removed.push_back(interval_at(children_, 3));
        }
      }
      children_.reset();
    }
    add(total, remainder(ev.iv, removed));
  }
  return groups;
}

layoffs::Total RawQueries::total_company_range(std::int64_t company, const char* from,
                                               const char* to, Inclusions how) {
  Stmt& select = how == Inclusions::per_row ? range_per_row_ : range_preload_;
  sqlite3_bind_int64(select, 1, company);
  sqlite3_bind_text(select, 2, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(select, 3, to, -1, SQLITE_STATIC);
  auto groups = run(select, how, [](sqlite3_stmt*) { return std::int64_t{0}; });
  return groups.empty() ? layoffs::Total{} : groups.begin()->second;
}

std::vector<layoffs::GroupTotal> RawQueries::totals_by_month(std::int64_t company, Inclusions how) {
  Stmt& select = how == Inclusions::per_row ? month_per_row_ : month_preload_;
  sqlite3_bind_int64(select, 1, company);
  // yyyymm straight from the ISO text's digits.
  auto groups = run(select, how, [](sqlite3_stmt* st) {
    const auto* d = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    return std::int64_t{(d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
                        (d[3] - '0')} *
               100 +
           (d[5] - '0') * 10 + (d[6] - '0');
  });
  std::vector<layoffs::GroupTotal> out;
  out.reserve(groups.size());
  for (const auto& [key, total] : groups) {
    char label[32];
    std::snprintf(label, sizeof label, "%04lld-%02lld", static_cast<long long>(key / 100),
                  static_cast<long long>(key % 100));
    out.push_back({label, key, total});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

std::vector<layoffs::GroupTotal> RawQueries::totals_by_top_company(Inclusions how) {
  // Company -> top-level company, from the current table (a cache kept across
  // calls would go stale when companies change).
  std::vector<std::int64_t> parent;
  std::vector<std::string> name;
  while (companies_.step()) {
    const auto id = static_cast<std::size_t>(sqlite3_column_int64(companies_, 0));
    if (id >= parent.size()) {
      parent.resize(id + 1, -1);
      name.resize(id + 1);
    }
    parent[id] = sqlite3_column_int64(companies_, 1);  // NULL reads as 0
    name[id].assign(reinterpret_cast<const char*>(sqlite3_column_text(companies_, 2)),
                    static_cast<std::size_t>(sqlite3_column_bytes(companies_, 2)));
  }
  companies_.reset();
  std::vector<std::int64_t> root(parent.size(), 0);
  for (std::size_t id = 1; id < parent.size(); ++id) {
    auto r = static_cast<std::int64_t>(id);
    while (parent[static_cast<std::size_t>(r)] > 0) {
      r = parent[static_cast<std::size_t>(r)];
    }
    root[id] = r;
  }
  auto groups =
      run(how == Inclusions::per_row ? all_per_row_ : all_preload_, how, [&](sqlite3_stmt* st) {
        return root[static_cast<std::size_t>(sqlite3_column_int64(st, 1))];
      });
  std::vector<layoffs::GroupTotal> out;
  out.reserve(groups.size());
  for (const auto& [key, total] : groups) {
    out.push_back({name[static_cast<std::size_t>(key)], key, total});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.total.estimate != b.total.estimate ? a.total.estimate > b.total.estimate
                                                : a.label < b.label;
  });
  return out;
}

// ---- CSV ----------------------------------------------------------------

void create_flat_table(sqlite3* db) {
  const char* sql =
      "CREATE TABLE layoffs_fyi (company TEXT, location TEXT, industry TEXT, "
      "total_laid_off TEXT, percentage_laid_off TEXT, date TEXT, stage TEXT, country TEXT, "
      "funds_raised_millions TEXT)";
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    sqlite_fail(db, sql);
  }
}

std::int64_t raw_import_csv(sqlite3* db, const std::string& path) {
  constexpr int kColumns = 9;
  Stmt insert(db, "INSERT INTO layoffs_fyi VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Stmt begin(db, "BEGIN IMMEDIATE");
  Stmt commit(db, "COMMIT");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    throw std::runtime_error("cannot read " + path);
  }
  // Big reads, lines found with memchr, fields bound in place.
  std::vector<char> buffer(1 << 20);
  std::size_t filled = 0;
  bool header = true;
  std::int64_t rows = 0;
  begin.run();
  for (;;) {
    const std::size_t got =
        std::fread(buffer.data() + filled, 1, buffer.size() - filled, file.get());
    filled += got;
    const bool eof = got == 0;
    char* p = buffer.data();
    char* const end = buffer.data() + filled;
    for (;;) {
      char* nl = static_cast<char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      if (nl == nullptr) {
        if (!eof || p == end) {
          break;
        }
        nl = end;  // a last line without a line end
      }
      char* line_end = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
      if (header) {
        header = false;
      } else if (line_end > p) {
        int column = 0;
        char* field = p;
        for (char* c = p;; ++c) {
          if (c == line_end || *c == ',') {
            if (++column > kColumns) {
              throw std::runtime_error(path + ": too many fields in row " +
                                       std::to_string(rows + 2));
            }
            sqlite3_bind_text(insert, column, field, static_cast<int>(c - field), SQLITE_STATIC);
            if (c == line_end) {
              break;
            }
            field = c + 1;
          }
        }
        if (column != kColumns) {
          throw std::runtime_error(path + ": too few fields in row " + std::to_string(rows + 2));
        }
        insert.run();
        ++rows;
      }
      p = nl == end ? end : nl + 1;
    }
    if (eof) {
      break;
    }
    // Keep the partial last line, grow if a line is longer than the buffer.
    filled = static_cast<std::size_t>(end - p);
    std::memmove(buffer.data(), p, filled);
    if (filled == buffer.size()) {
      buffer.resize(buffer.size() * 2);
    }
  }
  commit.run();
  return rows;
}

}  // namespace bench
