// A bulk_load transaction must be indistinguishable from a normal one.
// Random operation sequences run on two files, one in each mode.
#include <functional>
#include <random>
#include <stdexcept>

#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sstream>

#include "test_util.h"

#include "test_scale.h"

namespace layoffs::test {
namespace {

struct Side {
  std::optional<Tracker> t;
  CompanyId a, b;
  std::string path;
};

std::string content(const std::string& path) {
  std::string s;
  for (const char* sql :
       {"SELECT id, company_id, announced_on, announced_precision, headcount_kind, headcount_low, "
        "external_key, notes FROM layoff_event ORDER BY id",
        "SELECT * FROM event_source ORDER BY 1, 2", "SELECT * FROM event_inclusion ORDER BY 1, 2",
        "SELECT * FROM event_department ORDER BY 1, 2", "SELECT id, name FROM company ORDER BY 1",
        "SELECT name FROM sqlite_schema WHERE tbl_name = 'layoff_event' AND type = 'index' AND sql "
        "IS NOT NULL ORDER BY 1",
        "PRAGMA integrity_check"}) {
    for (const auto& r : query(path, sql))
      s += r + "\n";
    s += "--\n";
  }
  return s;
}

void run_sequence(unsigned seed, Side& side, bool bulk, std::vector<std::string>& log) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto make = [&](bool allow_keyless) {
    NewEvent e;
    e.company = pick(2) ? side.a : side.b;
    e.announced_on = Date::ymd(2022, 1, 1).plus_days(pick(6));
    e.headcount = Headcount::exact(10 + pick(4));
    if (!allow_keyless || seed % 2 == 1 || pick(5) != 0)
      e.key = "k" + std::to_string(pick(40));
    if (pick(3) == 0)
      e.sources.push_back(Source{.url = "https://x.example/" + std::to_string(pick(3))});
    if (pick(6) == 0)
      e.departments.push_back("dep" + std::to_string(pick(3)));
    if (pick(15) == 0)
      e.announced_on = Date::ymd(2999, 1, 1);  // refused
    return e;
  };
  auto note = [&](const std::string& s) { log.push_back(s); };
  auto attempt = [&](const std::string& what, const std::function<std::string()>& f) {
    try {
      note(what + " -> " + f());
    } catch (const Error& e) {
      note(what + " !! " + std::string(to_string(e.code())));
    }
  };
  std::vector<EventId> known;
  std::function<void(int)> body = [&](int depth) {
    const int steps = depth == 0 ? 120 : 6;
    for (int s = 0; s < steps; ++s) {
      const int op = pick(100);
      if (op < 45) {
        attempt("record", [&] {
          const EventId id = side.t->record(make(true));
          known.push_back(id);
          return std::to_string(id.value());
        });
      } else if (op < 55) {
        std::vector<NewEvent> batch;
        for (int i = pick(4) + 1; i > 0; --i)
          batch.push_back(make(pick(4) == 0));
        attempt("batch", [&] {
          std::string r;
          for (const EventId id : side.t->record_batch(batch))
            r += std::to_string(id.value()) + ",";
          return r;
        });
      } else if (op < 68) {
        const std::string key = "k" + std::to_string(pick(45));
        attempt("find " + key, [&] {
          const auto f = side.t->find_event(key);
          return f ? std::to_string(f->value()) : std::string("none");
        });
      } else if (op < 80 && depth < 2) {
        const bool undo = pick(2) == 0;
        try {
          side.t->transaction([&] {
            body(depth + 1);
            if (undo)
              throw std::runtime_error("undo");
          });
          note("nested committed");
        } catch (const Error& e) {
          note("nested !! " + std::string(to_string(e.code())));
        } catch (const std::runtime_error&) {
          note("nested undone");
        }
      } else if (op < 83 && (seed % 4 != 1 || pick(10) == 0)) {
        attempt("total", [&] { return std::to_string(side.t->total().estimate); });
      } else if (op < 86 && !known.empty()) {
        const EventId id = known[static_cast<std::size_t>(pick(static_cast<int>(known.size())))];
        attempt("update " + std::to_string(id.value()), [&] {
          side.t->update(id, make(true));
          return std::string("ok");
        });
      } else if (op < 88 && !known.empty()) {
        const EventId id = known[static_cast<std::size_t>(pick(static_cast<int>(known.size())))];
        attempt("remove " + std::to_string(id.value()), [&] {
          side.t->remove(id);
          return std::string("ok");
        });
      } else if (!known.empty()) {
        const EventId id = known[static_cast<std::size_t>(pick(static_cast<int>(known.size())))];
        attempt("event " + std::to_string(id.value()), [&] {
          const Event e = side.t->event(id);
          return e.key + "/" + e.announced_on.iso();
        });
      }
    }
  };
  try {
    side.t->transaction([&] { body(0); }, bulk ? Workload::bulk_load : Workload::normal);
    note("outer committed");
  } catch (const Error& e) {
    note("outer !! " + std::string(to_string(e.code())) + " " + e.what());
  }
}

TEST(BulkLoadEquivalenceDifferential, BulkLoadBehavesLikeANormalTransaction) {
  int mismatches = 0;
  std::ostringstream logtext;
  auto logger = std::make_shared<spdlog::logger>(
      "review", std::make_shared<spdlog::sinks::ostream_sink_mt>(logtext, true));
  logger->set_level(spdlog::level::debug);
  // 300 seeds in a full run (LAYOFFS_TEST_FULL=1), 75 by default.
  const auto seeds = static_cast<unsigned>(test_scale::count(300));
  for (unsigned seed = 1; seed <= seeds && mismatches < 3; ++seed) {
    TempDir dir;
    std::vector<std::string> logs[2];
    Side sides[2];
    for (int m = 0; m < 2; ++m) {
      sides[m].path = dir.file(m ? "bulk.db" : "normal.db");
      sides[m].t.emplace(
          Tracker::open(sides[m].path, {.bulk_load_min_events = 1 + seed % 7, .logger = logger}));
      sides[m].a = sides[m].t->add_company({.name = "A"});
      sides[m].b = sides[m].t->add_company({.name = "B", .parent = sides[m].a});
      if (seed % 3 == 0) {
        NewEvent e{.company = sides[m].a,
                   .announced_on = Date::ymd(2021, 5, 5),
                   .headcount = Headcount::exact(7),
                   .key = "k3"};
        sides[m].t->record(e);
      }
      run_sequence(seed, sides[m], m == 1, logs[m]);
    }
    if (logs[0] != logs[1]) {
      ++mismatches;
      std::size_t i = 0;
      while (i < logs[0].size() && i < logs[1].size() && logs[0][i] == logs[1][i])
        ++i;
      ADD_FAILURE() << "seed " << seed << ": first difference at op " << i << ": normal '"
                    << (i < logs[0].size() ? logs[0][i] : "<end>") << "' vs bulk '"
                    << (i < logs[1].size() ? logs[1][i] : "<end>") << "'";
      continue;
    }
    const std::string c0 = content(sides[0].path), c1 = content(sides[1].path);
    if (c0 != c1) {
      ++mismatches;
      ADD_FAILURE() << "seed " << seed << ": files differ\nnormal:\n" << c0 << "\nbulk:\n" << c1;
    }
  }
  // The bulk path must really have been taken, and left, many times.
  const std::string t = logtext.str();
  int deferrals = 0, rebuilds = 0;
  for (auto at = t.find("deferred"); at != std::string::npos; at = t.find("deferred", at + 1)) {
    ++deferrals;
  }
  for (auto at = t.find("built again"); at != std::string::npos;
       at = t.find("built again", at + 1)) {
    ++rebuilds;
  }
  // The paths under test were taken often enough (about a third and a sixth
  // of the seeds defer and rebuild).
  EXPECT_GT(deferrals, static_cast<int>(seeds) / 3);
  EXPECT_GT(rebuilds, static_cast<int>(seeds) / 6);
}

}  // namespace
}  // namespace layoffs::test
