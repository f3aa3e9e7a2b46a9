// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Tracker::open: what a new file gets, which files are refused (and left
// byte-for-byte alone), read-only opens, reopening, and two processes
// creating the same file at once.
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/error.h>
#include <layoffs/layoffs.h>
#include <layoffs/tracker.h>
#include <sqlite3.h>

#include "amazon_facts.h"
#include "migration_data.h"
#include "schema.h"
#include "test_util.h"

namespace layoffs {
namespace {

using test::dump;
using test::exec_raw;
using test::read_file;
using test::TempDir;
using test::write_file;

// Runs `f` and returns the layoffs::Error it threw, or nothing if it returned.
// Any other exception escapes and fails the test.
template <class F>
std::optional<Error> error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

using test::query_one;
using test::query_rows;
using test::Rows;

// A small valid event for `company`.
NewEvent simple_event(CompanyId company, Date day, std::int64_t n,
                      std::vector<std::string> departments = {}) {
  return {.company = company,
          .announced_on = day,
          .headcount = Headcount::exact(n),
          .departments = std::move(departments)};
}

// Creates a layoffs database at `path` holding the Amazon facts, and closes it.
void make_layoffs_db(const std::string& path) {
  Tracker t = Tracker::open(path);
  examples::record_amazon_facts(t);
}

// Asserts that opening `path` (with `options`) is refused with `expected`
// and that the file's bytes did not change. Returns the error for more checks.
std::optional<Error> expect_refused(const std::string& path, ErrorCode expected,
                                    const Options& options = {}) {
  const std::string before = read_file(path);
  const auto err = error_of([&] { Tracker::open(path, options); });
  EXPECT_TRUE(err.has_value()) << "opening " << path << " should have failed with "
                               << to_string(expected);
  if (err) {
    EXPECT_EQ(err->code(), expected) << "got " << to_string(err->code()) << ": " << err->what();
  }
  const std::string after = read_file(path);
  EXPECT_EQ(before.size(), after.size()) << "the refused file changed size";
  EXPECT_TRUE(before == after) << "the refused file's bytes changed";
  return err;
}

// ---------------------------------------------------------------------------
// A new file.

TEST(Open, NewFileGetsWalApplicationIdAndLatestVersion) {
  TempDir dir;
  const std::string path = dir.file("new.db");
  ASSERT_FALSE(std::filesystem::exists(path));
  {
    Tracker t = Tracker::open(path);
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(t.schema_version(), Tracker::latest_schema_version());
    EXPECT_EQ(t.path(), path);
    // journal_mode=WAL is stored in the file, so a second connection sees it.
    EXPECT_EQ(query_one(path, "PRAGMA journal_mode"), "wal");
  }
  // After the library's connection is gone the file header still says WAL
  // (bytes 18 and 19, the read and write format versions, are 2 for WAL).
  const std::string bytes = read_file(path);
  ASSERT_GE(bytes.size(), 100u);
  EXPECT_EQ(bytes.substr(0, 16), std::string("SQLite format 3\0", 16));
  EXPECT_EQ(static_cast<int>(bytes[18]), 2);
  EXPECT_EQ(static_cast<int>(bytes[19]), 2);
  EXPECT_EQ(query_one(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query_one(path, "PRAGMA application_id"), std::to_string(detail::kApplicationId));
  EXPECT_EQ(query_one(path, "PRAGMA user_version"),
            std::to_string(Tracker::latest_schema_version()));
}

TEST(Open, NewFileRecordsEveryEmbeddedMigration) {
  TempDir dir;
  const std::string path = dir.file("new.db");
  { Tracker t = Tracker::open(path); }
  const auto& embedded = detail::embedded_migrations();
  ASSERT_FALSE(embedded.empty());
  EXPECT_EQ(static_cast<int>(embedded.size()), Tracker::latest_schema_version());
  const Rows rows = query_rows(
      path, "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_EQ(rows.size(), embedded.size());
  const std::regex timestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("migration " + std::to_string(embedded[i].version));
    EXPECT_EQ(rows[i][0], std::to_string(embedded[i].version));
    EXPECT_EQ(rows[i][1], embedded[i].name);
    EXPECT_EQ(rows[i][2], embedded[i].sha256);
    EXPECT_TRUE(std::regex_match(rows[i][3], timestamp)) << rows[i][3];
  }
}

// synchronous=NORMAL and foreign_keys=ON are settings of the library's own
// connection: a second connection cannot see them. foreign_keys is checked by
// behaviour instead: Tracker::remove deletes only the layoff_event row and
// relies on ON DELETE CASCADE for its departments, sources and inclusions,
// which SQLite carries out only with foreign_keys=ON. (synchronous is not
// observable from outside the connection and is not checked here.)
TEST(Open, LibraryConnectionEnforcesForeignKeys) {
  TempDir dir;
  const std::string path = dir.file("fk.db");
  Tracker t = Tracker::open(path);
  const CompanyId acme = t.add_company({.name = "Acme"});
  NewEvent first = simple_event(acme, Date::ymd(2023, 1, 5), 100, {"Sales", "Support"});
  first.sources = {{.url = "https://example.com/acme-1"}};
  first.reasons = {{.name = "cost cutting", .category = ReasonCategory::cost_cutting}};
  const EventId a = t.record(first);
  NewEvent second = simple_event(acme, Date::ymd(2023, 2, 5), 300);
  second.includes = {a};
  const EventId b = t.record(second);
  const std::string id = std::to_string(a.value());
  ASSERT_EQ(query_one(path, "SELECT count(*) FROM event_department WHERE event_id = " + id), "2");
  ASSERT_EQ(query_one(path, "SELECT count(*) FROM event_source WHERE event_id = " + id), "1");
  ASSERT_EQ(query_one(path, "SELECT count(*) FROM event_reason WHERE event_id = " + id), "1");
  ASSERT_EQ(query_one(path, "SELECT count(*) FROM event_inclusion"), "1");

  t.remove(a);
  EXPECT_EQ(query_one(path, "SELECT count(*) FROM event_department WHERE event_id = " + id), "0");
  EXPECT_EQ(query_one(path, "SELECT count(*) FROM event_source WHERE event_id = " + id), "0");
  EXPECT_EQ(query_one(path, "SELECT count(*) FROM event_reason WHERE event_id = " + id), "0");
  EXPECT_EQ(query_one(path, "SELECT count(*) FROM event_inclusion"), "0");
  EXPECT_TRUE(query_rows(path, "PRAGMA foreign_key_check").empty());
  // The including event stays, with its own figure.
  EXPECT_EQ(t.event(b).headcount.low(), 300);
  EXPECT_TRUE(t.event(b).includes.empty());
  EXPECT_TRUE(t.check().empty());
}

TEST(Open, MemoryDatabaseWorks) {
  Tracker t = Tracker::open(":memory:");
  EXPECT_EQ(t.schema_version(), Tracker::latest_schema_version());
  const CompanyId acme = t.add_company({.name = "Acme"});
  t.record(simple_event(acme, Date::ymd(2023, 3, 1), 250));
  EXPECT_EQ(t.count_events(), 1);
  const Total total = t.total({.company = acme});
  EXPECT_EQ(total.low, 250);
  EXPECT_EQ(total.high, std::optional<std::int64_t>(250));
  EXPECT_TRUE(t.check().empty());
  // Nothing named ":memory:" appears on disk.
  EXPECT_FALSE(std::filesystem::exists(":memory:"));
}

TEST(Open, EmptyFileBecomesANewDatabase) {
  TempDir dir;
  const std::string path = dir.file("empty.db");
  write_file(path, "");
  ASSERT_TRUE(std::filesystem::exists(path));
  ASSERT_EQ(std::filesystem::file_size(path), 0u);
  {
    Tracker t = Tracker::open(path);
    EXPECT_EQ(t.schema_version(), Tracker::latest_schema_version());
    const CompanyId acme = t.add_company({.name = "Acme"});
    t.record(simple_event(acme, Date::ymd(2023, 3, 1), 10));
  }
  EXPECT_EQ(query_one(path, "PRAGMA application_id"), std::to_string(detail::kApplicationId));
  EXPECT_EQ(query_one(path, "SELECT count(*) FROM layoff_event"), "1");
}

// ---------------------------------------------------------------------------
// Refusals: the right code, and the file left byte-for-byte unchanged.

TEST(Open, RefusesATextFile) {
  TempDir dir;
  const std::string path = dir.file("notes.db");
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "Amazon cut about 10,000 jobs in November 2022. Line " + std::to_string(i) + "\n";
  }
  write_file(path, text);
  expect_refused(path, ErrorCode::not_a_database);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-journal"));
}

TEST(Open, RefusesAShortTextFile) {
  TempDir dir;
  const std::string path = dir.file("short.db");
  write_file(path, "hello\n");
  expect_refused(path, ErrorCode::not_a_database);
}

TEST(Open, RefusesAnotherApplicationsDatabase) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  write_file(path, "");
  std::string err;
  ASSERT_EQ(exec_raw(path,
                     "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                     "INSERT INTO notes (body) VALUES ('mine');"
                     "PRAGMA application_id = 42;",
                     &err),
            SQLITE_OK)
      << err;
  ASSERT_EQ(query_one(path, "PRAGMA application_id"), "42");
  const auto refusal = expect_refused(path, ErrorCode::foreign_database);
  if (refusal) {
    EXPECT_NE(std::string(refusal->what()).find("42"), std::string::npos) << refusal->what();
  }
  EXPECT_EQ(query_one(path, "SELECT body FROM notes"), "mine");
}

TEST(Open, RefusesANonEmptyDatabaseWithoutApplicationId) {
  TempDir dir;
  const std::string path = dir.file("plain.db");
  write_file(path, "");
  std::string err;
  ASSERT_EQ(exec_raw(path, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);", &err),
            SQLITE_OK)
      << err;
  ASSERT_EQ(query_one(path, "PRAGMA application_id"), "0");
  expect_refused(path, ErrorCode::foreign_database);
  EXPECT_EQ(query_one(path, "SELECT x FROM t"), "1");
  EXPECT_TRUE(query_rows(path, "SELECT name FROM sqlite_schema WHERE name = 'company'").empty());
}

TEST(Open, RefusesADatabaseWithOnlyAUserVersion) {
  // No tables and no application_id, but someone set user_version: not empty,
  // not ours.
  TempDir dir;
  const std::string path = dir.file("versioned.db");
  write_file(path, "");
  ASSERT_EQ(exec_raw(path, "PRAGMA user_version = 7"), SQLITE_OK);
  ASSERT_EQ(query_one(path, "PRAGMA user_version"), "7");
  expect_refused(path, ErrorCode::foreign_database);
}

TEST(Open, RefusesASchemaNewerThanTheLibrary) {
  TempDir dir;
  const std::string path = dir.file("future.db");
  make_layoffs_db(path);
  const int newer = 4242;
  ASSERT_GT(newer, Tracker::latest_schema_version());
  ASSERT_EQ(exec_raw(path, "PRAGMA user_version = " + std::to_string(newer)), SQLITE_OK);
  const auto err = expect_refused(path, ErrorCode::schema_too_new);
  ASSERT_TRUE(err.has_value());
  // The message names both versions (the path is cut out first, since it is
  // full of random digits).
  std::string message = err->what();
  for (auto at = message.find(path); at != std::string::npos; at = message.find(path)) {
    message.erase(at, path.size());
  }
  EXPECT_NE(message.find(std::to_string(newer)), std::string::npos) << err->what();
  const std::regex latest("\\b" + std::to_string(Tracker::latest_schema_version()) + "\\b");
  EXPECT_TRUE(std::regex_search(message, latest)) << err->what();
  // Refused read-only too.
  expect_refused(path, ErrorCode::schema_too_new, {.read_only = true});
}

TEST(Open, RefusesAnAlteredMigrationChecksum) {
  TempDir dir;
  const std::string path = dir.file("tampered.db");
  make_layoffs_db(path);
  std::string err;
  ASSERT_EQ(exec_raw(path,
                     "UPDATE schema_migrations SET checksum = hex(zeroblob(32)) "
                     "WHERE version = 1",
                     &err),
            SQLITE_OK)
      << err;
  ASSERT_EQ(query_one(path, "SELECT checksum FROM schema_migrations WHERE version = 1"),
            std::string(64, '0'));
  expect_refused(path, ErrorCode::migration_mismatch);
  expect_refused(path, ErrorCode::migration_mismatch, {.read_only = true});
}

TEST(Open, RefusesAMissingMigrationRow) {
  TempDir dir;
  const std::string path = dir.file("norow.db");
  make_layoffs_db(path);
  ASSERT_EQ(exec_raw(path, "DELETE FROM schema_migrations"), SQLITE_OK);
  expect_refused(path, ErrorCode::migration_mismatch);
}

// ---------------------------------------------------------------------------
// Read-only opens.

TEST(Open, ReadOnlyOfMissingFileIsNotFound) {
  TempDir dir;
  const std::string path = dir.file("missing.db");
  const auto err = error_of([&] { Tracker::open(path, {.read_only = true}); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), ErrorCode::not_found) << err->what();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Open, MissingFileWithoutCreateIsNotFound) {
  TempDir dir;
  const std::string path = dir.file("missing.db");
  const auto err = error_of([&] { Tracker::open(path, {.create_if_missing = false}); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), ErrorCode::not_found) << err->what();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Open, ReadOnlyOfAnEmptyFileNeedsMigrating) {
  TempDir dir;
  const std::string path = dir.file("empty.db");
  write_file(path, "");
  expect_refused(path, ErrorCode::schema_outdated, {.read_only = true});
  EXPECT_EQ(std::filesystem::file_size(path), 0u);
}

TEST(Open, ReadOnlyReadsButRefusesEveryWrite) {
  TempDir dir;
  const std::string path = dir.file("ro.db");
  examples::AmazonFacts facts;
  {
    Tracker t = Tracker::open(path);
    facts = examples::record_amazon_facts(t);
  }
  const std::string before = read_file(path);
  const std::string content = dump(path);
  ASSERT_FALSE(before.empty());
  {
    Tracker t = Tracker::open(path, {.read_only = true});
    EXPECT_EQ(t.schema_version(), Tracker::latest_schema_version());

    // Reads work.
    EXPECT_EQ(t.count_events(), 8);
    EXPECT_EQ(t.companies().size(), 5u);
    EXPECT_EQ(t.company_id("AWS"), facts.aws);
    EXPECT_EQ(t.event(facts.jan_2023).headcount.low(), 18000);
    EXPECT_EQ(t.claims().size(), 1u);
    const Total total = t.total(
        {.company = facts.amazon, .from = Date::ymd(2022, 1, 1), .to = Date::ymd(2023, 12, 31)});
    EXPECT_EQ(total.estimate, 27000);
    EXPECT_TRUE(total.unbounded());
    EXPECT_TRUE(t.check().empty());

    // Every write throws read_only, even with arguments that would otherwise
    // be accepted.
    const NewEvent valid = simple_event(facts.amazon, Date::ymd(2021, 6, 1), 123);
    const std::vector<NewEvent> batch = {valid, simple_event(facts.aws, Date::ymd(2021, 7, 1), 5)};
    const NewClaim claim{.company = facts.aws,
                         .period_start = Date::year_only(2024),
                         .period_end = Date::year_only(2024),
                         .headcount = Headcount::at_least(100)};
    const std::vector<std::pair<const char*, std::function<void()>>> writes = {
        {"add_company", [&] { t.add_company({.name = "Brand New Co"}); }},
        {"ensure_company", [&] { t.ensure_company({.name = "Another New Co"}); }},
        {"record", [&] { t.record(valid); }},
        {"record_batch", [&] { t.record_batch(batch); }},
        {"update",
         [&] {
           NewEvent changed = t.event(facts.aws_apr_2024);
           changed.notes = "edited";
           t.update(facts.aws_apr_2024, changed);
         }},
        {"remove", [&] { t.remove(facts.prime_video_jan_2024); }},
        {"record_claim", [&] { t.record_claim(claim); }},
        {"set_parent", [&] { t.set_parent(facts.twitch, facts.aws); }},
        {"add_alias", [&] { t.add_alias(facts.amazon, "AMZN"); }},
    };
    for (const auto& [name, write] : writes) {
      SCOPED_TRACE(name);
      const auto err = error_of(write);
      ASSERT_TRUE(err.has_value()) << name << " did not throw";
      EXPECT_EQ(err->code(), ErrorCode::read_only) << to_string(err->code()) << ": " << err->what();
    }
    EXPECT_EQ(t.count_events(), 8);
  }
  EXPECT_TRUE(read_file(path) == before) << "a read-only open changed the main file";
  EXPECT_EQ(dump(path), content);
}

// ---------------------------------------------------------------------------
// Reopening.

TEST(Open, ReopeningAnUpToDateFileAppliesNothingAndKeepsTheData) {
  TempDir dir;
  const std::string path = dir.file("again.db");
  examples::AmazonFacts facts;
  {
    Tracker t = Tracker::open(path);
    facts = examples::record_amazon_facts(t);
  }
  const std::string content = dump(path);
  const Rows migrations_before =
      query_rows(path, "SELECT * FROM schema_migrations ORDER BY version");
  {
    Tracker t = Tracker::open(path);
    EXPECT_EQ(t.schema_version(), Tracker::latest_schema_version());
    EXPECT_EQ(t.count_events(), 8);
    EXPECT_EQ(t.event(facts.nov_2022).included_in, std::optional<EventId>(facts.jan_2023));
  }
  EXPECT_EQ(dump(path), content);
  EXPECT_EQ(query_rows(path, "SELECT * FROM schema_migrations ORDER BY version"),
            migrations_before);
  // Recording the same facts again through a reopened file changes nothing.
  {
    Tracker t = Tracker::open(path);
    const examples::AmazonFacts again = examples::record_amazon_facts(t);
    EXPECT_EQ(again.jan_2023, facts.jan_2023);
    EXPECT_EQ(again.claim_27000, facts.claim_27000);
  }
  EXPECT_EQ(dump(path), content);
}

// ---------------------------------------------------------------------------
// Migrations.

TEST(Migration, EmbeddedMigrationsMatchTheFiles) {
  const auto& embedded = detail::embedded_migrations();
  ASSERT_FALSE(embedded.empty());
  const std::regex hex("[0-9a-f]{64}");
  for (std::size_t i = 0; i < embedded.size(); ++i) {
    const auto& m = embedded[i];
    SCOPED_TRACE(m.name);
    EXPECT_EQ(m.version, static_cast<int>(i) + 1);
    EXPECT_TRUE(std::regex_match(m.sha256, hex)) << m.sha256;
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%04d_", m.version);
    const std::string file =
        std::string(LAYOFFS_SOURCE_DIR) + "/migrations/" + prefix + m.name + ".sql";
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_TRUE(read_file(file) == m.sql) << file << " differs from the embedded copy";
  }
  EXPECT_EQ(std::string(embedded.front().name), "initial_schema");
}

TEST(Migration, ReopenedFileKeepsOneRowPerMigration) {
  TempDir dir;
  const std::string path = dir.file("m.db");
  for (int i = 0; i < 3; ++i) {
    Tracker t = Tracker::open(path);
  }
  EXPECT_EQ(query_one(path, "SELECT count(*) FROM schema_migrations"),
            std::to_string(detail::embedded_migrations().size()));
}

// Two processes open the same new file at the same moment: exactly one of them
// migrates, both can then write.
TEST(Migration, TwoProcessesOpeningANewFileAtOnce) {
  TempDir dir;
  constexpr int kRounds = 8;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string path = dir.file("race" + std::to_string(round) + ".db");
    int go[2];
    ASSERT_EQ(pipe(go), 0);
    std::fflush(nullptr);
    std::cout.flush();
    std::cerr.flush();
    pid_t children[2] = {-1, -1};
    for (int c = 0; c < 2; ++c) {
      const pid_t pid = fork();
      if (pid == 0) {
        // Child: no gtest assertions here, only an exit status.
        close(go[1]);
        char byte = 0;
        // Blocks until the parent closes its end: both children start together.
        (void)!read(go[0], &byte, 1);
        int status = 0;
        try {
          Tracker t = Tracker::open(path);
          const CompanyId company = t.add_company({.name = "Child " + std::to_string(c) + " Inc"});
          t.record({.company = company,
                    .announced_on = Date::ymd(2023, 1, 10 + c),
                    .headcount = Headcount::exact(100 + c)});
        } catch (const Error& e) {
          std::fprintf(stderr, "child %d: %s (%s)\n", c, e.what(),
                       std::string(to_string(e.code())).c_str());
          status = 100 + static_cast<int>(e.code());
        } catch (const std::exception& e) {
          std::fprintf(stderr, "child %d: %s\n", c, e.what());
          status = 2;
        } catch (...) {
          status = 3;
        }
        std::fflush(stderr);
        _exit(status);
      }
      ASSERT_GT(pid, 0) << "fork failed";
      children[c] = pid;
    }
    close(go[0]);
    close(go[1]);  // release both children
    for (int c = 0; c < 2; ++c) {
      int status = 0;
      ASSERT_EQ(waitpid(children[c], &status, 0), children[c]);
      ASSERT_TRUE(WIFEXITED(status)) << "child " << c << " did not exit normally";
      EXPECT_EQ(WEXITSTATUS(status), 0)
          << "child " << c << " failed (100 + ErrorCode if >= 100); see its stderr";
    }
    EXPECT_EQ(query_one(path, "SELECT count(*) FROM schema_migrations"),
              std::to_string(detail::embedded_migrations().size()));
    EXPECT_EQ(query_rows(path, "SELECT version FROM schema_migrations ORDER BY version").size(),
              detail::embedded_migrations().size());
    EXPECT_EQ(query_one(path, "SELECT count(*) FROM layoff_event"), "2");
    Tracker t = Tracker::open(path);
    EXPECT_EQ(t.count_events(), 2);
    EXPECT_TRUE(t.find_company("Child 0 Inc").has_value());
    EXPECT_TRUE(t.find_company("Child 1 Inc").has_value());
    EXPECT_TRUE(t.check().empty());
  }
}

