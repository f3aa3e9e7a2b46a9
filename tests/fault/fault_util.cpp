// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "fault_util.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <typeinfo>

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "fault_hooks.h"

#include "test_scale.h"

namespace layoffs::fault {

namespace fs = std::filesystem;

namespace {

// The loops create and delete thousands of small files: on tmpfs that costs
// no disk I/O, so the loops take CPU time only. Elsewhere, the temp dir.
fs::path scratch_root() {
  std::error_code ec;
  const fs::path shm = "/dev/shm";
  if (fs::is_directory(shm, ec) && ::access(shm.c_str(), W_OK) == 0) {
    return shm;
  }
  return fs::temp_directory_path();
}

}  // namespace

TempDir::TempDir() {
  std::random_device rd;
  const fs::path root = scratch_root();
  for (;;) {
    path_ = root / ("layoffs-fault-" + std::to_string(rd()) + std::to_string(rd()));
    if (fs::create_directory(path_)) {
      break;
    }
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void remove_db(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(path + suffix, ec);
  }
}

void copy_db(const std::string& from, const std::string& to) {
  remove_db(to);
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  std::error_code ec;
  if (fs::exists(from + "-wal", ec)) {
    fs::copy_file(from + "-wal", to + "-wal", fs::copy_options::overwrite_existing);
  }
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

namespace {

// A plain connection, not the library's: what the tests compare must not
// depend on the code under test. It goes through the fault VFS too (it is
// the default), which is harmless while nothing is armed.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    rc_ = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  std::string error() const { return db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc_); }

  // Without a busy handler: a lock held elsewhere fails at once.
  bool exec(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  // Rows as '|'-joined columns; an error becomes a row "error: ...".
  std::vector<std::string> rows(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      return {"error: " + error() + " in " + sql};
    }
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* text = sqlite3_column_text(st, i);
        row += text ? reinterpret_cast<const char*>(text) : "NULL";
        row += '|';
      }
      out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
      out.push_back("error: " + error() + " in " + sql);
    }
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  int rc_ = SQLITE_OK;
};

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

std::string strip_bar(const std::string& row) {
  return row.empty() ? row : row.substr(0, row.size() - 1);
}

}  // namespace

namespace {

std::string dump_of(RawDb& db) {
  std::string out;
  for (const auto& v : db.rows("PRAGMA user_version")) {
    out += "user_version " + v + "\n";
  }
  for (const auto& v : db.rows("PRAGMA application_id")) {
    out += "application_id " + v + "\n";
  }
  for (const auto& v :
       db.rows("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY 1, 2")) {
    out += "schema " + v + "\n";
  }
  for (const auto& row :
       db.rows("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
    const std::string table = strip_bar(row);
    std::string select;
    std::string order;
    int n = 0;
    for (const auto& column :
         db.rows("SELECT name FROM pragma_table_info(" + quoted(table) + ")")) {
      const std::string name = strip_bar(column);
      if (n > 0) {
        select += ", ";
        order += ", ";
      }
      ++n;
      // Filled from the clock: a rerun of the same writes differs only here.
      const bool clock = name == "created_at" || name == "updated_at" || name == "applied_at";
      select += clock ? "'<time>'" : quoted(name);
      order += std::to_string(n);
    }
    out += "table " + table + "\n";
    for (const auto& r :
         db.rows("SELECT " + select + " FROM " + quoted(table) + " ORDER BY " + order)) {
      out += "  " + r + "\n";
    }
  }
  return out;
}

std::string integrity_of(RawDb& db) {
  std::string out;
  const auto check = db.rows("PRAGMA integrity_check");
  if (check != std::vector<std::string>{"ok|"}) {
    for (const auto& r : check) {
      out += r + "\n";
    }
  }
  for (const auto& r : db.rows("PRAGMA foreign_key_check")) {
    out += "foreign key: " + r + "\n";
  }
  return out.empty() ? "ok" : out;
}

}  // namespace

std::string logical_dump(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return "<absent>";
  }
  RawDb db(path);
  if (!db.ok()) {
    return "<cannot open: " + db.error() + ">";
  }
  return dump_of(db);
}

std::string integrity(const std::string& path) {
  RawDb db(path);
  if (!db.ok()) {
    return "cannot open: " + db.error();
  }
  return integrity_of(db);
}

FileState inspect(const std::string& path) {
  FileState st;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    st.dump = "<absent>";
    st.integrity = "<absent>";
    return st;
  }
  RawDb db(path);
  if (!db.ok()) {
    st.dump = st.integrity = "<cannot open: " + db.error() + ">";
    return st;
  }
  st.dump = dump_of(db);
  st.integrity = integrity_of(db);
  const auto count = db.rows("SELECT count(*) FROM layoff_event");
  if (count.size() == 1 && count[0].rfind("error", 0) != 0) {
    st.events = std::stoll(count[0]);
  }
  st.can_write = db.exec("BEGIN IMMEDIATE") && db.exec("ROLLBACK");
  return st;
}

