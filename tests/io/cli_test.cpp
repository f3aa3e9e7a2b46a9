// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// End-to-end tests of the `layoffs` command-line tool: they run the built
// binary and check its output, exit code and the database it leaves.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "test_util.h"

namespace layoffs::test {
namespace {

struct CliRun {
  int code = -1;
  std::string out, err;
};

// Runs the CLI with `args` in `dir`, standard input closed, LAYOFFS_DB unset
// unless `db_env` is given.
CliRun run_cli(const TempDir& dir, const std::vector<std::string>& args,
               const std::string& db_env = {}) {
  const std::string out_path = dir.file(".stdout");
  const std::string err_path = dir.file(".stderr");
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.path().c_str()) != 0) {
      _exit(120);
    }
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = open("/dev/null", O_RDONLY);
    dup2(out, 1);
    dup2(err, 2);
    dup2(in, 0);
    if (db_env.empty()) {
      unsetenv("LAYOFFS_DB");
    } else {
      setenv("LAYOFFS_DB", db_env.c_str(), 1);
    }
    std::vector<char*> argv;
    std::string program = LAYOFFS_CLI;
    argv.push_back(program.data());
    std::vector<std::string> copies(args);
    for (auto& a : copies) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(121);
  }
  CliRun r;
  int status = 0;
  waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class CliTest : public ::testing::Test {
 protected:
  TempDir dir_;

  CliRun cli(const std::vector<std::string>& args) { return run_cli(dir_, args); }

  // The Amazon story of the README, typed at the command line.
  void record_amazon() {
    ASSERT_EQ(cli({"company", "add", "Amazon", "--alias", "Amazon.com"}).code, 0);
    ASSERT_EQ(
        cli({"company", "add", "AWS", "--parent", "amazon", "--alias", "Amazon Web Services"}).code,
        0);
    ASSERT_EQ(
        cli({"add", "--company", "Amazon", "--date", "2022-11-16", "--headcount", "about 10,000",
             "--department", "Devices", "--source", "https://example.com/nov"})
            .code,
        0);
    ASSERT_EQ(cli({"add", "--company", "Amazon", "--date", "2023-01-04", "--headcount",
                   "just over 18,000", "--includes", "1"})
                  .code,
              0);
    ASSERT_EQ(cli({"add", "--company", "amazon.com", "--date", "2023-03-20", "--headcount",
                   "about 9,000", "--reason", "uncertain economy:market_conditions"})
                  .code,
              0);
    ASSERT_EQ(cli({"add", "--company", "Amazon Web Services", "--date", "2024-04-03", "--headcount",
                   "several hundred", "--department", "Sales"})
                  .code,
              0);
  }
};

TEST_F(CliTest, InitCreatesTheDatabaseInTheWorkingDirectory) {
  const CliRun r = cli({"init"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "initialized layoffs.db (schema version"));
  EXPECT_TRUE(std::filesystem::exists(dir_.file("layoffs.db")));
}

TEST_F(CliTest, DbComesFromTheFlagThenTheEnvironment) {
  EXPECT_EQ(cli({"--db", "flag.db", "init"}).code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.file("flag.db")));
  EXPECT_EQ(run_cli(dir_, {"init"}, dir_.file("env.db")).code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.file("env.db")));
  EXPECT_EQ(run_cli(dir_, {"--db", "both.db", "init"}, dir_.file("env2.db")).code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.file("both.db")));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("env2.db")));
}

TEST_F(CliTest, TotalPrintsTheIntervalTheWayAReporterWould) {
  record_amazon();
  const CliRun r =
      cli({"total", "--company", "Amazon", "--from", "2022-01-01", "--to", "2023-12-31"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Amazon (incl. subsidiaries) 2022-01-01..2023-12-31: at least 27,000 "
            "(3 events selected: 2 counted, 1 inside another)\n");
}

// Event counts are written like headcounts, in groups of three, in the
// sentence and in the table (the real layoffs.fyi file has 2,355 events).
TEST_F(CliTest, EventCountsAreGroupedInThousands) {
  const std::string fyi = std::string(LAYOFFS_SHARED_DATA_DIR) + "/layoffs_fyi_2020_2023.csv";
  ASSERT_EQ(cli({"import", "--skip-bad", fyi}).code, 0);
  CliRun r = cli({"total"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "(2,355 events selected: 2,")) << r.out;
  r = cli({"total", "--by", "year"});
  EXPECT_EQ(r.code, 0) << r.err;
  // 2022's row ends with its selected and counted events: 1,211 each.
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n2022 .* 1,211 +1,211\n"))) << r.out;
}

TEST_F(CliTest, TotalByYearIsATable) {
  record_amazon();
  const CliRun r = cli({"total", "--company", "Amazon", "--by", "year"});
  EXPECT_EQ(r.code, 0) << r.err;
  // Numbers right-aligned, so their last digits line up.
  EXPECT_TRUE(contains(r.out, "2022     about 10,000")) << r.out;
  EXPECT_TRUE(contains(r.out, "2023  at least 17,000")) << r.out;
  EXPECT_TRUE(contains(r.out, "2024          300\u2013999")) << r.out;
}

TEST_F(CliTest, TotalJsonIsMachineReadable) {
  record_amazon();
  const CliRun r = cli({"total", "--company", "Amazon", "--to", "2023", "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "\"low\": 27000")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"high\": null")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"text\": \"at least 27,000\"")) << r.out;
}

