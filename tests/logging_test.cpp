// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Logging: a caller-supplied logger receives the library's messages; the
// default logger is named "layoffs" and silent below warn.
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <layoffs/layoffs.h>
#include <layoffs/tracker.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "test_util.h"

namespace layoffs {
namespace {

using test::TempDir;

// A logger at level info writing into a string stream.
struct CapturingLogger {
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> logger;

  CapturingLogger() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out, /*force_flush=*/true);
    logger = std::make_shared<spdlog::logger>("layoffs-test-capture", sink);
    logger->set_level(spdlog::level::info);
  }
  std::string text() {
    logger->flush();
    return out.str();
  }
};

TEST(Logging, OpeningANewFileLogsTheAppliedMigration) {
  TempDir dir;
  const std::string path = dir.file("log.db");
  CapturingLogger capture;
  { Tracker t = Tracker::open(path, {.logger = capture.logger}); }
  const std::string text = capture.text();
  EXPECT_NE(text.find("0001_initial_schema"), std::string::npos) << text;
  EXPECT_NE(text.find("migration"), std::string::npos) << text;
}

TEST(Logging, ReopeningAnUpToDateFileLogsNoMigration) {
  TempDir dir;
  const std::string path = dir.file("log.db");
  { Tracker t = Tracker::open(path); }
  CapturingLogger capture;
  {
    Tracker t = Tracker::open(path, {.logger = capture.logger});
    EXPECT_EQ(t.schema_version(), Tracker::latest_schema_version());
  }
  const std::string text = capture.text();
  EXPECT_EQ(text.find("migration"), std::string::npos) << text;
  EXPECT_EQ(text.find("0001_initial_schema"), std::string::npos) << text;
}

TEST(Logging, MemoryDatabaseLogsItsMigrationToo) {
  CapturingLogger capture;
  Tracker t = Tracker::open(":memory:", {.logger = capture.logger});
  const std::string text = capture.text();
  EXPECT_NE(text.find("0001_initial_schema"), std::string::npos) << text;
}

// Leaves no logger named "layoffs" registered when the test ends, so the
// next user gets a fresh default one.
struct DropLayoffsLogger {
  DropLayoffsLogger() { spdlog::drop("layoffs"); }
  ~DropLayoffsLogger() { spdlog::drop("layoffs"); }
};

TEST(Logging, DefaultLoggerIsNamedLayoffsAndSilentBelowWarn) {
  DropLayoffsLogger guard;
  TempDir dir;
  { Tracker t = Tracker::open(dir.file("a.db")); }
  const auto logger = spdlog::get("layoffs");
  ASSERT_NE(logger, nullptr) << "no logger named \"layoffs\" after Tracker::open";
  EXPECT_EQ(logger->level(), spdlog::level::warn);

  // Watch the default logger: at warn, a new file's migration (info) is not
  // written; turned up to info as documented, it is.
  std::ostringstream out;
  logger->sinks().push_back(std::make_shared<spdlog::sinks::ostream_sink_mt>(out, true));
  { Tracker t = Tracker::open(dir.file("b.db")); }
  EXPECT_EQ(out.str(), "");
  logger->set_level(spdlog::level::info);
  { Tracker t = Tracker::open(dir.file("c.db")); }
  EXPECT_NE(out.str().find("0001_initial_schema"), std::string::npos) << out.str();
  logger->sinks().pop_back();
  logger->set_level(spdlog::level::warn);
}

TEST(Logging, ACallersLoggerDoesNotReplaceTheDefault) {
  DropLayoffsLogger guard;
  TempDir dir;
  CapturingLogger capture;
  { Tracker t = Tracker::open(dir.file("a.db"), {.logger = capture.logger}); }
  // Passing a logger registers nothing under the library's name.
  EXPECT_EQ(spdlog::get("layoffs-test-capture"), nullptr);
  { Tracker t = Tracker::open(dir.file("b.db")); }
  const auto logger = spdlog::get("layoffs");
  ASSERT_NE(logger, nullptr);
  EXPECT_NE(logger, capture.logger);
  EXPECT_EQ(logger->level(), spdlog::level::warn);
}

}  // namespace
}  // namespace layoffs
