// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// import_csv/raw_normalized: what a careful programmer writes on the sqlite3
// C API to load a layoffs.fyi CSV (the Kaggle form of
// ../shared/data/layoffs_fyi_2020_2023.csv: nine columns in that order,
// M/D/YYYY or ISO dates, NULL for missing values, shares as fractions) into
// the library's schema and get the same database as io::import_file: the
// same companies (found by folded name or alias, or created), the same
// events with the same keys, every CHECK, foreign key and index in force.
// It uses what the library uses to be fast, no more: one transaction,
// statements prepared once, a hash map of companies, a hash set of the keys
// (so a repeated row is skipped, and a re-import adds nothing), and, past
// the same threshold as the library's bulk load, layoff_event's indexes
// dropped and built again before the commit (sorting on disk, with a helper
// thread). It reads the file in 1 MiB blocks and parses RFC 4180 quoting
// (quoted fields, doubled quotes, line breaks inside quotes).
//
// What it does not do is the library's validation beyond what the schema
// enforces (text lengths and UTF-8, dates in the future, headcount phrases:
// counts must be plain whole numbers here), and error reporting: a row it
// cannot read is counted as rejected and skipped, like --skip-bad.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "raw.h"

namespace bench {

namespace {

constexpr int kColumns = 9;
enum { kCompany, kLocation, kIndustry, kCount, kPercentage, kDate, kStage, kCountry, kFunds };

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != b[i]) {
      return false;
    }
  }
  return true;
}

// Trimmed; "" for an empty field, NULL or unknown (as layoffs.fyi writes them).
std::string_view value(std::string_view field) {
  field = trim(field);
  return iequals(field, "null") || iequals(field, "unknown") ? std::string_view() : field;
}

// Case and runs of whitespace folded, Latin-1 capitals too (as the library
// matches company names).
void fold_name(std::string_view s, std::string& key) {
  key.clear();
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (is_space(static_cast<char>(c))) {
      space = true;
      continue;
    }
    if (space && !key.empty()) {
      key += ' ';
    }
    space = false;
    if (c >= 'A' && c <= 'Z') {
      key += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && i + 1 < s.size()) {
      auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) {
        next = static_cast<unsigned char>(next + 0x20);
      }
      key += static_cast<char>(c);
      key += static_cast<char>(next);
      ++i;
    } else {
      key += static_cast<char>(c);
    }
  }
}

// "Tel Aviv, Non-U.S." -> "Tel Aviv".
std::string_view strip_non_us(std::string_view s) {
  constexpr std::string_view kMarker = "non-u.s.";
  if (s.size() >= kMarker.size() && iequals(s.substr(s.size() - kMarker.size()), kMarker)) {
    s = trim(s.substr(0, s.size() - kMarker.size()));
    if (!s.empty() && s.back() == ',') {
      s.remove_suffix(1);
    }
  }
  return trim(s);
}

bool parse_uint(std::string_view s, long& out) {
  if (s.empty() || s.size() > 9) {
    return false;
  }
  long v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

// M/D/YYYY or YYYY-MM-DD into "YYYY-MM-DD"; false if it is no real date.
bool parse_date(std::string_view s, char* iso) {
  long y = 0, m = 0, d = 0;
  if (const std::size_t a = s.find('/'); a != std::string_view::npos) {
    const std::size_t b = s.find('/', a + 1);
    if (b == std::string_view::npos || !parse_uint(s.substr(0, a), m) ||
        !parse_uint(s.substr(a + 1, b - a - 1), d) || s.size() - b - 1 != 4 ||
        !parse_uint(s.substr(b + 1), y)) {
      return false;
    }
  } else if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !parse_uint(s.substr(0, 4), y) ||
             !parse_uint(s.substr(5, 2), m) || !parse_uint(s.substr(8, 2), d)) {
    return false;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
      d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) {
    return false;
  }
  const auto digits = [&](long v, int at, int n) {
    for (int i = n - 1; i >= 0; --i, v /= 10) {
      iso[at + i] = static_cast<char>('0' + v % 10);
    }
  };
  digits(y, 0, 4);
  iso[4] = '-';
  digits(m, 5, 2);
  iso[7] = '-';
  digits(d, 8, 2);
  iso[10] = '\0';
  return true;
}

// A decimal number, optionally with '$' and thousands commas.
bool parse_number(std::string_view s, double& out) {
  char buf[64];
  std::size_t n = 0;
  for (const char c : s) {
    if (c == '$' || c == ',' || c == ' ') {
      continue;
    }
    if (n + 1 >= sizeof buf) {
      return false;
    }
    buf[n++] = c;
  }
  buf[n] = 0;
  if (n == 0) {
    return false;
  }
  char* end = nullptr;
  out = std::strtod(buf, &end);
  return end == buf + n && std::isfinite(out);
}