TEST_F(CliTest, NoSubsidiariesCountsOnlyTheCompanysOwnEvents) {
  record_amazon();
  const CliRun r = cli({"total", "--company", "Amazon", "--no-subsidiaries", "--from", "2024"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, ": 0 (0 events selected)")) << r.out;
}

TEST_F(CliTest, ListShowAndTree) {
  record_amazon();
  CliRun r = cli({"list", "--company", "AWS"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "2024-04-03  AWS      announcement  several hundred")) << r.out;
  EXPECT_FALSE(contains(r.out, "2022-11-16")) << r.out;
  r = cli({"show", "1", "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "\"included_in\": 2")) << r.out;
  r = cli({"show", "2"});
  EXPECT_TRUE(contains(r.out, "includes:     event 1")) << r.out;
  r = cli({"company", "tree"});
  EXPECT_EQ(r.out, "Amazon\n\u2514\u2500\u2500 AWS\n");
  r = cli({"company", "list", "--json"});
  EXPECT_TRUE(contains(r.out, "\"parent\": \"Amazon\"")) << r.out;
}

TEST_F(CliTest, FilingsStatesAndStatuses) {
  record_amazon();
  CliRun r = cli({"add", "--company", "Amazon", "--date", "2023-03-19", "--headcount", "2,320",
                  "--filing", "--state", "WA"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "recorded filing 5: Amazon 2023-03-19 2,320\n");
  r = cli({"list", "--kind", "filing"});
  EXPECT_TRUE(contains(r.out, "filing  2,320      [2,320, 2,320]  WA")) << r.out;
  r = cli({"total", "--state", "wa", "--json"});
  EXPECT_TRUE(contains(r.out, "\"selected_events\": 1")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"counted_events\": 1")) << r.out;
  r = cli({"status", "5", "retracted", "--note", "filed in error"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "is now retracted")) << r.out;
  r = cli({"total", "--state", "WA"});
  EXPECT_TRUE(contains(r.out, ": 0 (1 event selected: 0 counted, 1 retracted)")) << r.out;
  r = cli({"show", "5"});
  EXPECT_TRUE(contains(r.out, "status:       retracted (left out of every total)")) << r.out;
  EXPECT_TRUE(contains(r.out, "status note:  filed in error")) << r.out;
  EXPECT_TRUE(contains(r.out, "US state:     WA (Washington)")) << r.out;
  r = cli({"total", "--by", "kind"});
  EXPECT_TRUE(contains(r.out, "filing")) << r.out;
  EXPECT_EQ(cli({"status", "5", "active"}).code, 0);
  r = cli({"total", "--state", "WA"});
  EXPECT_TRUE(contains(r.out, ": 2,320 (1 event selected: 1 counted)")) << r.out;
  r = cli({"status", "5", "active", "--note", "why"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "status_note")) << r.err;
  r = cli({"add", "--company", "Amazon", "--date", "2023-03-19", "--headcount", "5", "--state",
           "Wash."});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "us_state")) << r.err;
}

