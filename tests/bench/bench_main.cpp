// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// layoffs_bench: every case of issue 5 twice, `<case>/library` (the public
// API) and `<case>/raw` (hand-written sqlite3 C API code, raw.h), on the
// identical schema, in one run. docs/PERFORMANCE.md says how to run it and
// what it measured; tests/bench/ratios.py turns the JSON output into the
// table of ratios.
//
// Only the work itself is timed. Copying a fresh database into place,
// opening it (except in open_existing) and closing it happen with the timer
// paused, for both variants alike. Each case checks once, outside the
// timing, that both variants did the same thing (the same rows written, the
// same totals) and fails the run loudly if not: a fast wrong baseline would
// make every ratio meaningless.
#include <atomic>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <layoffs/layoffs.h>

#if LAYOFFS_BENCH_HAVE_IO
#include "import.h"
#endif
#if LAYOFFS_BENCH_HAVE_REPORT
#include "report.h"
#endif

#include "bench_data.h"
#include "bench_support.h"
#include "raw.h"

namespace bench {
namespace {

using Inclusions = RawQueries::Inclusions;

// How the raw query code finds the events in inclusions, per case: the faster
// of the two exact strategies as measured at full size (docs/PERFORMANCE.md).
// LAYOFFS_BENCH_RAW_ALTERNATIVES=1 also registers both as <case>/raw_per_row
// and <case>/raw_preload, to re-check the choice.
// The raw query code keeps who-includes-whom and a bit set across calls,
// stamped like the library's (Inclusions::cached). LAYOFFS_BENCH_RAW_ALTERNATIVES=1
// also registers the per-query strategies as <case>/raw_per_row and
// <case>/raw_preload.
constexpr Inclusions kRangeInclusions = Inclusions::cached;
constexpr Inclusions kMonthInclusions = Inclusions::cached;
constexpr Inclusions kCompanyInclusions = Inclusions::cached;

std::atomic<bool> g_failed{false};

// Variant results to compare, by case name.
std::mutex g_results_mutex;
std::map<std::string, std::map<std::string, std::string>> g_results;

// Records what `variant` of `case_name` produced; throws if another variant
// produced something else.
void agree(const std::string& case_name, const std::string& variant, const std::string& result) {
  std::lock_guard lock(g_results_mutex);
  auto& seen = g_results[case_name];
  for (const auto& [other, other_result] : seen) {
    if (other_result != result) {
      throw std::runtime_error(case_name + ": " + variant + " and " + other + " disagree:\n  " +
                               variant + ": " + result + "\n  " + other + ": " + other_result);
    }
  }
  seen.emplace(variant, result);
}

std::string describe(const layoffs::Total& t) {
  std::ostringstream out;
  out << "[" << t.low << "," << (t.high ? std::to_string(*t.high) : "inf") << "] est " << t.estimate
      << " selected " << t.selected_events << " counted " << t.counted_events << " unknown "
      << t.unknown_events << " inside " << t.inside_events << " superseded " << t.superseded_events
      << " retracted " << t.retracted_events << (t.approximate ? " approx" : "");
  return out.str();
}

std::string describe(const std::vector<layoffs::GroupTotal>& groups) {
  std::string out = std::to_string(groups.size()) + " groups;";
  for (const auto& g : groups) {
    out += " " + g.label + "#" + std::to_string(g.key) + " " + describe(g.total) + ";";
  }
  return out;
}

// Wraps a case so that an exception fails it (and the run) with a message
// instead of terminating the process without one.
std::function<void(benchmark::State&)> guarded(const std::string& name,
                                               std::function<void(benchmark::State&)> body) {
  return [name, body = std::move(body)](benchmark::State& state) {
    try {
      body(state);
    } catch (const std::exception& e) {
      std::cerr << "layoffs_bench: FAILED " << name << ": " << e.what() << "\n";
      g_failed = true;
      state.SkipWithError(e.what());
    }
  };
}

// ---- record_batch, record_single ----------------------------------------

const std::vector<layoffs::NewEvent>& batch_events() {
  static const auto events =
      record_events(Sizes::get().batch_events, 1001, "https://news.example.com/batch/");
  return events;
}

const std::vector<layoffs::NewEvent>& single_events() {
  static const auto events =
      record_events(Sizes::get().single_events, 2002, "https://news.example.com/single/");
  return events;
}

// Runs `write(path)` timed on a fresh copy of the record template, once per
// iteration; the first iteration's result is compared across variants.
void run_write_case(benchmark::State& state, const std::string& case_name,
                    const std::string& variant, std::size_t events,
                    const std::function<void(const std::string&, benchmark::State&)>& write) {
  const std::string path = work_dir() + "/" + case_name + "-" + variant + ".db";
  bool checked = false;
  for (auto _ : state) {
    state.PauseTiming();
    copy_file(record_template(), path);
    write(path, state);  // resumes and pauses the timer around the work
    if (!checked) {
      agree(case_name, variant, fingerprint(path));
      checked = true;
    }
    state.ResumeTiming();
  }
  remove_db(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(events));
}

void record_batch_library(benchmark::State& state) {
  const auto& events = batch_events();
  const auto batch = static_cast<std::size_t>(Sizes::get().batch_size);
  run_write_case(state, "record_batch", "library", events.size(),
                 [&](const std::string& path, benchmark::State& st) {
                   auto tracker = layoffs::Tracker::open(path);
                   const std::span<const layoffs::NewEvent> all(events);
                   st.ResumeTiming();
                   for (std::size_t i = 0; i < all.size(); i += batch) {
                     tracker.record_batch(all.subspan(i, std::min(batch, all.size() - i)));
                   }
                   st.PauseTiming();
                 });
}

void record_batch_raw(benchmark::State& state) {
  const auto& events = batch_events();
  const auto batch = static_cast<std::size_t>(Sizes::get().batch_size);
  run_write_case(state, "record_batch", "raw", events.size(),
                 [&](const std::string& path, benchmark::State& st) {
                   RawDb db(path, SQLITE_OPEN_READWRITE);
                   db.configure_like_library();
                   st.ResumeTiming();
                   RawEventWriter writer(db.get());  // prepares: timed, as the library's are
                   for (std::size_t i = 0; i < events.size(); i += batch) {
                     writer.begin();
                     for (std::size_t j = i; j < std::min(i + batch, events.size()); ++j) {
                       writer.write(events[j]);
                     }
                     writer.commit();
                   }
                   st.PauseTiming();
                 });
}

void record_single_library(benchmark::State& state) {
  const auto& events = single_events();
  run_write_case(state, "record_single", "library", events.size(),
                 [&](const std::string& path, benchmark::State& st) {
                   auto tracker = layoffs::Tracker::open(path);
                   st.ResumeTiming();
                   for (const auto& e : events) {
                     tracker.record(e);
                   }
                   st.PauseTiming();
                 });
}

void record_single_raw(benchmark::State& state) {
  const auto& events = single_events();
  run_write_case(state, "record_single", "raw", events.size(),
                 [&](const std::string& path, benchmark::State& st) {
                   RawDb db(path, SQLITE_OPEN_READWRITE);
                   db.configure_like_library();
                   st.ResumeTiming();
                   RawEventWriter writer(db.get());
                   for (const auto& e : events) {
                     writer.begin();
                     writer.write(e);
                     writer.commit();
                   }
                   st.PauseTiming();
                 });
}

// ---- the query cases --------------------------------------------------

struct RangeQuery {
  layoffs::Filter filter;
  std::string from, to;
};

RangeQuery range_query() {
  const QueryDb& q = query_db();
  RangeQuery r;
  r.filter.company = q.big_root;
  r.filter.from = layoffs::Date::ymd(q.query_year, 1, 1);
  r.filter.to = layoffs::Date::ymd(q.query_year, 12, 31);
  r.from = r.filter.from->iso();
  r.to = r.filter.to->iso();
  return r;
}

layoffs::Filter month_filter() {
  layoffs::Filter f;
  f.company = query_db().big_root;
  return f;
}

// The library's answers, computed once and compared with every raw strategy.
void check_raw_queries(RawQueries& raw) {
  static std::once_flag once;
  std::call_once(once, [&] {
    const QueryDb& q = query_db();
    auto tracker = layoffs::Tracker::open(q.path);
    const RangeQuery r = range_query();
    const std::int64_t root = q.big_root.value();
    agree("total_company_range", "library", describe(tracker.total(r.filter)));
    agree("totals_by_month", "library",
          describe(tracker.totals_by(layoffs::Grouping::month, month_filter())));
    agree("totals_by_company", "library",
          describe(tracker.totals_by(layoffs::Grouping::top_company)));
    for (const auto how : {Inclusions::per_row, Inclusions::preload, Inclusions::cached}) {
      const std::string variant = how == Inclusions::per_row   ? "raw_per_row"
                                  : how == Inclusions::preload ? "raw_preload"
                                                               : "raw_cached";
      agree("total_company_range", variant,
            describe(raw.total_company_range(root, r.from.c_str(), r.to.c_str(), how)));
      agree("totals_by_month", variant, describe(raw.totals_by_month(root, how)));
      agree("totals_by_company", variant, describe(raw.totals_by_top_company(how)));
    }
    const layoffs::Total t = tracker.total(r.filter);
    std::cerr << "layoffs_bench: verified raw == library on " << q.path
              << " (total_company_range: " << t.counted_events << " events counted, "
              << t.inside_events << " inside)\n";
  });
}

// Runs `query(raw)` in the timed loop on a raw connection to the query db.
template <class Query>
void run_raw_query(benchmark::State& state, Query&& query) {
  RawDb db(query_db().path, SQLITE_OPEN_READWRITE);
  db.configure_like_library();
  RawQueries raw(db.get());
  check_raw_queries(raw);
  for (auto _ : state) {
    auto result = query(raw);
    benchmark::DoNotOptimize(result);
  }
}

template <class Query>
void run_library_query(benchmark::State& state, Query&& query) {
  auto tracker = layoffs::Tracker::open(query_db().path);
  for (auto _ : state) {
    auto result = query(tracker);
    benchmark::DoNotOptimize(result);
  }
}

void total_company_range_library(benchmark::State& state) {
  const RangeQuery r = range_query();
  run_library_query(state, [&](layoffs::Tracker& t) { return t.total(r.filter); });
}

void total_company_range_raw(benchmark::State& state, Inclusions how) {
  const RangeQuery r = range_query();
  const std::int64_t root = query_db().big_root.value();
  run_raw_query(state, [&](RawQueries& raw) {
    return raw.total_company_range(root, r.from.c_str(), r.to.c_str(), how);
  });
}

void totals_by_month_library(benchmark::State& state) {
  const layoffs::Filter f = month_filter();
  run_library_query(state,
                    [&](layoffs::Tracker& t) { return t.totals_by(layoffs::Grouping::month, f); });
}

void totals_by_month_raw(benchmark::State& state, Inclusions how) {
  const std::int64_t root = query_db().big_root.value();
  run_raw_query(state, [&](RawQueries& raw) { return raw.totals_by_month(root, how); });
}

void totals_by_company_library(benchmark::State& state) {
  run_library_query(
      state, [&](layoffs::Tracker& t) { return t.totals_by(layoffs::Grouping::top_company); });
}

void totals_by_company_raw(benchmark::State& state, Inclusions how) {
  run_raw_query(state, [&](RawQueries& raw) { return raw.totals_by_top_company(how); });
}

// ---- import_csv -------------------------------------------------------

#if LAYOFFS_BENCH_HAVE_IO
void import_csv_library(benchmark::State& state) {
  const std::string& csv = import_csv();
  const std::string path = work_dir() + "/import-library.db";
  const std::int64_t rows = Sizes::get().csv_rows;
  bool checked = false;
  for (auto _ : state) {
    state.PauseTiming();
    copy_file(empty_template(), path);
    layoffs::io::ImportSummary summary;
    {
      auto tracker = layoffs::Tracker::open(path);
      state.ResumeTiming();
      summary = layoffs::io::import_file(tracker, csv);
      state.PauseTiming();
    }
    if (summary.imported != rows || summary.rejected != 0) {
      throw std::runtime_error("import_csv/library: " + layoffs::io::to_string(summary) +
                               ", expected " + std::to_string(rows) + " imported");
    }
    if (!checked) {
      agree("import_csv", "library", fingerprint(path));
      checked = true;
    }
    remove_db(path);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * rows);
}

// An import of a file of a real size, end to end through io::import_file
// with --skip-bad (the real files have a bad row); the first iteration's
// database is compared with the other variant's.
void import_real_library(benchmark::State& state, const std::string& case_name,
                         const std::string& (*file)()) {
  const std::string& csv = file();
  const std::string path = work_dir() + "/" + case_name + "-library.db";
  bool checked = false;
  std::int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    copy_file(empty_template(), path);
    layoffs::io::ImportSummary summary;
    {
      auto tracker = layoffs::Tracker::open(path);
      layoffs::io::ImportOptions options;
      options.skip_bad = true;
      state.ResumeTiming();
      summary = layoffs::io::import_file(tracker, csv, options);
      state.PauseTiming();
    }
    rows = summary.rows_read;
    if (!checked) {
      agree(case_name, "library", fingerprint(path));
      std::cerr << "layoffs_bench: " << case_name << "/library: " << layoffs::io::to_string(summary)
                << "\n";
      checked = true;
    }
    remove_db(path);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * rows);
}
#endif

// import_csv/raw_normalized and import_real_fyi/raw_normalized: the same
// file into the same schema by hand-written code (raw_import.cpp).
void import_normalized_raw(benchmark::State& state, const std::string& case_name,
                           const std::string& (*file)(), std::int64_t expect_imported) {
  const std::string& csv = file();
  const std::string path = work_dir() + "/" + case_name + "-raw.db";
  bool checked = false;
  std::int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    copy_file(empty_template(), path);
    RawImportSummary summary;
    {
      RawDb db(path, SQLITE_OPEN_READWRITE);
      db.configure_like_library();
      state.ResumeTiming();
      summary = raw_import_normalized(db.get(), csv);
      state.PauseTiming();
    }
    rows = summary.rows_read;
    if (expect_imported >= 0 && summary.imported != expect_imported) {
      throw std::runtime_error(case_name + "/raw_normalized: imported " +
                               std::to_string(summary.imported) + ", expected " +
                               std::to_string(expect_imported));
    }
    if (!checked) {
      agree(case_name, "raw_normalized", fingerprint(path));
      checked = true;
    }
    remove_db(path);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * rows);
}