std::string state_diff(const std::string& expected, const std::string& actual) {
  if (expected == actual) {
    return {};
  }
  const auto lines = [](const std::string& text) {
    std::multiset<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      out.insert(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
      start = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
  };
  const auto want = lines(expected);
  const auto got = lines(actual);
  std::vector<std::string> missing, extra;
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                      std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
  std::string out;
  for (const auto& l : missing) {
    out += "- " + l.substr(0, 200) + "\n";
  }
  for (const auto& l : extra) {
    out += "+ " + l.substr(0, 200) + "\n";
  }
  return out.empty() ? "(same lines, different order)\n" : out;
}

bool raw_can_write(const std::string& path) {
  RawDb db(path);
  if (!db.ok() || !db.exec("BEGIN IMMEDIATE")) {
    return false;
  }
  return db.exec("ROLLBACK");
}

bool raw_exec(const std::string& path, const std::string& sql) {
  RawDb db(path);
  return db.ok() && db.exec(sql.c_str());
}

std::int64_t raw_int(const std::string& path, const std::string& sql) {
  RawDb db(path);
  const auto rows = db.rows(sql);
  if (rows.size() != 1 || rows[0].rfind("error", 0) == 0) {
    ADD_FAILURE() << "raw query " << sql << " on " << path << " gave "
                  << (rows.empty() ? "no row" : rows[0]);
    return -1;
  }
  return std::stoll(rows[0]);
}

// ---- Sample data -----------------------------------------------------------

Baseline make_baseline(const std::string& path) {
  remove_db(path);
  Baseline b;
  b.path = path;
  {
    Tracker t = Tracker::open(path);
    b.acme = t.add_company({.name = "Acme", .aliases = {"Acme Corp"}, .country = "United States"});
    b.acme_cloud = t.add_company({.name = "Acme Cloud", .parent = b.acme});
    b.globex = t.add_company({.name = "Globex", .industry = "Energy"});
    b.acme_nov = t.record({.company = b.acme,
                           .announced_on = Date::parse("2022-11-16"),
                           .headcount = Headcount::parse("about 10,000"),
                           .departments = {"Engineering", "Devices"},
                           .reasons = {{"cost cutting", ReasonCategory::cost_cutting}},
                           .sources = {{.url = "https://example.com/acme-nov",
                                        .title = "Acme to cut 10,000",
                                        .tier = SourceTier::media_report}}});
    b.cloud_march = t.record({.company = b.acme_cloud,
                              .announced_on = Date::parse("2023-03-20"),
                              .headcount = Headcount::parse("several hundred"),
                              .sources = {{.url = "https://example.com/cloud-march"}}});
    b.globex_may = t.record({.company = b.globex,
                             .announced_on = Date::parse("2023-05"),
                             .headcount = Headcount::exact(120),
                             .workforce_pct = 5.0,
                             .locations = {"Springfield"},
                             .key = "globex-2023-05"});
  }
  b.dump = logical_dump(path);
  return b;
}

std::string make_crash_snapshot(const Baseline& b, const std::string& path) {
  const std::string live = path + ".live";
  copy_db(b.path, live);
  {
    Tracker t = Tracker::open(live);
    t.record(rich_event(b));
    // Copied while the writer is open: the file without the write, the WAL
    // with it, and no -shm, as if the process had been killed here.
    remove_db(path);
    fs::copy_file(live, path);
    fs::copy_file(live + "-wal", path + "-wal");
  }
  remove_db(live);
  return path;
}

NewEvent rich_event(const Baseline& b) {
  return {.company = b.acme,
          .announced_on = Date::parse("2023-01-04"),
          .effective_on = Date::parse("2023-01-18"),
          .headcount = Headcount::parse("just over 18,000"),
          .workforce_pct = 1.2,
          .departments = {"Engineering", "Human Resources"},
          .reasons = {{"restructuring", ReasonCategory::restructuring},
                      {"cost cutting", ReasonCategory::cost_cutting}},
          .sources = {{.url = "https://example.com/acme-jan",
                       .title = "Acme cuts 18,000",
                       .publisher = "Example News",
                       .published_on = Date::parse("2023-01-05"),
                       .tier = SourceTier::company_statement},
                      {.url = "https://example.com/acme-nov"}},
          .locations = {"Seattle", "Remote"},
          .country = "United States",
          .notes = "includes the November cuts",
          .includes = {b.acme_nov}};
}

std::vector<NewEvent> batch_events(const Baseline& b) {
  return {
      {.company = b.globex,
       .announced_on = Date::parse("2023-06-10"),
       .headcount = Headcount::parse("a few hundred"),
       .departments = {"Sales"},
       .sources = {{.url = "https://example.com/globex-june"}}},
      {.company = b.acme_cloud,
       .announced_on = Date::parse("2023-04-01"),
       .headcount = Headcount::parse("40-60"),
       .reasons = {{"automation", ReasonCategory::automation}}},
      {.company = b.acme,
       .announced_on = Date::parse("2023-04-02"),
       .headcount = Headcount::parse("about 9,000"),
       .departments = {"Engineering"},
       .includes = {b.cloud_march}},
      {.company = b.globex,
       .announced_on = Date::parse("2023-07"),
       .headcount = Headcount::unknown(),
       .key = "globex-2023-07"},
  };
}

NewEvent follow_up_event(const Baseline& b, int i) {
  return {.company = b.globex,
          .announced_on = Date::ymd(2021, 1, static_cast<unsigned>(1 + i % 28)),
          .headcount = Headcount::exact(1000 + i),
          .key = "follow-up-" + std::to_string(i)};
}

std::string layoffsfyi_csv(bool with_bad_row) {
  std::string csv =
      "company,location,industry,total_laid_off,percentage_laid_off,date,stage,country,"
      "funds_raised_millions\n"
      "Initech,Austin,Software,120,0.1,1/10/2023,Series B,United States,40\n"
      "Hooli,Palo Alto,Consumer,500,,2/1/2023,Post-IPO,United States,\n"
      "Acme,Seattle,Retail,300,0.02,2/15/2023,Post-IPO,United States,\n"
      "Initech,Austin,Software,120,0.1,1/10/2023,Series B,United States,40\n";
  if (with_bad_row) {
    csv += "Bad Date,Nowhere,Other,10,,2/30/2023,,United States,\n";
  }
  csv +=
      "Pied Piper,Palo Alto,Infrastructure,,0.5,3/1/2023,Seed,United States,5\n"
      "Hooli,Palo Alto,Consumer,250,,4/1/2023,Post-IPO,United States,\n";
  return csv;
}

std::string catching_transaction(Tracker& t, const Baseline& b) {
  const NewEvent events[] = {rich_event(b), batch_events(b)[0], follow_up_event(b, 3)};
  std::string succeeded;
  t.transaction([&] {
    for (const NewEvent& e : events) {
      try {
        t.record(e);
        succeeded += '1';
      } catch (const Error&) {
        succeeded += '0';
      }
    }
  });
  return succeeded;
}

ExpectedState catching_transaction_states(const Baseline& b, const std::string& work_dir) {
  auto cache = std::make_shared<std::map<std::string, std::string>>();
  return [&b, work_dir, cache](const std::string& result) {
    auto it = cache->find(result);
    if (it == cache->end()) {
      const NewEvent events[] = {rich_event(b), batch_events(b)[0], follow_up_event(b, 3)};
      const std::string scratch = work_dir + "/expected.db";
      copy_db(b.path, scratch);
      {
        Tracker t = Tracker::open(scratch);
        t.transaction([&] {
          for (std::size_t i = 0; i < result.size() && i < std::size(events); ++i) {
            if (result[i] == '1') {
              t.record(events[i]);
            }
          }
        });
      }
      it = cache->emplace(result, logical_dump(scratch)).first;
      remove_db(scratch);
    }
    return it->second;
  };
}

// ---- The loop ----------------------------------------------------------------

std::string LoopStats::to_string() const {
  std::string s = operation + " x " + injector + ": ";
  if (runs == 0) {
    return s + "no calls to fail (" + std::to_string(calls) + " calls)";
  }
  s += "N=" + std::to_string(first) + ".." + std::to_string(last);
  if (step != 1) {
    s += " step " + std::to_string(step);
  }
  s += " of " + std::to_string(calls) + " calls; " + std::to_string(runs) + " runs, " +
       std::to_string(injected_runs) + " injected, " + std::to_string(failed) + " threw";
  if (!codes.empty()) {
    s += " (";
    bool first_code = true;
    for (const auto& [code, n] : codes) {
      s += (first_code ? "" : ", ") + std::string(layoffs::to_string(code)) + " " +
           std::to_string(n);
      first_code = false;
    }
    s += ")";
  }
  s += ", " + std::to_string(completed) + " completed";
  if (follow_up_failed > 0) {
    s += ", follow-up write failed " + std::to_string(follow_up_failed);
  }
  if (lock_kept > 0) {
    s += ", write lock kept until the next call " + std::to_string(lock_kept);
  }
  if (!note.empty()) {
    s += "; " + note;
  }
  return s;
}

void report(const LoopStats& stats) {
  std::printf("[ fault    ] %s\n", stats.to_string().c_str());
  std::fflush(stdout);
}

namespace {

// One bug usually fails every later run the same way: after five failing
// runs a loop stops, so the report stays readable.
class FailureBudget {
 public:
  FailureBudget() : parts_(parts()) {}
  // Call at the top of each run: true when the loop should stop.
  bool exhausted() {
    const int now = parts();
    if (now > parts_) {
      parts_ = now;
      if (++failing_runs_ >= 5) {
        std::printf("[ fault    ] five runs failed; the rest of this loop is skipped\n");
        return true;
      }
    }
    return false;
  }

 private:
  static int parts() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count();
  }
  int parts_;
  int failing_runs_ = 0;
};

// Runs the operation with a fault armed; the exception, if any, must be a
// layoffs::Error. Returns the result fingerprint, or nullopt if it threw.
std::optional<std::string> run_armed(const Operation& operation, Tracker& t,
                                     const Injector& injector, std::int64_t n,
                                     std::optional<ErrorCode>& code) {
  code.reset();
  injector.arm(n);
  try {
    std::string result = operation(t);
    injector.disarm();
    return result;
  } catch (const Error& e) {
    injector.disarm();
    code = e.code();
  } catch (const std::exception& e) {
    injector.disarm();
    ADD_FAILURE() << "an exception other than layoffs::Error escaped: " << typeid(e).name() << ": "
                  << e.what();
  } catch (...) {
    injector.disarm();
    ADD_FAILURE() << "a non-standard exception escaped";
  }
  return std::nullopt;
}

}  // namespace