TEST_F(CliTest, MatchLinkUnlinkAndCoverage) {
  record_amazon();
  ASSERT_EQ(cli({"add", "--company", "Amazon", "--date", "2023-03-19", "--headcount", "2,320",
                 "--filing", "--state", "WA"})
                .code,
            0);
  // Before matching, the total counts the filing on its own and says so.
  const std::string note =
      "note: 1 filing is not linked to an announcement and is counted on its own; run "
      "'layoffs match' to review\n";
  CliRun r = cli({"total", "--company", "Amazon"});
  EXPECT_TRUE(contains(r.out, note)) << r.out;
  r = cli({"total", "--company", "Amazon", "--by", "year"});
  EXPECT_TRUE(contains(r.out, note)) << r.out;
  r = cli({"total", "--company", "Amazon", "--json"});
  EXPECT_TRUE(contains(r.out, "\"unmatched_filings\": 1")) << r.out;
  r = cli({"total", "--company", "Amazon", "--kind", "filing"});  // one kind: no note
  EXPECT_FALSE(contains(r.out, "note:")) << r.out;
  r = cli({"match"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out,
                       "+ Amazon's filing 5 of 2023-03-19 (2,320, WA) is filed 1 day before "
                       "Amazon's announcement 3 of 2023-03-20 (about 9,000)"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "1 proposal, 0 ambiguous; nothing linked (use --apply)")) << r.out;
  r = cli({"match", "--apply", "--json"});
  EXPECT_TRUE(contains(r.out, "\"linked\": 1")) << r.out;
  r = cli({"coverage", "--company", "Amazon", "--from", "2023-03", "--to", "2023"});
  EXPECT_EQ(r.out, "Amazon 2023-03-20 about 9,000: filings for 2,320 (26 %), WA 2,320\n");
  r = cli({"total", "--company", "Amazon", "--from", "2023-03", "--to", "2023-03"});
  EXPECT_TRUE(contains(r.out, "about 9,000 (2 events selected: 1 counted, 1 inside another)"))
      << r.out;
  EXPECT_FALSE(contains(r.out, "note:")) << r.out;  // matched: no note
  r = cli({"total", "--company", "Amazon", "--json"});
  EXPECT_TRUE(contains(r.out, "\"unmatched_filings\": 0")) << r.out;
  r = cli({"unlink", "5"});
  EXPECT_EQ(r.out, "event 5 is no longer inside event 3\n");
  r = cli({"link", "3", "5"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "now includes 1 event")) << r.out;
  r = cli({"link", "1", "5"});  // November cannot include a March notice
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "included[0]")) << r.err;
}

TEST_F(CliTest, ClaimsReconcileAndCheck) {
  record_amazon();
  EXPECT_EQ(cli({"claim", "add", "--company", "Amazon", "--from", "2022", "--to", "2023",
                 "--headcount", "more than 27,000"})
                .code,
            0);
  CliRun r = cli({"reconcile"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "consistent")) << r.out;
  r = cli({"check"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  for (const char* part : {"integrity_check: ok\n", "foreign_key_check: ok\n", "companies: ok\n",
                           "dates: ok\n", "inclusion bounds: ok\n"}) {
    EXPECT_TRUE(contains(r.out, part)) << r.out;
  }
  // A claim the events cannot meet makes check fail.
  EXPECT_EQ(cli({"claim", "add", "--company", "AWS", "--from", "2024", "--to", "2024",
                 "--headcount", "at least 5,000"})
                .code,
            0);
  r = cli({"check"});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "events_fall_short")) << r.out;
}

TEST_F(CliTest, BadInputExitsOneNamingTheFieldAndChangesNothing) {
  record_amazon();
  const std::string before = dump(dir_.file("layoffs.db"));
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"add", "--company", "Nobody", "--date", "2023-01-01", "--headcount", "5"}, "company"},
      {{"add", "--company", "Amazon", "--date", "2024-02-30", "--headcount", "5"}, "--date"},
      {{"add", "--company", "Amazon", "--date", "2024-02-01", "--headcount", "a bunch"},
       "--headcount"},
      {{"add", "--company", "Amazon", "--date", "2024-02-01", "--headcount", "5", "--pct", "150"},
       "--pct: 150 is not a percentage from 0 to 100"},
      {{"add", "--company", "Amazon", "--date", "2024-02-01", "--headcount", "5", "--includes",
        "99"},
       "--includes: no event has id \"99\""},
      {{"company", "add", "amazon"}, "name"},
      {{"total", "--company", "Amazon", "--from", "2024-13"}, "--from"},
      {{"show", "42"}, "id"},
  };
  for (const Case& c : cases) {
    const CliRun r = cli(c.args);
    EXPECT_EQ(r.code, 1) << c.args[0] << ": " << r.out << r.err;
    EXPECT_TRUE(contains(r.err, c.message)) << r.err;
  }
  EXPECT_EQ(dump(dir_.file("layoffs.db")), before);
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(cli({}).code, 2);
  EXPECT_EQ(cli({"frobnicate"}).code, 2);
  EXPECT_EQ(cli({"total", "--by", "planet"}).code, 2);
  EXPECT_EQ(cli({"add", "--company", "Amazon"}).code, 2);  // --date and --headcount missing
  EXPECT_EQ(cli({"export"}).code, 2);
}

