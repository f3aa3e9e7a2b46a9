// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Hostile files handed to Tracker::open: garbage, truncated and corrupted
// databases, other applications' databases, a schema from a future version,
// and writes through a read-only open. Each gets its own typed error, never a
// crash, and the file, its -wal and its -journal are left byte-for-byte as
// they were. (SQLite keeps no page checksums: damage it cannot recognize, such
// as plausible bytes in an index, can go unnoticed by reads until check()
// runs. The damage here is of the kinds it does recognize.)
//
// open_test.cpp already covers a plain text file, foreign databases by
// application_id 42 / none / user_version only, a far-future user_version, and
// refusals with a leftover -wal or hot journal; the cases here are the ones it
// does not: damaged files, realistic foreign and future files, and read-only
// writes while committed data still sits in the -wal.
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/error.h>
#include <layoffs/layoffs.h>
#include <sqlite3.h>

#include "amazon_facts.h"
#include "test_util.h"

namespace layoffs {
namespace {

using test::exec_raw;
using test::read_file;
using test::TempDir;
using test::write_file;

// The bytes of a database and of the two files SQLite keeps beside it.
// nullopt: the file does not exist (which must also stay so).
struct FileSet {
  std::optional<std::string> main, wal, journal;
  bool operator==(const FileSet&) const = default;
};

std::optional<std::string> bytes_if_present(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return std::nullopt;
  }
  return read_file(path);
}

FileSet snapshot(const std::string& path) {
  return {bytes_if_present(path), bytes_if_present(path + "-wal"),
          bytes_if_present(path + "-journal")};
}

// FNV-1a, so a failure message can say which file changed without printing
// megabytes.
std::string checksum(const std::optional<std::string>& bytes) {
  if (!bytes) {
    return "(absent)";
  }
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : *bytes) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  char out[40];
  std::snprintf(out, sizeof out, "%016llx/%zu", static_cast<unsigned long long>(h), bytes->size());
  return out;
}

std::string describe(const FileSet& f) {
  return "main " + checksum(f.main) + ", -wal " + checksum(f.wal) + ", -journal " +
         checksum(f.journal);
}

// A missing -wal and an empty one are the same state: SQLite creates an empty
// -wal when a connection opens a WAL-mode file and the last connection
// removes it again, without a frame ever being written. Everything else must
// match byte for byte.
bool same_files(const FileSet& a, const FileSet& b) {
  const auto wal = [](const FileSet& f) { return f.wal.value_or(std::string()); };
  return a.main == b.main && wal(a) == wal(b) && a.journal == b.journal;
}

// The error `f` threw, or nothing. Anything but layoffs::Error escapes and
// fails the test: a hostile file must never surface as another exception type.
template <class F>
std::optional<Error> error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// A valid layoffs database big enough that its tables span many pages, so
// that cutting or scribbling over part of it hits real b-tree pages.
void make_big_layoffs_db(const std::string& path) {
  Tracker t = Tracker::open(path);
  examples::record_amazon_facts(t);
  const CompanyId filler = t.add_company({.name = "Filler Co"});
  std::vector<NewEvent> batch;
  for (int i = 0; i < 400; ++i) {
    batch.push_back({.company = filler,
                     .announced_on = Date::ymd(2015, 1, 1).plus_days(i),
                     .headcount = Headcount::exact(100 + i),
                     .departments = {"Dept " + std::to_string(i % 7)},
                     .notes = std::string(150, static_cast<char>('a' + i % 26)),
                     .key = "filler-" + std::to_string(i)});
  }
  t.record_batch(batch);
}

// Reads that between them touch every table and index the library uses, the
// way an application would right after opening.
void read_everything(Tracker& t) {
  (void)t.companies();
  (void)t.count_events();
  (void)t.total();
  (void)t.totals_by(Grouping::department);
  (void)t.events();
  (void)t.claims();
  (void)t.reconcile();
}

// Where a hostile file must be refused: at open, or at open or the first
// read that reaches the damage (SQLite reads pages lazily and keeps no page
// checksums, so damage past the schema shows up only when a read needs it).
enum class Stage { open, open_or_read };