std::string loop_db(const std::string& work_dir) {
  return work_dir + "/work.db";
}

std::string open_loop_db(const std::string& work_dir) {
  return work_dir + "/open.db";
}

std::string close_loop_db(const std::string& work_dir) {
  return work_dir + "/close.db";
}

Options loop_options;
bool loop_lock_kept_until_next_call = false;

LoopStats run_loop(const Baseline& baseline, const std::string& work_dir,
                   const std::string& operation_name, const Operation& operation,
                   const Injector& injector, int max_runs, bool check_leaks,
                   const ExpectedState& expected) {
  LoopStats s;
  s.operation = operation_name;
  s.injector = injector.name;
  const std::string work = loop_db(work_dir);

  // The fault-free run: how many calls there are to fail, and what the
  // operation gives and leaves behind when nothing fails.
  std::string after;
  std::string reference;
  copy_db(baseline.path, work);
  {
    Tracker t = Tracker::open(work, loop_options);
    injector.arm(0);
    reference = operation(t);
    injector.disarm();
    s.calls = injector.calls();
    after = logical_dump(work);
  }
  remove_db(work);
  if (s.calls == 0) {
    return s;
  }
  s.first = 1;
  max_runs = test_scale::count(max_runs);  // sampled unless LAYOFFS_TEST_FULL
  s.step = std::max<std::int64_t>(1, (s.calls + max_runs - 1) / max_runs);

  FailureBudget budget;
  for (std::int64_t n = 1; n <= s.calls; n += s.step) {
    if (budget.exhausted()) {
      break;
    }
    SCOPED_TRACE(operation_name + " x " + injector.name + ", n = " + std::to_string(n));
    s.last = n;
    ++s.runs;
    copy_db(baseline.path, work);
    const std::int64_t live_before = live_allocations();
    std::int64_t events_after_follow_up = -1;
    {
      std::optional<Tracker> t(Tracker::open(work, loop_options));
      std::optional<ErrorCode> code;
      const std::optional<std::string> result = run_armed(operation, *t, injector, n, code);
      if (injector.injected() > 0) {
        ++s.injected_runs;
      }
      if (code) {
        ++s.failed;
        ++s.codes[*code];
      } else if (result) {
        ++s.completed;
      }

      // All or nothing, on disk, and sound.
      const FileState now = inspect(work);
      if (result && expected) {
        EXPECT_EQ(state_diff(expected(*result), now.dump), "")
            << "the operation completed with " << *result << " but the file holds something else";
      } else if (result) {
        EXPECT_EQ(state_diff(after, now.dump), "")
            << "the operation completed but the file holds something else";
        EXPECT_EQ(*result, reference);
      } else {
        EXPECT_EQ(state_diff(baseline.dump, now.dump), "") << "a failed operation changed the file";
      }
      EXPECT_EQ(now.integrity, "ok");
      // Not left inside a transaction: another connection gets the write
      // lock at once (see loop_lock_kept_until_next_call for the exception).
      if (!loop_lock_kept_until_next_call || !code || *code != ErrorCode::out_of_memory) {
        EXPECT_TRUE(now.can_write) << "the Tracker still holds the write lock";
      } else if (!now.can_write) {
        ++s.lock_kept;
      }
      events_after_follow_up = now.events + 1;
      // Another connection commits a company: a Tracker left inside a read
      // transaction would go on reading its old snapshot and miss it.
      const bool other_wrote =
          now.can_write &&
          raw_exec(work,
                   "INSERT INTO company (name, name_key) VALUES ('Other Writer', 'other writer')");
      EXPECT_TRUE(other_wrote || !now.can_write) << "another connection could not write";

      // The same Tracker reads what is on disk and writes again. A failed
      // follow-up is tolerated ("fails cleanly") if the next attempt works;
      // a Tracker whose fault-free writes keep failing is stuck.
      int attempts_failed = 0;
      std::string last_error;
      for (int attempt = 0; attempt < 2; ++attempt) {
        try {
          EXPECT_EQ(t->count_events(), now.events) << "the Tracker reads something not on disk";
          if (other_wrote) {
            EXPECT_TRUE(t->find_company("Other Writer").has_value())
                << "the Tracker reads an old snapshot: it misses another connection's commit";
          }
          const EventId id = t->record(follow_up_event(baseline, 1));
          EXPECT_EQ(t->event(id).key, "follow-up-1");
          break;
        } catch (const Error& e) {
          ++attempts_failed;
          last_error = e.what();
        } catch (const std::exception& e) {
          ADD_FAILURE() << "the follow-up threw something other than layoffs::Error: " << e.what();
          break;
        }
      }
      if (attempts_failed > 0) {
        if (++s.follow_up_failed <= 3) {
          std::printf("[ fault    ] %s x %s n=%lld: follow-up write failed: %s\n",
                      operation_name.c_str(), injector.name.c_str(), static_cast<long long>(n),
                      last_error.c_str());
        }
        EXPECT_LT(attempts_failed, 2)
            << "the Tracker is stuck: fault-free writes keep failing: " << last_error;
        t.reset();
        try {
          Tracker fresh = Tracker::open(work, loop_options);
          EXPECT_EQ(fresh.count_events(), now.events);
          fresh.record(follow_up_event(baseline, 1));
        } catch (const std::exception& e) {
          ADD_FAILURE() << "a freshly opened Tracker cannot write either: " << e.what();
        }
      }
    }
    // Closed (the WAL checkpointed into the file): the follow-up is there.
    const FileState closed = inspect(work);
    EXPECT_EQ(closed.integrity, "ok");
    EXPECT_EQ(closed.events, events_after_follow_up);
    remove_db(work);
    if (check_leaks) {
      EXPECT_EQ(live_allocations(), live_before) << "SQLite allocations leaked";
    }
  }
  return s;
}