TEST_F(CliTest, HelpWorksOnEveryCommand) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--help"},
                                             {"init", "--help"},
                                             {"company", "--help"},
                                             {"company", "add", "--help"},
                                             {"company", "alias", "--help"},
                                             {"company", "list", "--help"},
                                             {"company", "tree", "--help"},
                                             {"add", "--help"},
                                             {"list", "--help"},
                                             {"show", "--help"},
                                             {"total", "--help"},
                                             {"claim", "--help"},
                                             {"claim", "add", "--help"},
                                             {"reconcile", "--help"},
                                             {"import", "--help"},
                                             {"export", "--help"},
                                             {"check", "--help"}}) {
    const CliRun r = cli(args);
    EXPECT_EQ(r.code, 0) << args[0];
    EXPECT_TRUE(contains(r.out, "Usage:")) << args[0] << ": " << r.out;
  }
}

// ---- issue 13: the first hour ------------------------------------------------

TEST_F(CliTest, AnUnknownCommandIsNamedAndTheCommandsListed) {
  const CliRun r = cli({"frobnicate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.err, "unknown command 'frobnicate'")) << r.err;
  EXPECT_TRUE(contains(r.err, "commands: init, company, add, list, show, total")) << r.err;
  // With --db first, too; and a known command is not refused.
  EXPECT_TRUE(contains(cli({"--db", "x.db", "frobnicate"}).err, "unknown command 'frobnicate'"));
  EXPECT_EQ(cli({"--db", "x.db", "init"}).code, 0);
  const CliRun sub = cli({"company", "frobnicate"});
  EXPECT_EQ(sub.code, 2);
  EXPECT_EQ(sub.err,
            "layoffs: unknown command 'company frobnicate'\ncommands: add, alias, list, tree, "
            "suggest, merge\n"
            "Run 'layoffs company --help' for more.\n");
  EXPECT_EQ(cli({"company", "list", "frobnicate"}).code, 2);  // CLI11's own usage error
}

TEST_F(CliTest, VersionPrintsTheLibraryAndSchemaVersions) {
  const CliRun r = cli({"--version"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("layoffs ") + kVersion + " (library " + kVersion +
                       ", schema version " + std::to_string(Tracker::latest_schema_version()) +
                       ")\n");
}

TEST_F(CliTest, ByCompanyMeansTheCompaniesThemselvesEverywhere) {
  record_amazon();
  // Without --company: Amazon and AWS apart, as with --company Amazon.
  CliRun r = cli({"total", "--by", "company"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "\nAmazon ")) << r.out;
  EXPECT_TRUE(contains(r.out, "\nAWS ")) << r.out;
  const std::string within = cli({"total", "--company", "Amazon", "--by", "company"}).out;
  EXPECT_EQ(within.substr(within.find('\n')), r.out.substr(r.out.find('\n')));
  // The roll-up has its own name.
  r = cli({"total", "--by", "top-company"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "\nAmazon ")) << r.out;
  EXPECT_FALSE(contains(r.out, "\nAWS ")) << r.out;
}

TEST_F(CliTest, MessagesNameTheFlagTyped) {
  record_amazon();
  CliRun r = cli({"total", "--from", "2023", "--to", "2022-06"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "layoffs: --to 2022-06 is before --from 2023\n");
  r = cli({"list", "--from", "2023", "--to", "2022"});
  EXPECT_EQ(r.err, "layoffs: --to 2022 is before --from 2023\n");
  r = cli({"add", "--company", "Amazon", "--date", "2022-06-01", "--headcount", "5", "--includes",
           "3"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(
      r.err,
      "layoffs: --includes: event 3 is dated 2023-03-20, after this event (2022-06-01); an "
      "event can only include earlier ones (an announcement also filings up to 90 days later)\n");
}

TEST_F(CliTest, FilesTheSystemRefusesSayWhy) {
  std::filesystem::create_directory(dir_.file("adir"));
  CliRun r = cli({"--db", "adir", "list"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "layoffs: cannot open 'adir': Is a directory\n");
  r = cli({"--db", "nowhere/x.db", "init"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "layoffs: cannot open 'nowhere/x.db': no such directory 'nowhere'\n");
}

TEST_F(CliTest, ReadOnlyCommandsLeaveNoWalOrShmBehind) {
  record_amazon();
  const std::string db = dir_.file("layoffs.db");
  ASSERT_FALSE(std::filesystem::exists(db + "-wal"));
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"list"},
                                             {"show", "1"},
                                             {"total", "--by", "year"},
                                             {"company", "list"},
                                             {"company", "tree"},
                                             {"reconcile"},
                                             {"check"},
                                             {"export", "--format", "jsonl", "-o", "out.jsonl"}}) {
    const CliRun r = cli(args);
    EXPECT_EQ(r.code, 0) << args[0] << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(db + "-wal")) << args[0];
    EXPECT_FALSE(std::filesystem::exists(db + "-shm")) << args[0];
  }
}

TEST_F(CliTest, JsonLinesImportCountsCompaniesAndEventsApart) {
  record_amazon();
  ASSERT_EQ(cli({"claim", "add", "--company", "Amazon", "--from", "2022", "--to", "2023",
                 "--headcount", "more than 27,000"})
                .code,
            0);
  ASSERT_EQ(cli({"export", "--format", "jsonl", "-o", "all.jsonl"}).code, 0);
  const CliRun r = cli({"--db", "copy.db", "import", "all.jsonl"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out,
                       "all.jsonl (jsonl): companies 2, events 4 (imported 4, duplicates 0, "
                       "already present 0), claims 1, rejected 0, "))
      << r.out;
}

TEST_F(CliTest, AHandEditedFileIsCheckedAndPointsToCheck) {
  record_amazon();
  const std::string db = dir_.file("layoffs.db");
  // At the sqlite3 prompt (foreign keys off): a parent cycle.
  ASSERT_EQ(exec_at_prompt(db, "UPDATE company SET parent_id = 2 WHERE id = 1"), 0);
  CliRun r = cli({"company", "tree"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "their parent links form a cycle: Amazon, AWS (run 'layoffs check')"))
      << r.out;
  r = cli({"check"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.out,
                       "company parents form a cycle: Amazon (company 1) -> AWS (company 2) "
                       "-> Amazon (company 1)"))
      << r.out;
  // The headings say which part failed: SQLite's integrity_check passed.
  EXPECT_TRUE(contains(r.out, "integrity_check: ok\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "companies: 1 problem\n  company parents form a cycle")) << r.out;
  EXPECT_FALSE(contains(r.out, "FAILED")) << r.out;
  r = cli({"check", "--json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.out, R"("status":"problems")") ||
              contains(r.out, R"("status": "problems")"))
      << r.out;
  r = cli({"total", "--by", "company"});  // each company by itself: no merging
  EXPECT_TRUE(contains(r.out, "\nAmazon ")) << r.out;
  EXPECT_TRUE(contains(r.out, "\nAWS ")) << r.out;
  // A roll-up has no answer on a cycle: it fails, names the problem and
  // points to check, instead of printing a total.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"total", "--by", "top-company"},
        std::vector<std::string>{"total", "--company", "Amazon"},
        std::vector<std::string>{"list", "--company", "AWS"}}) {
    r = cli(args);
    EXPECT_EQ(r.code, 1) << args[0] << " " << args[1] << " " << args[2] << "\n" << r.out;
    EXPECT_TRUE(contains(r.err, "go round in a cycle")) << r.err;
    EXPECT_TRUE(contains(r.err, "run 'layoffs check'")) << r.err;
    EXPECT_EQ(r.out, "") << r.out;
  }
  r = cli({"total", "--company", "Amazon", "--no-subsidiaries"});  // no roll-up: answers
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(CliTest, CheckHeadingsNameThePartThatFailed) {
  record_amazon();
  const std::string db = dir_.file("layoffs.db");
  // A date in 2099, typed at the prompt: a date problem, not an integrity one.
  ASSERT_EQ(exec_at_prompt(db, "UPDATE layoff_event SET announced_on = '2099-01-02' WHERE id = 4"),
            0);
  CliRun r = cli({"check"});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "integrity_check: ok\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "companies: ok\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "dates: 1 problem\n  ")) << r.out;
  EXPECT_TRUE(contains(r.out, "2099-01-02")) << r.out;
}

}  // namespace
}  // namespace layoffs::test