// The library's row key: "lfyi:" and a 128-bit FNV-1a/splitmix hash of
// the fields as read, joined by U+001F.
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h) {
  for (const char c : bytes) {
    h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return h;
}
std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
void row_key(std::string_view text, char* out /* 38 bytes */) {
  const std::uint64_t a = mix(fnv1a(text, 0xcbf29ce484222325ULL));
  const std::uint64_t b = mix(fnv1a(text, 0x84222325cbf29ce4ULL) ^ text.size());
  std::snprintf(out, 38, "lfyi:%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class Importer {
 public:
  Importer(sqlite3* db, std::int64_t bulk_min_events)
      : db_(db),
        bulk_min_events_(bulk_min_events),
        find_company_(
            db,
            "SELECT id FROM company WHERE name_key = ?1 "
            "UNION ALL SELECT company_id FROM company_alias WHERE alias_key = ?1 LIMIT 1"),
        add_company_(db,
                     "INSERT INTO company (name, name_key, industry, hq_location, country) "
                     "VALUES (?, ?, ?, ?, ?)"),
        event_(db,
               "INSERT INTO layoff_event (company_id, announced_on, announced_precision, "
               "headcount_kind, headcount_low, headcount_high, headcount_estimate, "
               "headcount_phrase, workforce_pct, external_key, company_stage, funds_raised_musd, "
               "created_at, updated_at) "
               "VALUES (?1, ?2, 'day', ?3, ?4, ?5, ?4, ?6, ?7, ?8, ?9, ?10, ?11, ?11)") {}

  RawImportSummary run(const std::string& path);

 private:
  void row(const std::string_view* f);
  std::int64_t company_id(std::string_view name, const std::string_view* f);
  void drop_indexes();
  void build_indexes();
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      sqlite_fail(db_, sql);
    }
  }

  sqlite3* db_;
  std::int64_t bulk_min_events_;
  std::int64_t threshold_ = 0;
  bool dropped_ = false;
  std::vector<std::string> indexes_;  // CREATE statements of the dropped indexes
  Stmt find_company_, add_company_, event_;
  std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>> companies_;
  std::unordered_set<std::string, StringHash, std::equal_to<>> keys_;
  std::string key_text_, name_key_;
  char now_[32] = "";
  std::time_t now_second_ = 0;
  RawImportSummary summary_;
};

std::int64_t Importer::company_id(std::string_view name, const std::string_view* f) {
  if (const auto it = companies_.find(name); it != companies_.end()) {
    return it->second;
  }
  fold_name(name, name_key_);
  bind_static(find_company_, 1, name_key_);
  std::int64_t id = 0;
  if (find_company_.step()) {
    id = sqlite3_column_int64(find_company_, 0);
    find_company_.reset();
  } else {
    find_company_.reset();
    bind_static(add_company_, 1, name);
    bind_static(add_company_, 2, name_key_);
    bind_static_or_null(add_company_, 3, value(f[kIndustry]));
    bind_static_or_null(add_company_, 4, strip_non_us(value(f[kLocation])));
    bind_static_or_null(add_company_, 5, value(f[kCountry]));
    add_company_.run();
    id = sqlite3_last_insert_rowid(db_);
  }
  companies_.emplace(std::string(name), id);
  return id;
}

void Importer::row(const std::string_view* f) {
  ++summary_.rows_read;
  key_text_.clear();
  for (int i = 0; i < kColumns; ++i) {
    if (i > 0) {
      key_text_ += '\x1f';
    }
    key_text_ += f[i];
  }
  char key[38];
  row_key(key_text_, key);

  const std::string_view name = value(f[kCompany]);
  char date[11];
  const std::string_view date_text = value(f[kDate]);
  long count = 0;
  const std::string_view count_text = value(f[kCount]);
  double pct = 0, funds = 0;
  const std::string_view pct_text = value(f[kPercentage]);
  const std::string_view funds_text = value(f[kFunds]);
  if (name.empty() || date_text.empty() || !parse_date(date_text, date) ||
      (!count_text.empty() && !parse_uint(count_text, count)) ||
      (!pct_text.empty() && (!parse_number(pct_text, pct) || pct < 0 || pct > 1)) ||
      (!funds_text.empty() && (!parse_number(funds_text, funds) || funds < 0))) {
    ++summary_.rejected;
    return;
  }
  if (!keys_.emplace(key).second) {
    ++summary_.duplicates;  // the same row again (or imported before)
    return;
  }

  sqlite3_bind_int64(event_, 1, company_id(name, f));
  bind_static(event_, 2, date);
  if (count_text.empty()) {
    bind_static(event_, 3, "unknown");
    sqlite3_bind_int64(event_, 4, 0);
    sqlite3_bind_null(event_, 5);
    bind_static(event_, 6, "unknown");
  } else {
    bind_static(event_, 3, "exact");
    sqlite3_bind_int64(event_, 4, count);
    sqlite3_bind_int64(event_, 5, count);
    bind_static(event_, 6, count_text);
  }
  if (pct_text.empty()) {
    sqlite3_bind_null(event_, 7);
  } else {
    sqlite3_bind_double(event_, 7, std::round(pct * 100.0 * 1e6) / 1e6);
  }
  bind_static(event_, 8, key);
  bind_static_or_null(event_, 9, value(f[kStage]));
  if (funds_text.empty()) {
    sqlite3_bind_null(event_, 10);
  } else {
    sqlite3_bind_double(event_, 10, funds);
  }
  // The timestamp the columns' DEFAULT would give, made once a second (as
  // the library does).
  if (const std::time_t t = std::time(nullptr); t != now_second_) {
    now_second_ = t;
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(now_, sizeof now_, "%Y-%m-%dT%H:%M:%SZ", &tm);
  }
  bind_static(event_, 11, now_);
  event_.run();
  ++summary_.imported;
  if (!dropped_ && summary_.imported >= threshold_) {
    drop_indexes();
  }
}