namespace {

// Counts the outcome of one armed run in the report.
void tally(LoopStats& s, const Injector& injector, const std::optional<ErrorCode>& code,
           bool completed) {
  if (injector.injected() > 0) {
    ++s.injected_runs;
  }
  if (code) {
    ++s.failed;
    ++s.codes[*code];
  } else if (completed) {
    ++s.completed;
  }
}

// Opens and closes a Tracker with the fault armed.
bool open_armed(const std::string& path, const Injector& injector, std::int64_t n,
                std::optional<ErrorCode>& code) {
  code.reset();
  injector.arm(n);
  try {
    { Tracker t = Tracker::open(path); }
    injector.disarm();
    return true;
  } catch (const Error& e) {
    injector.disarm();
    code = e.code();
  } catch (const std::exception& e) {
    injector.disarm();
    ADD_FAILURE() << "an exception other than layoffs::Error escaped Tracker::open: "
                  << typeid(e).name() << ": " << e.what();
  } catch (...) {
    injector.disarm();
    ADD_FAILURE() << "a non-standard exception escaped Tracker::open";
  }
  return false;
}

// The user_version line logical_dump() starts with (0 if none).
int user_version_in(const std::string& dump) {
  static constexpr std::string_view kPrefix = "user_version ";
  if (dump.compare(0, kPrefix.size(), kPrefix) != 0) {
    return 0;
  }
  return std::atoi(dump.c_str() + kPrefix.size());
}

}  // namespace