// Opens `path` and reads everything. The first layoffs::Error must have
// `code` and come at `stage`; the files must be unchanged afterwards.
void expect_hostile(const std::string& path, ErrorCode code, Stage stage,
                    const Options& options = {}) {
  const FileSet before = snapshot(path);
  std::optional<Error> at_open;
  std::optional<Error> at_read;
  {
    std::optional<Tracker> t;
    at_open = error_of([&] { t.emplace(Tracker::open(path, options)); });
    if (t) {
      at_read = error_of([&] { read_everything(*t); });
    }
  }
  const std::optional<Error>& got = at_open ? at_open : at_read;
  ASSERT_TRUE(got.has_value()) << "expected " << to_string(code) << ", nothing was thrown";
  if (stage == Stage::open) {
    EXPECT_TRUE(at_open.has_value()) << "the open succeeded; only a read failed";
  }
  EXPECT_EQ(got->code(), code) << to_string(got->code()) << ": " << got->what();
  const FileSet after = snapshot(path);
  EXPECT_TRUE(same_files(before, after))
      << "the file changed: before " << describe(before) << "; after " << describe(after);
}

// ---------------------------------------------------------------------------
// Not a database at all.

TEST(Hostile, BinaryGarbageIsNotADatabase) {
  TempDir dir;
  const std::string path = dir.file("garbage.db");
  std::mt19937 rng(4);  // fixed: the same bytes every run
  std::string bytes(64 * 1024, '\0');
  for (char& c : bytes) {
    c = static_cast<char>(rng() & 0xff);
  }
  write_file(path, bytes);
  expect_hostile(path, ErrorCode::not_a_database, Stage::open);
  expect_hostile(path, ErrorCode::not_a_database, Stage::open, {.read_only = true});
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
}

TEST(Hostile, AFileOfZerosIsNotADatabase) {
  TempDir dir;
  const std::string path = dir.file("zeros.db");
  write_file(path, std::string(8192, '\0'));
  expect_hostile(path, ErrorCode::not_a_database, Stage::open);
}

TEST(Hostile, AnSqliteMagicWithAnImpossiblePageSizeIsNotADatabase) {
  // The 16-byte magic passes the header check; SQLite itself must then
  // refuse a page size of 1000 (not a power of two).
  TempDir dir;
  const std::string path = dir.file("magic.db");
  std::string bytes(4096, '\0');
  const std::string magic("SQLite format 3\0", 16);
  bytes.replace(0, magic.size(), magic);
  bytes[16] = static_cast<char>(1000 >> 8);
  bytes[17] = static_cast<char>(1000 & 0xff);
  bytes[18] = bytes[19] = 1;
  bytes[21] = 64;
  bytes[22] = 32;
  bytes[23] = 32;
  write_file(path, bytes);
  expect_hostile(path, ErrorCode::not_a_database, Stage::open);
}

TEST(Hostile, EmptyFileBecomesANewDatabaseThatWorks) {
  // The one hostile-looking file that is fine: `touch layoffs.db` before the
  // first run. It is migrated, takes writes and reads them back.
  TempDir dir;
  const std::string path = dir.file("touched.db");
  write_file(path, "");
  {
    Tracker t = Tracker::open(path);
    const examples::AmazonFacts facts = examples::record_amazon_facts(t);
    EXPECT_EQ(t.count_events(), 8);
    EXPECT_EQ(
        t.total(
             {.company = facts.amazon, .from = Date::year_only(2022), .to = Date::year_only(2023)})
            .estimate,
        27000);
    EXPECT_TRUE(t.check().empty());
  }
  Tracker again = Tracker::open(path, {.read_only = true});
  EXPECT_EQ(again.count_events(), 8);
  EXPECT_EQ(again.schema_version(), Tracker::latest_schema_version());
}

// ---------------------------------------------------------------------------
// Damaged layoffs databases.