void Importer::drop_indexes() {
  Stmt list(db_,
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = "
            "'layoff_event' AND sql IS NOT NULL ORDER BY rowid");
  std::vector<std::string> names;
  while (list.step()) {
    names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list, 0)));
    indexes_.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list, 1)));
  }
  list.reset();
  for (const std::string& name : names) {
    exec(("DROP INDEX \"" + name + "\"").c_str());  // our own schema's names: no quotes inside
  }
  dropped_ = true;
}

void Importer::build_indexes() {
  exec("PRAGMA threads = 2");
  exec("PRAGMA temp_store = FILE");  // the sorts on disk; journals stay in memory
  for (const std::string& sql : indexes_) {
    exec(sql.c_str());
  }
  exec("PRAGMA threads = 0");
  exec("PRAGMA temp_store = MEMORY");
}

RawImportSummary Importer::run(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    throw std::runtime_error("cannot read " + path);
  }
  exec("BEGIN IMMEDIATE");
  {
    Stmt present(db_, "SELECT coalesce(max(id) - min(id) + 1, 0) FROM layoff_event");
    present.step();
    threshold_ = std::max<std::int64_t>(bulk_min_events_, sqlite3_column_int64(present, 0));
    Stmt keys(db_, "SELECT external_key FROM layoff_event WHERE external_key IS NOT NULL");
    while (keys.step()) {
      keys_.emplace(reinterpret_cast<const char*>(sqlite3_column_text(keys, 0)));
    }
  }
  std::vector<char> buffer(1 << 20);
  std::size_t filled = 0;
  bool header = true;
  std::string_view fields[kColumns + 1];
  std::string unquoted[kColumns + 1];
  for (;;) {
    const std::size_t got =
        std::fread(buffer.data() + filled, 1, buffer.size() - filled, file.get());
    filled += got;
    const bool eof = got == 0;
    const char* p = buffer.data();
    const char* const end = buffer.data() + filled;
    while (p < end) {
      // One record: fields split on commas outside quotes, up to a line end
      // outside quotes.
      int n = 0;
      const char* c = p;
      bool complete = false;
      bool too_many = false;
      for (;;) {
        const char* field = c;
        std::string_view f;
        if (c < end && *c == '"') {
          std::string& u = unquoted[n < kColumns ? n : kColumns];
          u.clear();
          ++c;
          for (;;) {
            const char* q = static_cast<const char*>(std::memchr(c, '"', end - c));
            if (q == nullptr) {
              c = end;
              break;
            }
            u.append(c, q);
            if (q + 1 < end && q[1] == '"') {
              u += '"';
              c = q + 2;
              continue;
            }
            c = q + 1;
            break;
          }
          if (c >= end && !eof) {
            break;  // the record goes on in the next block
          }
          f = u;
        }
        while (c < end && *c != ',' && *c != '\n') {
          ++c;
        }
        if (field == c || *field != '"') {
          f = std::string_view(field, static_cast<std::size_t>(c - field));
          if (!f.empty() && f.back() == '\r' && (c == end || *c == '\n')) {
            f.remove_suffix(1);
          }
        }
        if (n < kColumns) {
          fields[n] = f;
        } else {
          too_many = true;
        }
        ++n;
        if (c < end && *c == ',') {
          ++c;
          continue;
        }
        if (c < end || eof) {
          complete = true;
          if (c < end) {
            ++c;  // the line end
          }
        }
        break;
      }
      if (!complete) {
        break;
      }
      const char* next = c;
      if (header) {
        header = false;
      } else if (!(n == 1 && fields[0].empty())) {  // not a blank line
        if (n != kColumns || too_many) {
          ++summary_.rows_read;
          ++summary_.rejected;
        } else {
          row(fields);
        }
      }
      p = next;
    }
    if (eof) {
      break;
    }
    filled = static_cast<std::size_t>(end - p);
    std::memmove(buffer.data(), p, filled);
    if (filled == buffer.size()) {
      buffer.resize(buffer.size() * 2);
    }
  }
  if (dropped_) {
    build_indexes();
  }
  exec("COMMIT");
  return summary_;
}

}  // namespace

RawImportSummary raw_import_normalized(sqlite3* db, const std::string& path,
                                       std::int64_t bulk_min_events) {
  return Importer(db, bulk_min_events).run(path);
}

}  // namespace bench