void import_csv_raw(benchmark::State& state) {
  const std::string& csv = import_csv();
  const std::string path = work_dir() + "/import-raw.db";
  const std::int64_t rows = Sizes::get().csv_rows;
  for (auto _ : state) {
    state.PauseTiming();
    copy_file(empty_template(), path);
    std::int64_t loaded = 0;
    {
      RawDb db(path, SQLITE_OPEN_READWRITE);
      db.configure_like_library();
      create_flat_table(db.get());
      state.ResumeTiming();
      loaded = raw_import_csv(db.get(), csv);
      state.PauseTiming();
    }
    if (loaded != rows) {
      throw std::runtime_error("import_csv/raw: loaded " + std::to_string(loaded) +
                               " rows, expected " + std::to_string(rows));
    }
    remove_db(path);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * rows);
}

// ---- report -----------------------------------------------------------
//
// The HTML report of every company (issue 11): report/library is what
// `layoffs report` does, lib/report's collect() and render_html();
// report/queries runs the same Tracker calls that collect() makes, by hand,
// and nothing else. Their ratio is what the report adds to its queries
// (target 1.5). The results are compared once, so the two stay the same
// work.

#if LAYOFFS_BENCH_HAVE_REPORT
struct ReportQueries {
  layoffs::Total total;
  std::vector<layoffs::GroupTotal> companies, periods, industries, countries, states;
  layoffs::Total filings;
  std::vector<std::vector<layoffs::GroupTotal>> stack;
  std::vector<layoffs::Reconciliation> claims;
  std::vector<layoffs::Coverage> coverage;
  std::int64_t count = 0;
  std::vector<layoffs::Event> events;
};