TEST(Corrupt, TruncatedToHalfItsSize) {
  TempDir dir;
  const std::string path = dir.file("half.db");
  make_big_layoffs_db(path);
  const std::string whole = read_file(path);
  ASSERT_GT(whole.size(), 16u * 4096) << "the database is too small to cut meaningfully";
  write_file(path, whole.substr(0, whole.size() / 2));
  // The header still promises the whole page count; the missing half reads
  // as zeros, which SQLite recognizes as malformed pages (today already
  // while the library probes schema_migrations at open).
  expect_hostile(path, ErrorCode::corrupt, Stage::open_or_read);
  expect_hostile(path, ErrorCode::corrupt, Stage::open_or_read, {.read_only = true});
}

TEST(Corrupt, TruncatedTo99BytesIsNotADatabase) {
  // Shorter than the 100-byte header: not even the header can be read.
  TempDir dir;
  const std::string path = dir.file("cut99.db");
  make_big_layoffs_db(path);
  write_file(path, read_file(path).substr(0, 99));
  expect_hostile(path, ErrorCode::not_a_database, Stage::open);
  expect_hostile(path, ErrorCode::not_a_database, Stage::open, {.read_only = true});
}

TEST(Corrupt, TruncatedToItsFirstPage) {
  // The header is intact and says ours, but the schema runs past page 1.
  TempDir dir;
  const std::string path = dir.file("cut1.db");
  make_big_layoffs_db(path);
  const std::string whole = read_file(path);
  const auto page_size = static_cast<std::size_t>((static_cast<unsigned char>(whole[16]) << 8) |
                                                  static_cast<unsigned char>(whole[17]));
  ASSERT_EQ(page_size, 4096u);
  write_file(path, whole.substr(0, page_size));
  expect_hostile(path, ErrorCode::corrupt, Stage::open);
}

// The page numbers of the b-tree pages (leaf or interior) of `name`, through
// the dbstat virtual table of the system SQLite.
std::vector<std::int64_t> pages_of(const std::string& path, const std::string& name,
                                   const std::string& pagetype) {
  std::vector<std::int64_t> out;
  for (const std::string& row :
       test::query(path, "SELECT pageno FROM dbstat WHERE name = '" + name + "' AND pagetype = '" +
                             pagetype + "' ORDER BY pageno")) {
    out.push_back(std::stoll(row.substr(0, row.size() - 1)));
  }
  return out;
}

// Overwrites the middle half of page `page` (1-based, 4 KiB pages) with 0xff.
// On a full b-tree page that is cell content: record headers and rowids turn
// into huge varints, overflow page numbers into pages past the end of file.
void scribble_on_page(const std::string& path, std::int64_t page) {
  constexpr std::size_t kPage = 4096;
  std::string bytes = read_file(path);
  const std::size_t start = static_cast<std::size_t>(page - 1) * kPage + kPage / 4;
  ASSERT_LE(start + kPage / 2, bytes.size());
  bytes.replace(start, kPage / 2, std::string(kPage / 2, '\xff'));
  write_file(path, bytes);
}

// The middle leaf page of b-tree `name`, after checking it is full enough
// that the scribbled range holds cells (cell content fills a page from its
// end, so with under 1.5 KiB unused it reaches well into [1 KiB, 3 KiB)).
std::int64_t middle_leaf(const std::string& path, const std::string& name) {
  const std::vector<std::int64_t> leaves = pages_of(path, name, "leaf");
  EXPECT_GE(leaves.size(), 3u) << name << " should span several pages";
  if (leaves.empty()) {
    return 1;
  }
  const std::int64_t page = leaves[leaves.size() / 2];
  const auto unused =
      test::query(path, "SELECT unused FROM dbstat WHERE pageno = " + std::to_string(page));
  EXPECT_EQ(unused.size(), 1u);
  if (!unused.empty()) {
    EXPECT_LT(std::stoll(unused[0]), 1536) << "page " << page << " of " << name << " is not full";
  }
  return page;
}

TEST(Corrupt, ScribbledIndexPageFailsTheFirstReadThatNeedsIt) {
  // layoff_event_date_idx serves totals over all companies and the event
  // list: the first such read must fail with corrupt, not answer.
  TempDir dir;
  const std::string path = dir.file("index.db");
  make_big_layoffs_db(path);
  scribble_on_page(path, middle_leaf(path, "layoff_event_date_idx"));
  expect_hostile(path, ErrorCode::corrupt, Stage::open_or_read);
  expect_hostile(path, ErrorCode::corrupt, Stage::open_or_read, {.read_only = true});
}

