// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "bench_data.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include <layoffs/layoffs.h>

#include "bench_support.h"

namespace bench {

namespace {

using layoffs::Headcount;

constexpr std::array<const char*, 12> kDepartments = {
    "Engineering", "Sales",      "Recruiting", "Customer Support",
    "Marketing",   "Operations", "Product",    "Finance",
    "HR",          "Legal",      "Design",     "Data Science"};

struct ReasonSpec {
  const char* name;
  layoffs::ReasonCategory category;
};
constexpr std::array<ReasonSpec, 10> kReasons = {{
    {"Cost cutting", layoffs::ReasonCategory::cost_cutting},
    {"Restructuring", layoffs::ReasonCategory::restructuring},
    {"Refocus on AI", layoffs::ReasonCategory::strategy_shift},
    {"Automation of support", layoffs::ReasonCategory::automation},
    {"Outsourcing", layoffs::ReasonCategory::outsourcing},
    {"Slowing demand", layoffs::ReasonCategory::market_conditions},
    {"Office closure", layoffs::ReasonCategory::closure},
    {"Overhiring during the pandemic", layoffs::ReasonCategory::market_conditions},
    {"Merger", layoffs::ReasonCategory::restructuring},
    {"Funding ran out", layoffs::ReasonCategory::other},
}};

constexpr std::array<const char*, 5> kPublishers = {"Reuters", "Bloomberg", "TechCrunch",
                                                    "The Verge", "CNBC"};

// A headcount as the generators draw it: a kind and one number.
enum class Kind : std::uint8_t { exact, about, at_least, range, up_to, phrase, unknown };
struct HeadcountSpec {
  Kind kind;
  std::int32_t n;
};

// Proportions loosely after real reporting: mostly exact figures, some
// "about" and "more than", a few ranges, caps, phrases and unknowns. Sizes
// are log-uniform from 5 to 20,000.
HeadcountSpec draw_headcount(Rng& rng) {
  const double lo = std::log(5.0);
  const double hi = std::log(20'000.0);
  const auto n = static_cast<std::int32_t>(std::exp(lo + rng.unit() * (hi - lo)));
  const std::int64_t r = rng.below(100);
  const Kind kind = r < 60   ? Kind::exact
                    : r < 70 ? Kind::about
                    : r < 80 ? Kind::at_least
                    : r < 88 ? Kind::range
                    : r < 92 ? Kind::up_to
                    : r < 96 ? Kind::phrase
                             : Kind::unknown;
  return {kind, n};
}

Headcount to_headcount(HeadcountSpec h) {
  static const std::array<Headcount, 6> phrases = {
      Headcount::parse("a handful"),     Headcount::parse("dozens"),
      Headcount::parse("a few hundred"), Headcount::parse("several hundred"),
      Headcount::parse("hundreds"),      Headcount::parse("a few thousand")};
  switch (h.kind) {
    case Kind::exact:
      return Headcount::exact(h.n);
    case Kind::about:
      return Headcount::about(h.n);
    case Kind::at_least:
      return Headcount::at_least(h.n);
    case Kind::range:
      return Headcount::range(h.n, h.n + h.n / 2 + 1);
    case Kind::up_to:
      return Headcount::up_to(h.n);
    case Kind::phrase:
      return phrases[static_cast<std::size_t>(h.n) % phrases.size()];
    case Kind::unknown:
      return Headcount::unknown();
  }
  return Headcount::unknown();
}

const layoffs::Date& first_day() {
  static const layoffs::Date d = layoffs::Date::ymd(kFirstYear, 1, 1);
  return d;
}

long span_days() {
  static const long days = layoffs::Date::ymd(kFirstYear + kYears, 1, 1).days_since_epoch() -
                           first_day().days_since_epoch();
  return days;
}

std::string company_name(std::int64_t i, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "Company %0*lld", width, static_cast<long long>(i));
  return buf;
}

// Builds `path` through `make` into a temporary name and renames it into
// place, so an interrupted generation is never mistaken for a finished one.
template <class Make>
void build_atomically(const std::string& path, Make&& make) {
  make_dirs(std::filesystem::path(path).parent_path().string());
  const std::string tmp = path + ".tmp";
  remove_db(tmp);
  make(tmp);
  std::filesystem::rename(tmp, path);
}

std::string with_schema(const std::string& path) {
  layoffs::Tracker::open(path);  // creates the schema, WAL; closed at once
  return path;
}

}  // namespace

const std::string& empty_template() {
  static const std::string path = with_schema(work_dir() + "/empty.db");
  return path;
}

const std::string& record_template() {
  static const std::string path = [] {
    const std::string p = work_dir() + "/record-template.db";
    auto tracker = layoffs::Tracker::open(p);
    tracker.transaction([&] {
      for (std::int64_t i = 1; i <= Sizes::get().batch_companies; ++i) {
        const auto id = tracker.add_company({.name = company_name(i, 4)});
        if (id.value() != i) {
          throw std::runtime_error("record template: unexpected company id");
        }
      }
    });
    return p;
  }();
  return path;
}

std::vector<layoffs::NewEvent> record_events(std::int64_t n, std::uint64_t seed,
                                             const std::string& url_prefix) {
  Rng rng(seed);
  const std::int64_t companies = Sizes::get().batch_companies;
  std::vector<layoffs::NewEvent> events(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    layoffs::NewEvent& e = events[static_cast<std::size_t>(i)];
    e.company = layoffs::CompanyId(1 + rng.below(companies));
    e.announced_on = first_day().plus_days(rng.below(span_days()));
    e.headcount = to_headcount(draw_headcount(rng));
    if (rng.below(10) < 3) {
      e.workforce_pct = static_cast<double>(1 + rng.below(999)) / 10.0;
    }
    const std::int64_t d1 = rng.below(kDepartments.size());
    const std::int64_t d2 = (d1 + 1 + rng.below(kDepartments.size() - 1)) % kDepartments.size();
    e.departments = {kDepartments[static_cast<std::size_t>(d1)],
                     kDepartments[static_cast<std::size_t>(d2)]};
    const std::int64_t r1 = rng.below(kReasons.size());
    const std::int64_t r2 = (r1 + 1 + rng.below(kReasons.size() - 1)) % kReasons.size();
    for (const std::int64_t r : {r1, r2}) {
      const ReasonSpec& spec = kReasons[static_cast<std::size_t>(r)];
      e.reasons.push_back({spec.name, spec.category});
    }
    e.sources.push_back(
        {.url = url_prefix + std::to_string(i),
         .title = "Layoffs at " + company_name(e.company.value(), 4),
         .publisher = kPublishers[static_cast<std::size_t>(rng.below(kPublishers.size()))],
         .published_on = e.announced_on,
         .tier = layoffs::SourceTier::media_report});
  }
  return events;
}

// ---- the query database -----------------------------------------------

namespace {

constexpr std::int64_t kTreeSize = 25;  // 1 + 4 + 4 * 5

struct GenEvent {
  std::int32_t company;
  std::int32_t day;
  HeadcountSpec headcount;
  std::int64_t order;  // draw order: the tie-break that keeps the sort deterministic
};

void generate_query_db(const std::string& path, std::int64_t n_events, std::int64_t trees) {
  const auto started = std::chrono::steady_clock::now();
  std::cerr << "layoffs_bench: generating " << path << " (" << n_events << " events, "
            << trees * kTreeSize << " companies) ...\n";
  with_schema(path);

  Rng rng(20240501);
  // Events: a tree by Zipf weight 1/(rank+1), a company uniformly in it.
  std::vector<double> cumulative(static_cast<std::size_t>(trees));
  double sum = 0;
  for (std::int64_t r = 0; r < trees; ++r) {
    sum += 1.0 / static_cast<double>(r + 1);
    cumulative[static_cast<std::size_t>(r)] = sum;
  }
  std::vector<GenEvent> events(static_cast<std::size_t>(n_events));
  for (std::int64_t i = 0; i < n_events; ++i) {
    const double u = rng.unit() * sum;
    const auto tree = std::min<std::int64_t>(
        trees - 1, std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
    const std::int64_t company = tree * kTreeSize + 1 + rng.below(kTreeSize);
    events[static_cast<std::size_t>(i)] = {static_cast<std::int32_t>(company),
                                           static_cast<std::int32_t>(rng.below(span_days())),
                                           draw_headcount(rng), i};
  }
  // Ids in date order, as events are recorded over time.
  std::sort(events.begin(), events.end(), [](const GenEvent& a, const GenEvent& b) {
    return a.day != b.day ? a.day < b.day : a.order < b.order;
  });

  RawDb db(path, SQLITE_OPEN_READWRITE);
  // Speed only: nothing here is measured, and the file is renamed into place
  // only once complete. WAL is restored below.
  db.exec(
      "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; "
      "BEGIN");
  {
    Stmt company(db.get(),
                 "INSERT INTO company (id, name, name_key, parent_id) VALUES (?, ?, ?, ?)");
    for (std::int64_t t = 0; t < trees; ++t) {
      const std::int64_t root = t * kTreeSize + 1;
      for (std::int64_t k = 0; k < kTreeSize; ++k) {
        const std::int64_t id = root + k;
        // k = 0 the root; 1..4 its subsidiaries; 5.. five below each of those.
        const std::int64_t parent = k == 0 ? 0 : k <= 4 ? root : root + 1 + (k - 5) / 5;
        const std::string name = company_name(id, 5);
        std::string key = name;
        std::transform(key.begin(), key.end(), key.begin(),
                       [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
        sqlite3_bind_int64(company, 1, id);
        bind_static(company, 2, name);
        bind_static(company, 3, key);
        if (parent == 0) {
          sqlite3_bind_null(company, 4);
        } else {
          sqlite3_bind_int64(company, 4, parent);
        }
        company.run();
      }
    }
  }
  {
    Stmt event(db.get(),
               "INSERT INTO layoff_event (id, company_id, announced_on, headcount_kind, "
               "headcount_low, headcount_high, headcount_estimate, headcount_phrase) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    Stmt inclusion(db.get(),
                   "INSERT INTO event_inclusion (including_event_id, included_event_id) "
                   "VALUES (?, ?)");
    // Per company, its latest events not yet included by another, with
    // their figures.
    struct Recent {
      std::int64_t id;
      Headcount headcount;
    };
    std::vector<std::vector<Recent>> recent(static_cast<std::size_t>(trees * kTreeSize + 1));
    Rng inclusions(77);
    std::int64_t id = 0;
    for (const GenEvent& g : events) {
      ++id;
      const Headcount h = to_headcount(g.headcount);
      char iso[11];
      format_iso(first_day().plus_days(g.day), iso);
      const std::string_view kind = layoffs::to_string(h.kind());
      sqlite3_bind_int64(event, 1, id);
      sqlite3_bind_int64(event, 2, g.company);
      bind_static(event, 3, iso);
      bind_static(event, 4, kind);
      sqlite3_bind_int64(event, 5, h.low());
      if (h.high()) {
        sqlite3_bind_int64(event, 6, *h.high());
      } else {
        sqlite3_bind_null(event, 6);
      }
      sqlite3_bind_int64(event, 7, h.estimate());
      bind_static(event, 8, h.phrase());
      event.run();

      auto& mine = recent[static_cast<std::size_t>(g.company)];
      if (!mine.empty() && inclusions.unit() < 0.01) {
        // Any of the company's last few events: sometimes one that itself
        // includes another (a chain), sometimes one weeks or months back.
        const auto pick =
            static_cast<std::size_t>(inclusions.below(static_cast<std::int64_t>(mine.size())));
        // Only an inclusion the figures allow as they stand: the includer
        // at least as large as what it includes in low, estimate and high.
        // The rows go in below the library, so nothing else would refuse an
        // impossible one, and raising or lowering figures ("bounds flow
        // upward") is a rule the hand-written queries do not implement.
        const Headcount& inner = mine[pick].headcount;
        const bool fits = h.low() >= inner.low() && h.estimate() >= inner.estimate() &&
                          (!h.high() || (inner.high() && *inner.high() <= *h.high()));
        if (fits) {
          sqlite3_bind_int64(inclusion, 1, id);
          sqlite3_bind_int64(inclusion, 2, mine[pick].id);
          inclusion.run();
          mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(pick));
        }
      }
      mine.push_back({id, h});
      if (mine.size() > 8) {
        mine.erase(mine.begin());
      }
    }
  }
  db.exec("COMMIT; PRAGMA journal_mode = WAL");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "layoffs_bench: generated in " << seconds << " s\n";
}

}  // namespace

const QueryDb& query_db() {
  static const QueryDb db = [] {
    const Sizes& s = Sizes::get();
    const std::int64_t trees = std::max<std::int64_t>(1, (s.companies + kTreeSize / 2) / kTreeSize);
    QueryDb q;
    q.path = s.data_dir + "/query-e" + std::to_string(s.events) + "-c" +
             std::to_string(trees * kTreeSize) + "-v2.db";
    if (!file_exists(q.path)) {
      build_atomically(q.path,
                       [&](const std::string& tmp) { generate_query_db(tmp, s.events, trees); });
    }
    q.big_root = layoffs::CompanyId(1);
    return q;
  }();
  return db;
}

// ---- the import CSV ---------------------------------------------------

const char* const kCsvHeader =
    "company,location,industry,total_laid_off,percentage_laid_off,date,stage,country,"
    "funds_raised_millions";

namespace {

constexpr std::array<const char*, 8> kIndustries = {
    "Retail", "Finance", "Healthcare", "Transportation", "Media", "Consumer", "Crypto", "Other"};
constexpr std::array<const char*, 8> kStages = {"Seed",     "Series A",      "Series B",
                                                "Series C", "Series D",      "Post-IPO",
                                                "Acquired", "Private Equity"};
constexpr std::array<const char*, 8> kCountries = {"United States", "India",          "Canada",
                                                   "Germany",       "United Kingdom", "Brazil",
                                                   "Israel",        "Australia"};

void generate_csv(const std::string& path, std::int64_t rows, std::int64_t companies) {
  std::cerr << "layoffs_bench: generating " << path << " (" << rows << " rows) ...\n";
  // Row i belongs to company i % companies and is that company's (i /
  // companies)-th row; each of a company's rows falls in its own slot of the
  // date span, so no two rows are alike (the importer would count a repeat
  // as a duplicate and do less work than the raw loader).
  const std::int64_t per_company = (rows + companies - 1) / companies;
  const long slot = span_days() / per_company;
  if (slot < 1) {
    throw std::runtime_error("LAYOFFS_BENCH_CSV_ROWS / LAYOFFS_BENCH_COMPANIES must be at most " +
                             std::to_string(span_days()));
  }
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) {
    throw std::runtime_error("cannot write " + path);
  }
  Rng rng(4242);
  std::fprintf(out, "%s\n", kCsvHeader);
  for (std::int64_t i = 0; i < rows; ++i) {
    const std::int64_t c = i % companies;
    const std::int64_t j = i / companies;
    const layoffs::Date date = first_day().plus_days(j * slot + rng.below(slot));
    const auto pick = [&](const auto& list, std::int64_t k) {
      return list[static_cast<std::size_t>(k) % list.size()];
    };
    char count[16] = "NULL";
    if (rng.below(10) != 0) {
      std::snprintf(count, sizeof count, "%d", static_cast<int>(draw_headcount(rng).n));
    }
    char pct[16] = "NULL";
    if (rng.below(10) < 6) {
      std::snprintf(pct, sizeof pct, "0.%02d", static_cast<int>(1 + rng.below(99)));
    }
    char funds[16] = "NULL";
    if (rng.below(10) < 8) {
      std::snprintf(funds, sizeof funds, "%d", static_cast<int>(1 + (c * 37) % 5000));
    }
    std::fprintf(out, "%s,City %d,%s,%s,%s,%u/%u/%d,%s,%s,%s\n", company_name(c + 1, 5).c_str(),
                 static_cast<int>(c % 500), pick(kIndustries, c), count, pct, date.month(),
                 date.day(), date.year(), pick(kStages, rng.below(8)), pick(kCountries, c), funds);
  }
  if (std::fclose(out) != 0) {
    throw std::runtime_error("cannot write " + path);
  }
}

}  // namespace

const std::string& import_csv() {
  static const std::string path = [] {
    const Sizes& s = Sizes::get();
    const std::string p = s.data_dir + "/layoffs-fyi-r" + std::to_string(s.csv_rows) + "-c" +
                          std::to_string(s.companies) + "-v1.csv";
    if (!file_exists(p)) {
      build_atomically(p,
                       [&](const std::string& tmp) { generate_csv(tmp, s.csv_rows, s.companies); });
    }
    return p;
  }();
  return path;
}

// ---- real-size files ------------------------------------------------------

namespace {

std::vector<std::string> read_lines(const std::string& path) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (in == nullptr) {
    throw std::runtime_error("cannot read " + path);
  }
  std::vector<std::string> lines;
  std::string line;
  for (int c; (c = std::fgetc(in)) != EOF;) {
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      lines.push_back(std::move(line));
      line.clear();
    } else {
      line += static_cast<char>(c);
    }
  }
  if (!line.empty()) {
    lines.push_back(std::move(line));
  }
  std::fclose(in);
  return lines;
}

// Splits a CSV line on the commas outside quotes; each field keeps its
// quotes, so joining the fields with commas gives the line back.
std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
    }
    if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