LoopStats run_open_loop(const std::string& start, const std::string& work_dir,
                        const Injector& injector, int max_runs, bool check_leaks) {
  LoopStats s;
  std::error_code exists_ec;
  s.operation = start.empty() ? "open new file (migrate) + close"
                : fs::exists(start + "-wal", exists_ec)
                    ? "open after a crash (WAL recovery) + close"
                    : "open existing file + close";
  s.injector = injector.name;
  const std::string work = open_loop_db(work_dir);
  const auto prepare = [&] {
    remove_db(work);
    if (!start.empty()) {
      copy_db(start, work);
    }
  };
  // A new file the open gave up on may be absent, empty, or a WAL header
  // with no tables: logically all the same empty database.
  const std::string empty_file = work_dir + "/empty.db";
  remove_db(empty_file);
  write_text(empty_file, "");
  const std::string empty = logical_dump(empty_file);
  const auto state = [&] {
    const std::string d = logical_dump(work);
    return d == "<absent>" ? empty : d;
  };

  prepare();
  std::optional<ErrorCode> code;
  EXPECT_TRUE(open_armed(work, injector, 0, code));
  s.calls = injector.calls();
  const std::string after = state();
  // Read from a copy: opening `start` itself could recover and checkpoint
  // its WAL, and later copies would no longer start from it.
  std::string before = empty;
  if (!start.empty()) {
    prepare();
    before = logical_dump(work);
  }
  remove_db(work);
  s.first = 1;
  max_runs = test_scale::count(max_runs);  // sampled unless LAYOFFS_TEST_FULL
  s.step = std::max<std::int64_t>(1, (s.calls + max_runs - 1) / max_runs);

  std::map<int, std::string> states;  // by user_version
  FailureBudget budget;
  for (std::int64_t n = 1; n <= s.calls; n += s.step) {
    if (budget.exhausted()) {
      break;
    }
    SCOPED_TRACE(s.operation + " x " + injector.name + ", n = " + std::to_string(n));
    s.last = n;
    ++s.runs;
    prepare();
    const std::int64_t live_before = live_allocations();
    const bool completed = open_armed(work, injector, n, code);
    tally(s, injector, code, completed);

    const FileState st = inspect(work);
    const std::string now = st.dump == "<absent>" ? empty : st.dump;
    if (completed) {
      EXPECT_EQ(state_diff(after, now), "");
    } else if (start.empty()) {
      // Whole migrations only: the same content for the same version.
      const int version = user_version_in(now);
      const auto [it, inserted] = states.emplace(version, now);
      if (!inserted) {
        EXPECT_EQ(state_diff(it->second, now), "")
            << "two different states with user_version " << version;
      }
      if (version == Tracker::latest_schema_version()) {
        EXPECT_EQ(state_diff(after, now), "");
      }
    } else {
      EXPECT_EQ(state_diff(before, now), "") << "a failed open changed the file";
    }
    if (st.dump != "<absent>") {
      EXPECT_EQ(st.integrity, "ok");
    }
    // Without faults, the open completes what was left undone.
    try {
      Tracker t = Tracker::open(work);
      EXPECT_EQ(state_diff(after, state()), "");
      const CompanyId c = t.ensure_company({.name = "Follow-up"});
      t.record({.company = c, .announced_on = Date::parse("2021-01-01"), .key = "follow-up"});
    } catch (const std::exception& e) {
      ADD_FAILURE() << "a fault-free open after the fault failed: " << e.what();
    }
    EXPECT_EQ(integrity(work), "ok");
    remove_db(work);
    if (check_leaks) {
      EXPECT_EQ(live_allocations(), live_before) << "SQLite allocations leaked";
    }
  }
  if (start.empty() && !states.empty()) {
    s.note = "failed opens left user_version";
    for (const auto& [version, dump] : states) {
      s.note += " " + std::to_string(version);
    }
  }
  remove_db(empty_file);
  return s;
}