// Runs each read on a file with a scribbled page of the event table. SQLite
// notices damage only on the pages a read visits, so each read may succeed,
// but any error must be corrupt; `needs_table` must fail (it needs the rows).
void expect_reads_ok_or_corrupt(const std::string& path,
                                const std::function<void(Tracker&)>& needs_table) {
  const FileSet before = snapshot(path);
  {
    Tracker t = Tracker::open(path, {.read_only = true});
    const std::vector<std::pair<const char*, std::function<void()>>> reads = {
        {"companies", [&] { (void)t.companies(); }},
        {"count_events", [&] { (void)t.count_events(); }},
        {"total", [&] { (void)t.total(); }},
        {"totals_by year", [&] { (void)t.totals_by(Grouping::year); }},
        {"totals_by department", [&] { (void)t.totals_by(Grouping::department); }},
        {"claims", [&] { (void)t.claims(); }},
        {"reconcile", [&] { (void)t.reconcile(); }},
        {"check", [&] { EXPECT_FALSE(t.check().empty()) << "check() found nothing wrong"; }},
    };
    for (const auto& [name, read] : reads) {
      SCOPED_TRACE(name);
      if (const auto err = error_of(read)) {
        EXPECT_EQ(err->code(), ErrorCode::corrupt) << name << ": " << err->what();
      }
    }
    const auto err = error_of([&] { needs_table(t); });
    ASSERT_TRUE(err.has_value()) << "a read of the damaged rows succeeded";
    EXPECT_EQ(err->code(), ErrorCode::corrupt) << to_string(err->code()) << ": " << err->what();
  }
  const FileSet after = snapshot(path);
  EXPECT_TRUE(same_files(before, after))
      << "the file changed: before " << describe(before) << "; after " << describe(after);
}

TEST(Corrupt, ScribbledTablePageFailsReadsOfItsRowsWithCorrupt) {
  TempDir dir;
  const std::string path = dir.file("table.db");
  make_big_layoffs_db(path);
  scribble_on_page(path, middle_leaf(path, "layoff_event"));
  // A country filter makes the total read each event row, not just the
  // covering index.
  expect_reads_ok_or_corrupt(path, [](Tracker& t) { (void)t.total({.country = "Nowhere"}); });
}

// Regression (was a library bug, fixed): Tracker::events() (lib/queries.cpp) lists ids through an
// index, then loads each with Impl::load_event (lib/events.cpp), whose
// "WHERE e.id = ?" lookup finds no row on the damaged page and throws
// not_found ("id: no event has id \"213\"") -- a bad-input code, from a call
// that was given no id. The id came from the same read transaction, so a
// missing row can only mean a corrupt file: expected ErrorCode::corrupt.
TEST(Corrupt, ScribbledTablePageMakesEventsSayCorruptNotNotFound) {
  TempDir dir;
  const std::string path = dir.file("events.db");
  make_big_layoffs_db(path);
  scribble_on_page(path, middle_leaf(path, "layoff_event"));
  expect_reads_ok_or_corrupt(path, [](Tracker& t) { (void)t.events(); });
}

// Issue 13: check() threw as soon as PRAGMA integrity_check did, so a damaged
// file got no list at all. Now every part runs: the damage is listed, and so
// is a hand edit elsewhere in the file.
TEST(Corrupt, CheckKeepsListingWhenIntegrityCheckFails) {
  TempDir dir;
  const std::string path = dir.file("listing.db");
  make_big_layoffs_db(path);
  ASSERT_EQ(test::exec_at_prompt(path,
                                 "UPDATE company SET name_key = 'filler' WHERE name = "
                                 "'Filler Co'"),
            SQLITE_OK);
  scribble_on_page(path, middle_leaf(path, "layoff_event"));
  Tracker t = Tracker::open(path, {.read_only = true});
  std::vector<std::string> problems;
  ASSERT_NO_THROW(problems = t.check());
  std::string all;
  for (const auto& p : problems) {
    all += p + "\n";
  }
  EXPECT_NE(all.find("integrity_check"), std::string::npos) << all;
  EXPECT_NE(all.find("is named \"Filler Co\" but its name_key is \"filler\""), std::string::npos)
      << all;
}