// What collect() asks the library for a report of all companies over the
// benchmark's ten years (quarterly columns, the 5 largest companies stacked,
// industries, countries, filings by state, the 100 largest events listed).
ReportQueries report_queries(const layoffs::Tracker& t) {
  const layoffs::Filter all;
  ReportQueries q;
  q.total = t.total(all);
  const auto first = t.events(all, layoffs::EventOrder::announced_asc, 1);
  const auto last = t.events(all, layoffs::EventOrder::announced_desc, 1);
  benchmark::DoNotOptimize(first);
  benchmark::DoNotOptimize(last);
  q.companies = t.totals_by(layoffs::Grouping::top_company, all);
  q.periods = t.totals_by(layoffs::Grouping::quarter, all, layoffs::Periods::all);
  for (std::size_t i = 0; i < std::min<std::size_t>(5, q.companies.size()); ++i) {
    if (q.companies[i].total.estimate <= 0) {
      break;
    }
    layoffs::Filter one;
    one.company = layoffs::CompanyId(q.companies[i].key);
    q.stack.push_back(t.totals_by(layoffs::Grouping::quarter, one, layoffs::Periods::all));
  }
  q.industries = t.totals_by(layoffs::Grouping::industry, all);
  q.countries = t.totals_by(layoffs::Grouping::country, all);
  layoffs::Filter filings;
  filings.kind = layoffs::EventKind::filing;
  q.filings = t.total(filings);
  q.states = t.totals_by(layoffs::Grouping::us_state, filings);
  q.claims = t.reconcile(all);
  layoffs::Filter any_filing;
  any_filing.kind = layoffs::EventKind::filing;
  if (t.count_events(any_filing) > 0) {
    q.coverage = t.coverage(all);
  }
  q.count = t.count_events(all);
  q.events =
      q.count <= 100 ? t.events(all) : t.events(all, layoffs::EventOrder::headcount_desc, 100);
  return q;
}