void write_all(const std::string& path, const std::string& text) {
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr || std::fwrite(text.data(), 1, text.size(), out) != text.size() ||
      std::fclose(out) != 0) {
    throw std::runtime_error("cannot write " + path);
  }
}

const std::string kSharedData = LAYOFFS_BENCH_SHARED_DATA_DIR;

}  // namespace

const std::string& real_fyi_csv() {
  static const std::string path = [] {
    const Sizes& s = Sizes::get();
    const std::string p =
        s.data_dir + "/real-layoffs-fyi-r" + std::to_string(s.real_fyi_rows) + "-v1.csv";
    if (file_exists(p)) {
      return p;
    }
    build_atomically(p, [&](const std::string& tmp) {
      const auto lines = read_lines(kSharedData + "/layoffs_fyi_2020_2023.csv");
      if (lines.size() < 2) {
        throw std::runtime_error("the real layoffs.fyi file is empty");
      }
      std::string out = lines[0] + "\n";
      const std::int64_t n = static_cast<std::int64_t>(lines.size()) - 1;
      for (std::int64_t i = 0; i < s.real_fyi_rows; ++i) {
        std::vector<std::string> f = split_commas(lines[static_cast<std::size_t>(1 + i % n)]);
        const long later = static_cast<long>(i / n);
        if (later > 0 && f.size() > 5) {
          // M/D/YYYY -> a year later (29 February becomes 1 March).
          const std::size_t slash = f[5].rfind('/');
          if (slash != std::string::npos) {
            const int year = std::atoi(f[5].c_str() + slash + 1) + static_cast<int>(later);
            f[5] = f[5].substr(0, slash + 1) + std::to_string(year);
            if (f[5].rfind("2/29/", 0) == 0 &&
                !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) {
              f[5] = "3/1/" + std::to_string(year);
            }
          }
        }
        for (std::size_t k = 0; k < f.size(); ++k) {
          out += k == 0 ? "" : ",";
          if (k == 0 && f[k].find(' ') != std::string::npos) {
            out += '"';
            out += f[k];
            out += '"';
          } else {
            out += f[k];
          }
        }
        out += '\n';
      }
      write_all(tmp, out);
    });
    return p;
  }();
  return path;
}