TEST(Corrupt, ScribbledSchemaPageIsRefusedAtOpen) {
  TempDir dir;
  const std::string path = dir.file("schema.db");
  make_big_layoffs_db(path);
  const std::vector<std::int64_t> pages = pages_of(path, "sqlite_schema", "leaf");
  ASSERT_FALSE(pages.empty());
  scribble_on_page(path, pages.back());
  expect_hostile(path, ErrorCode::corrupt, Stage::open);
  expect_hostile(path, ErrorCode::corrupt, Stage::open, {.read_only = true});
}

// ---------------------------------------------------------------------------
// Databases that are not ours, or not yet ours.

TEST(Foreign, AGeoPackageIsAnotherApplicationsDatabase) {
  // A real format that uses application_id ("GPKG"), with its own tables.
  TempDir dir;
  const std::string path = dir.file("map.gpkg");
  write_file(path, "");
  std::string err;
  ASSERT_EQ(exec_raw(path,
                     "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;"
                     "CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT);"
                     "INSERT INTO gpkg_contents VALUES ('roads', 'features');",
                     &err),
            SQLITE_OK)
      << err;
  expect_hostile(path, ErrorCode::foreign_database, Stage::open);
  expect_hostile(path, ErrorCode::foreign_database, Stage::open, {.read_only = true});
}

TEST(Foreign, ALookalikeWithOurTableNamesButNoApplicationId) {
  // Someone rebuilt "our" tables by hand: same names, no application_id. It
  // is not ours to migrate.
  TempDir dir;
  const std::string path = dir.file("lookalike.db");
  write_file(path, "");
  ASSERT_EQ(exec_raw(path,
                     "CREATE TABLE company (id INTEGER PRIMARY KEY, name TEXT);"
                     "CREATE TABLE layoff_event (id INTEGER PRIMARY KEY, company_id INTEGER);"
                     "INSERT INTO company VALUES (1, 'Amazon');"),
            SQLITE_OK);
  expect_hostile(path, ErrorCode::foreign_database, Stage::open);
}

TEST(Foreign, OurFileWithItsApplicationIdCleared) {
  // Without the application_id we cannot tell it from a lookalike: refused,
  // not silently "migrated" on top of what is there.
  TempDir dir;
  const std::string path = dir.file("cleared.db");
  make_big_layoffs_db(path);
  ASSERT_EQ(exec_raw(path, "PRAGMA application_id = 0"), SQLITE_OK);
  expect_hostile(path, ErrorCode::foreign_database, Stage::open);
}

TEST(Foreign, ASchemaOneVersionNewerWithItsOwnMigration) {
  // What the next release of the library would leave behind: one more
  // migration, applied and recorded the way apply_migrations records them.
  TempDir dir;
  const std::string path = dir.file("next.db");
  make_big_layoffs_db(path);
  const int next = Tracker::latest_schema_version() + 1;
  std::string err;
  ASSERT_EQ(
      exec_raw(path,
               "BEGIN; CREATE TABLE layoff_rumour (id INTEGER PRIMARY KEY, body TEXT) STRICT;"
               "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (" +
                   std::to_string(next) +
                   ", 'rumours', hex(randomblob(32)), '2030-01-01T00:00:00Z');"
                   "PRAGMA user_version = " +
                   std::to_string(next) + "; COMMIT;",
               &err),
      SQLITE_OK)
      << err;
  expect_hostile(path, ErrorCode::schema_too_new, Stage::open);
  expect_hostile(path, ErrorCode::schema_too_new, Stage::open, {.read_only = true});
}

// ---------------------------------------------------------------------------
// Writes through a read-only open.