void check_report_agrees(const layoffs::Tracker& t) {
  static std::once_flag once;
  std::call_once(once, [&] {
    const layoffs::report::ReportData d = layoffs::report::collect(t, {});
    const ReportQueries q = report_queries(t);
    if (d.granularity != "quarter") {
      throw std::runtime_error("report: expected quarterly columns, got " + d.granularity);
    }
    std::string from_report =
        describe(d.total) + " | " + describe(d.timeline_groups) + " | " +
        std::to_string(d.companies.size()) + " companies, " + std::to_string(d.industries.size()) +
        " industries, " + std::to_string(d.countries.size()) + " countries | " +
        describe(d.filings) + " | " + std::to_string(d.timeline.series.size()) + " series | " +
        std::to_string(d.event_count) + " events, " + std::to_string(d.events.size()) +
        " listed, " + std::to_string(d.coverage.size()) + " announcements";
    const bool others = d.timeline.series.size() > q.stack.size();
    std::string by_hand =
        describe(q.total) + " | " + describe(q.periods) + " | " +
        std::to_string(q.companies.size()) + " companies, " + std::to_string(q.industries.size()) +
        " industries, " + std::to_string(q.countries.size()) + " countries | " +
        describe(q.filings) + " | " + std::to_string(q.stack.size() + (others ? 1 : 0)) +
        " series | " + std::to_string(q.count) + " events, " + std::to_string(q.events.size()) +
        " listed, " + std::to_string(q.coverage.size()) + " announcements";
    agree("report", "library", from_report);
    agree("report", "queries", by_hand);
  });
}