// ---------------------------------------------------------------------------
// Refused files with a WAL or a hot journal beside them. Regressions: the
// probe used to run on a read-write connection, whose close checkpointed a
// leftover -wal into the refused file, and which rolled back a hot journal.

// Runs `sql` on a raw connection that does not checkpoint when it closes, so
// what it wrote stays in the -wal file.
void exec_leaving_wal(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(Open, RefusesAForeignDatabaseWithALeftoverWalWithoutTouchingEither) {
  TempDir dir;
  const std::string path = dir.file("foreign-wal.db");
  exec_leaving_wal(path,
                   "PRAGMA journal_mode = WAL; PRAGMA application_id = 42; "
                   "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);");
  ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
  const std::string wal_before = read_file(path + "-wal");
  ASSERT_FALSE(wal_before.empty());
  expect_refused(path, ErrorCode::foreign_database);
  EXPECT_EQ(read_file(path + "-wal"), wal_before) << "the -wal file was checkpointed or changed";
}

TEST(Open, RefusesANewerSchemaThatIsOnlyInTheWal) {
  TempDir dir;
  const std::string path = dir.file("newer-in-wal.db");
  make_layoffs_db(path);
  exec_leaving_wal(path, "PRAGMA user_version = 99;");
  const std::string wal_before = read_file(path + "-wal");
  ASSERT_FALSE(wal_before.empty());
  const auto err = expect_refused(path, ErrorCode::schema_too_new);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(std::string(err->what()).find("99"), std::string::npos) << err->what();
  EXPECT_EQ(read_file(path + "-wal"), wal_before);
}

TEST(Open, RefusesAForeignDatabaseWithAHotJournalWithoutRollingItBack) {
  TempDir dir;
  const std::string path = dir.file("hot-journal.db");
  exec_leaving_wal(path,
                   "PRAGMA application_id = 42; CREATE TABLE t (x BLOB); "
                   "INSERT INTO t VALUES (zeroblob(100000));");
  // A child process writes inside a transaction big enough to spill into the
  // file, then dies without committing: the -journal it leaves is hot.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA cache_size = 1; BEGIN; "
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) "
                 "INSERT INTO t SELECT zeroblob(10000) FROM n; UPDATE t SET x = zeroblob(20000);",
                 nullptr, nullptr, nullptr);
    _exit(0);  // no COMMIT, no close
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(std::filesystem::exists(path + "-journal"));
  const std::string journal_before = read_file(path + "-journal");
  expect_refused(path, ErrorCode::foreign_database);
  EXPECT_EQ(read_file(path + "-journal"), journal_before) << "the hot journal was rolled back";
}

}  // namespace
}  // namespace layoffs