// Leaves `path` with committed events in its -wal and no checkpoint: a child
// process writes through the library and dies without closing (as a crashed
// writer would).
void leave_committed_wal(const std::string& path) {
  std::fflush(nullptr);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int status = 0;
    try {
      Tracker t = Tracker::open(path);
      const CompanyId c = t.ensure_company({.name = "In The WAL Inc"});
      t.record({.company = c,
                .announced_on = Date::ymd(2023, 6, 1),
                .headcount = Headcount::exact(42),
                .key = "wal-1"});
      _exit(0);  // no destructors: no checkpoint, the -wal stays
    } catch (...) {
      status = 1;
    }
    _exit(status);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(Hostile, ReadOnlyOpenRefusesWritesAndLeavesAPendingWalAlone) {
  TempDir dir;
  const std::string path = dir.file("ro.db");
  examples::AmazonFacts facts;
  {
    Tracker t = Tracker::open(path);
    facts = examples::record_amazon_facts(t);
  }
  leave_committed_wal(path);
  ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
  const FileSet before = snapshot(path);
  ASSERT_TRUE(before.wal.has_value() && !before.wal->empty());
  {
    Tracker t = Tracker::open(path, {.read_only = true});
    // The committed event in the -wal is visible.
    EXPECT_EQ(t.count_events(), 9);
    EXPECT_TRUE(t.find_event("wal-1").has_value());
    // read_only comes first, before any validation or lookup: a bad write
    // and a good one get the same answer.
    const std::vector<std::pair<const char*, std::function<void()>>> writes = {
        {"transaction", [&] { t.transaction([] {}); }},
        {"record in transaction",
         [&] {
           t.transaction([&] {
             t.record({.company = facts.amazon,
                       .announced_on = Date::ymd(2021, 1, 1),
                       .headcount = Headcount::exact(1)});
           });
         }},
        {"record of an invalid event",
         [&] { t.record({.company = CompanyId(987654), .announced_on = Date::ymd(1800, 1, 1)}); }},
        {"add_company with a blank name", [&] { t.add_company({.name = " "}); }},
        {"add_alias to a missing company", [&] { t.add_alias(CompanyId(987654), "x"); }},
        {"set_parent into a cycle", [&] { t.set_parent(facts.amazon, facts.aws); }},
        {"remove of a missing event", [&] { t.remove(EventId(987654)); }},
        {"update with the same content",
         [&] { t.update(facts.jan_2023, t.event(facts.jan_2023)); }},
        {"record_batch of nothing", [&] { t.record_batch({}); }},
    };
    for (const auto& [name, write] : writes) {
      SCOPED_TRACE(name);
      const auto err = error_of(write);
      ASSERT_TRUE(err.has_value()) << name << " did not throw";
      EXPECT_EQ(err->code(), ErrorCode::read_only) << to_string(err->code()) << ": " << err->what();
    }
    EXPECT_EQ(t.count_events(), 9);
    EXPECT_TRUE(t.check().empty());
  }
  const FileSet after = snapshot(path);
  EXPECT_TRUE(same_files(before, after))
      << "before " << describe(before) << "; after " << describe(after);
  // The data is all still there for a writer, which checkpoints normally.
  Tracker w = Tracker::open(path);
  EXPECT_EQ(w.count_events(), 9);
}

TEST(Hostile, ReadOnlyOpenOfAFileAnotherTrackerIsWriting) {
  // A reader next to a live writer: the reader's writes are refused, the
  // writer is not disturbed, and the reader sees the writer's commits.
  TempDir dir;
  const std::string path = dir.file("live.db");
  Tracker writer = Tracker::open(path);
  const CompanyId c = writer.add_company({.name = "Live Co"});
  Tracker reader = Tracker::open(path, {.read_only = true});
  for (int i = 0; i < 5; ++i) {
    writer.record({.company = c,
                   .announced_on = Date::ymd(2023, 1, 1).plus_days(i),
                   .headcount = Headcount::exact(1)});
    const auto err = error_of([&] {
      reader.record({.company = c,
                     .announced_on = Date::ymd(2022, 1, 1).plus_days(i),
                     .headcount = Headcount::exact(1)});
    });
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->code(), ErrorCode::read_only);
    EXPECT_EQ(reader.count_events(), i + 1);
  }
  EXPECT_TRUE(writer.check().empty());
}

}  // namespace
}  // namespace layoffs