void report_library(benchmark::State& state) {
  auto tracker = layoffs::Tracker::open(query_db().path);
  check_report_agrees(tracker);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string html = layoffs::report::render_html(layoffs::report::collect(tracker, {}));
    bytes = html.size();
    benchmark::DoNotOptimize(html);
  }
  state.counters["html_bytes"] = static_cast<double>(bytes);
}

void report_queries_case(benchmark::State& state) {
  auto tracker = layoffs::Tracker::open(query_db().path);
  check_report_agrees(tracker);
  for (auto _ : state) {
    auto q = report_queries(tracker);
    benchmark::DoNotOptimize(q);
  }
}
#endif

// ---- open_existing ----------------------------------------------------

const std::string& open_path() {
  static const std::string path = [] {
    const std::string p = work_dir() + "/open-existing.db";
    copy_file(record_template(), p);
    return p;
  }();
  return path;
}

void open_existing_library(benchmark::State& state) {
  const std::string& path = open_path();
  for (auto _ : state) {
    auto tracker = layoffs::Tracker::open(path);
    benchmark::DoNotOptimize(tracker);
  }  // the destructor closes the file: timed, as sqlite3_close is in raw
  agree("open_existing", "library", std::to_string(layoffs::Tracker::open(path).schema_version()));
}

void open_existing_raw(benchmark::State& state) {
  const std::string& path = open_path();
  const int latest = layoffs::Tracker::latest_schema_version();
  std::int64_t version = 0;
  for (auto _ : state) {
    RawDb db(path, SQLITE_OPEN_READWRITE);
    db.configure_like_library();
    version = db.query_int("PRAGMA user_version");
    if (version != latest) {
      throw std::runtime_error("open_existing/raw: schema version " + std::to_string(version));
    }
  }
  agree("open_existing", "raw", std::to_string(version));
}

// ---- registration -----------------------------------------------------

void add(const std::string& name, std::function<void(benchmark::State&)> body,
         benchmark::TimeUnit unit) {
  benchmark::RegisterBenchmark(name.c_str(), guarded(name, std::move(body)))
      ->Unit(unit)
      ->UseRealTime();  // wall clock: writes wait on I/O, which is part of the cost
}

