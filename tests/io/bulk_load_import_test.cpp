// Imports with deferred indexes (bulk_load_min_events = 1) give the
// same summaries, rejects and content as imports that never defer.
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <layoffs/layoffs.h>

#include "export.h"
#include "import.h"
#include "test_util.h"

#include "test_scale.h"

namespace layoffs::test {
namespace {

std::string make_csv(unsigned seed, int rows) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::string csv =
      "company,location,industry,total_laid_off,percentage_laid_off,date,stage,country,"
      "funds_raised_millions,source\n";
  std::vector<std::string> lines;
  for (int i = 0; i < rows; ++i) {
    if (!lines.empty() && pick(10) == 0) {
      csv += lines[static_cast<std::size_t>(pick(static_cast<int>(lines.size())))];
      continue;
    }
    std::string l = "Co" + std::to_string(pick(15)) + ",Town,Software," + std::to_string(pick(50)) +
                    ",," + std::to_string(1 + pick(12)) + "/" +
                    std::to_string(pick(12) == 0 ? 31 : 1 + pick(28)) +
                    "/2023,Seed,United States,," +
                    (pick(3) == 0 ? "https://news.example/" + std::to_string(pick(5)) : "") + "\n";
    if (pick(25) == 0)
      l = "Co1,Town,Software,-5,,1/1/2023,Seed,United States,,\n";
    lines.push_back(l);
    csv += l;
  }
  return csv;
}

TEST(BulkLoadImport, DeferredImportsEqualOrdinaryOnes) {
  // 30 seeds in a full run (LAYOFFS_TEST_FULL=1), 8 by default.
  const auto seeds = static_cast<unsigned>(test_scale::count(30));
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    TempDir dir;
    const std::string csv = dir.file("in.csv");
    write_file(csv, make_csv(seed, 200));
    const std::string csv2 = dir.file("in2.csv");
    write_file(csv2, make_csv(seed + 1000, 200));
    std::string out[2];
    for (int m = 0; m < 2; ++m) {
      const std::string db = dir.file(m ? "bulk.db" : "plain.db");
      Tracker t = Tracker::open(db, {.bulk_load_min_events = m ? 1 : (std::int64_t{1} << 60)});
      for (const std::string& in : {csv, csv2, csv}) {
        io::ImportOptions o;
        o.skip_bad = true;
        o.rejects_path = dir.file("rej" + std::to_string(m) + ".csv");
        try {
          out[m] += [&] {
            auto s = io::to_string(io::import_file(t, in, o));
            return s.substr(0, s.rfind(", "));
          }() + "\n";
        } catch (const std::exception& e) {
          out[m] += std::string("ERR ") + e.what() + "\n";
        }
        out[m] += read_file(o.rejects_path);
      }
      for (const auto& r : query(db,
                                 "SELECT id, company_id, announced_on, headcount_low, external_key "
                                 "FROM layoff_event ORDER BY id"))
        out[m] += r + "\n";
      for (const auto& r : query(db,
                                 "SELECT count(*) FROM sqlite_schema WHERE type='index' AND "
                                 "tbl_name='layoff_event'"))
        out[m] += "indexes " + r + "\n";
    }
    EXPECT_EQ(out[0], out[1]) << "seed " << seed;
  }
}

// The JSON Lines importer too: an export (with inclusions, sources, several
// companies) imported with and without deferral, twice, gives the same
// summaries and the same database, which exports the same bytes.
TEST(BulkLoadImport, DeferredJsonlImportsEqualOrdinaryOnes) {
  const auto seeds = static_cast<unsigned>(test_scale::count(10, 4));
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    TempDir dir;
    const std::string csv = dir.file("in.csv");
    write_file(csv, make_csv(seed, 300));
    const std::string jsonl = dir.file("in.jsonl");
    {
      Tracker source = Tracker::open(dir.file("source.db"));
      io::ImportOptions o;
      o.skip_bad = true;
      io::import_file(source, csv, o);
      const std::vector<Event> all = source.events();
      ASSERT_GE(all.size(), 3u);
      NewEvent later = static_cast<const NewEvent&>(all.back());
      later.key = "later";
      later.includes = {all.front().id};
      later.sources.clear();
      // Big enough to include it (an includer is never smaller).
      later.headcount = Headcount::at_least(all.front().headcount.low());
      if (all.front().company == later.company) {
        source.record(later);
      }
      std::ostringstream out;
      io::export_jsonl(source, out);
      write_file(jsonl, out.str());
    }
    std::string out[2];
    std::ostringstream log;
    auto logger = std::make_shared<spdlog::logger>(
        "bulk-jsonl", std::make_shared<spdlog::sinks::ostream_sink_mt>(log, true));
    logger->set_level(spdlog::level::debug);
    for (int m = 0; m < 2; ++m) {
      const std::string db = dir.file(m ? "bulk.db" : "plain.db");
      Tracker t = Tracker::open(
          db, {.bulk_load_min_events = m ? 1 : (std::int64_t{1} << 60), .logger = logger});
      for (int round = 0; round < 2; ++round) {
        const std::string s = io::to_string(io::import_file(t, jsonl));
        out[m] += s.substr(0, s.rfind(", ")) + "\n";
      }
      std::ostringstream exported;
      io::export_jsonl(t, exported);
      EXPECT_EQ(exported.str(), read_file(jsonl)) << "seed " << seed << (m ? " bulk" : " plain");
      for (const auto& r : query(db, "PRAGMA integrity_check")) {
        out[m] += r + "\n";
      }
      for (const auto& r : query(db,
                                 "SELECT count(*) FROM sqlite_schema WHERE type='index' AND "
                                 "tbl_name='layoff_event'")) {
        out[m] += "indexes " + r + "\n";
      }
    }
    EXPECT_EQ(out[0], out[1]) << "seed " << seed;
    EXPECT_NE(log.str().find("indexes of layoff_event deferred"), std::string::npos)
        << "the bulk import never deferred its indexes";
  }
}

}  // namespace
}  // namespace layoffs::test