const std::string& real_warn_csv() {
  static const std::string path = [] {
    const Sizes& s = Sizes::get();
    const std::string p =
        s.data_dir + "/real-warn-r" + std::to_string(s.real_warn_rows) + "-v1.csv";
    if (file_exists(p)) {
      return p;
    }
    build_atomically(p, [&](const std::string& tmp) {
      const auto lines = read_lines(kSharedData + "/warn_bln_integrated_slice_2023-01.csv");
      if (lines.size() < 2) {
        throw std::runtime_error("the real WARN file is empty");
      }
      const std::vector<std::string> header = split_commas(lines[0]);
      const auto column = [&](const char* name) {
        for (std::size_t k = 0; k < header.size(); ++k) {
          if (header[k] == name) {
            return k;
          }
        }
        throw std::runtime_error(std::string("no column ") + name + " in the WARN file");
      };
      const std::size_t hash = column("hash_id"), notice = column("notice_date"),
                        ancestor = column("likely_ancestor");
      std::string out = lines[0] + "\n";
      const std::int64_t n = static_cast<std::int64_t>(lines.size()) - 1;
      for (std::int64_t i = 0; i < s.real_warn_rows; ++i) {
        const std::string& line = lines[static_cast<std::size_t>(1 + i % n)];
        std::vector<std::string> f = split_commas(line);
        const std::int64_t round = i / n;
        if (round > 0) {
          std::string suffix = std::to_string(round);
          suffix.insert(suffix.begin(), 'r');
          f[hash] += suffix;
          if (!f[ancestor].empty()) {
            f[ancestor] += suffix;
          }
          if (!f[notice].empty()) {
            f[notice] = layoffs::Date::parse(f[notice]).plus_days(-7 * round).iso();
          }
        }
        for (std::size_t k = 0; k < f.size(); ++k) {
          out += k == 0 ? "" : ",";
          out += f[k];
        }
        out += '\n';
      }
      write_all(tmp, out);
    });
    return p;
  }();
  return path;
}

}  // namespace bench