void register_cases() {
  const bool alternatives = [] {
    const char* v = std::getenv("LAYOFFS_BENCH_RAW_ALTERNATIVES");
    return v != nullptr && std::string(v) == "1";
  }();
  using benchmark::kMicrosecond;
  using benchmark::kMillisecond;
  add("record_batch/library", record_batch_library, kMillisecond);
  add("record_batch/raw", record_batch_raw, kMillisecond);
  add("record_single/library", record_single_library, kMillisecond);
  add("record_single/raw", record_single_raw, kMillisecond);

  const auto query = [&](const std::string& name, auto library, auto raw, Inclusions chosen) {
    add(name + "/library", library, kMicrosecond);
    add(
        name + "/raw", [raw, chosen](benchmark::State& s) { raw(s, chosen); }, kMicrosecond);
    if (alternatives) {
      add(
          name + "/raw_per_row", [raw](benchmark::State& s) { raw(s, Inclusions::per_row); },
          kMicrosecond);
      add(
          name + "/raw_preload", [raw](benchmark::State& s) { raw(s, Inclusions::preload); },
          kMicrosecond);
    }
  };
  query("total_company_range", total_company_range_library, total_company_range_raw,
        kRangeInclusions);
  query("totals_by_month", totals_by_month_library, totals_by_month_raw, kMonthInclusions);
  query("totals_by_company", totals_by_company_library, totals_by_company_raw, kCompanyInclusions);

#if LAYOFFS_BENCH_HAVE_IO
  add("import_csv/library", import_csv_library, kMillisecond);
  add(
      "import_csv/raw_normalized",
      [](benchmark::State& s) {
        import_normalized_raw(s, "import_csv", import_csv, Sizes::get().csv_rows);
      },
      kMillisecond);
  add("import_csv/raw", import_csv_raw, kMillisecond);
  add(
      "import_real_fyi/library",
      [](benchmark::State& s) { import_real_library(s, "import_real_fyi", real_fyi_csv); },
      kMillisecond);
  add(
      "import_real_fyi/raw_normalized",
      [](benchmark::State& s) { import_normalized_raw(s, "import_real_fyi", real_fyi_csv, -1); },
      kMillisecond);
  add(
      "import_real_warn/library",
      [](benchmark::State& s) { import_real_library(s, "import_real_warn", real_warn_csv); },
      kMillisecond);
#else
  (void)import_csv_raw;
  std::cerr << "layoffs_bench: import_csv skipped (built without LAYOFFS_BUILD_TOOLS)\n";
#endif
#if LAYOFFS_BENCH_HAVE_REPORT
  add("report/library", report_library, kMillisecond);
  add("report/queries", report_queries_case, kMillisecond);
#endif
  add("open_existing/library", open_existing_library, kMicrosecond);
  add("open_existing/raw", open_existing_raw, kMicrosecond);
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 2;
  }
  const bench::Sizes& s = bench::Sizes::get();
  benchmark::AddCustomContext("layoffs.events", std::to_string(s.events));
  benchmark::AddCustomContext("layoffs.companies", std::to_string(s.companies));
  benchmark::AddCustomContext("layoffs.batch_events", std::to_string(s.batch_events));
  benchmark::AddCustomContext("layoffs.batch_size", std::to_string(s.batch_size));
  benchmark::AddCustomContext("layoffs.batch_companies", std::to_string(s.batch_companies));
  benchmark::AddCustomContext("layoffs.single_events", std::to_string(s.single_events));
  benchmark::AddCustomContext("layoffs.csv_rows", std::to_string(s.csv_rows));
  benchmark::AddCustomContext("layoffs.real_fyi_rows", std::to_string(s.real_fyi_rows));
  benchmark::AddCustomContext("layoffs.real_warn_rows", std::to_string(s.real_warn_rows));
  benchmark::AddCustomContext("layoffs.data_dir", s.data_dir);
  benchmark::AddCustomContext("sqlite_version", sqlite3_libversion());
  bench::register_cases();
  const std::size_t ran = benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  bench::remove_work_dir();
  if (bench::g_failed) {
    std::cerr << "layoffs_bench: FAILED (see the messages above)\n";
    return 1;
  }
  if (ran == 0) {
    std::cerr << "layoffs_bench: no benchmark matched the filter\n";
    return 1;
  }
  return 0;
}