LoopStats run_close_loop(const Baseline& baseline, const std::string& work_dir,
                         const Injector& injector, int max_runs, bool check_leaks,
                         const std::function<void(Tracker&)>& write) {
  LoopStats s;
  s.operation = "close (checkpoint) after record";
  s.injector = injector.name;
  const std::string work = close_loop_db(work_dir);
  const auto open_and_write = [&] {
    copy_db(baseline.path, work);
    std::optional<Tracker> t(Tracker::open(work));
    if (write) {
      write(*t);
    } else {
      t->record(rich_event(baseline));
    }
    return t;
  };

  std::string after;
  {
    std::optional<Tracker> t = open_and_write();
    after = logical_dump(work);
    injector.arm(0);
    t.reset();
    injector.disarm();
    s.calls = injector.calls();
  }
  remove_db(work);
  s.first = 1;
  max_runs = test_scale::count(max_runs);  // sampled unless LAYOFFS_TEST_FULL
  s.step = std::max<std::int64_t>(1, (s.calls + max_runs - 1) / max_runs);

  FailureBudget budget;
  for (std::int64_t n = 1; n <= s.calls; n += s.step) {
    if (budget.exhausted()) {
      break;
    }
    SCOPED_TRACE(s.operation + " x " + injector.name + ", n = " + std::to_string(n));
    s.last = n;
    ++s.runs;
    const std::int64_t live_before = live_allocations();
    {
      std::optional<Tracker> t = open_and_write();
      injector.arm(n);
      t.reset();  // a destructor: must neither throw nor crash
      injector.disarm();
      tally(s, injector, std::nullopt, true);
    }
    const FileState st = inspect(work);
    EXPECT_EQ(state_diff(after, st.dump), "") << "a committed write was lost at close";
    EXPECT_EQ(st.integrity, "ok");
    try {
      Tracker t = Tracker::open(work);
      EXPECT_EQ(t.count_events(), st.events);
      t.record(follow_up_event(baseline, 1));
    } catch (const std::exception& e) {
      ADD_FAILURE() << "reopening after a faulty close failed: " << e.what();
    }
    EXPECT_EQ(integrity(work), "ok");
    remove_db(work);
    if (check_leaks) {
      EXPECT_EQ(live_allocations(), live_before) << "SQLite allocations leaked";
    }
  }
  return s;
}

}  // namespace layoffs::fault
