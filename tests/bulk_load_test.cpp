// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Tracker::transaction(work, Workload::bulk_load): layoff_event's indexes
// are dropped once the transaction has recorded enough events and built
// again before the commit. Nothing a caller can observe may differ from a
// normal transaction: ids, duplicates by key and by facts, totals, the
// schema after the commit, and all-or-nothing.
#include <memory>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "test_util.h"

namespace layoffs::test {
namespace {

const std::vector<std::string> kIndexes = {
    "layoff_event_company_date_idx|", "layoff_event_date_idx|",   "layoff_event_external_key_idx|",
    "layoff_event_kind_idx|",         "layoff_event_status_idx|", "layoff_event_us_state_idx|"};

std::string fingerprint(const Total& t) {
  return std::to_string(t.low) + ".." + (t.high ? std::to_string(*t.high) : "inf") + " ~" +
         std::to_string(t.estimate) + " " + std::to_string(t.counted_events) + "/" +
         std::to_string(t.unknown_events) + "/" + std::to_string(t.inside_events);
}

class BulkLoadTest : public ::testing::Test {
 protected:
  BulkLoadTest() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_, true);
    auto logger = std::make_shared<spdlog::logger>("layoffs-bulk-test", sink);
    logger->set_level(spdlog::level::debug);
    t_.emplace(Tracker::open(path_, {.bulk_load_min_events = 5, .logger = logger}));
    amazon_ = t_->add_company({.name = "Amazon"});
    aws_ = t_->add_company({.name = "AWS", .parent = amazon_});
  }

  // The i-th event: its own key, day and headcount; Amazon or AWS.
  NewEvent event(int i) const {
    return {.company = i % 2 == 0 ? amazon_ : aws_,
            .announced_on = Date::ymd(2022, 1, 1).plus_days(i),
            .headcount = Headcount::exact(10 + i),
            .key = "k" + std::to_string(i)};
  }

  std::vector<std::string> indexes() const {
    return query(path_,
                 "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = "
                 "'layoff_event' AND sql IS NOT NULL ORDER BY name");
  }
  std::int64_t events() const { return t_->count_events(); }
  int deferrals() const { return occurrences("indexes of layoff_event deferred"); }
  int rebuilds() const { return occurrences("indexes of layoff_event built again"); }
  int occurrences(const std::string& what) const {
    const std::string text = log_.str();
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
      ++n;
    }
    return n;
  }
  void expect_sound() const {
    EXPECT_EQ(indexes(), kIndexes);
    EXPECT_EQ(query(path_, "PRAGMA integrity_check"), std::vector<std::string>{"ok|"});
    EXPECT_TRUE(t_->check().empty());
  }

  TempDir dir_;
  std::string path_ = dir_.file("bulk.db");
  std::ostringstream log_;
  std::optional<Tracker> t_;
  CompanyId amazon_, aws_;
};

TEST_F(BulkLoadTest, DropsTheIndexesAndBuildsThemAgainBeforeTheCommit) {
  for (int i = 0; i < 3; ++i) {
    t_->record(event(i));
  }
  std::vector<EventId> ids;
  t_->transaction(
      [&] {
        for (int i = 3; i < 60; ++i) {
          ids.push_back(t_->record(event(i)));
        }
      },
      Workload::bulk_load);
  EXPECT_EQ(deferrals(), 1) << log_.str();
  EXPECT_EQ(rebuilds(), 1) << log_.str();
  ASSERT_EQ(ids.size(), 57u);
  for (std::size_t i = 1; i < ids.size(); ++i) {
    EXPECT_EQ(ids[i].value(), ids[i - 1].value() + 1);
  }
  expect_sound();
  EXPECT_EQ(events(), 60);

  // The same events recorded the ordinary way give the same answers.
  Tracker twin = Tracker::open(dir_.file("twin.db"));
  const CompanyId amazon = twin.add_company({.name = "Amazon"});
  const CompanyId aws = twin.add_company({.name = "AWS", .parent = amazon});
  ASSERT_EQ(amazon, amazon_);
  ASSERT_EQ(aws, aws_);
  for (int i = 0; i < 60; ++i) {
    twin.record(event(i));
  }
  for (const Filter& f : {Filter{}, Filter{.company = amazon_},
                          Filter{.company = amazon_, .include_subsidiaries = false},
                          Filter{.from = Date::ymd(2022, 1, 10), .to = Date::ymd(2022, 2, 10)}}) {
    EXPECT_EQ(fingerprint(t_->total(f)), fingerprint(twin.total(f)));
  }
  const auto mine = t_->totals_by(Grouping::month);
  const auto theirs = twin.totals_by(Grouping::month);
  ASSERT_EQ(mine.size(), theirs.size());
  for (std::size_t i = 0; i < mine.size(); ++i) {
    EXPECT_EQ(mine[i].label, theirs[i].label);
    EXPECT_EQ(fingerprint(mine[i].total), fingerprint(theirs[i].total));
  }
  // And the totals are read through the covering index again.
  bool covering = false;
  for (const std::string& row : t_->explain_total({.company = amazon_})) {
    covering =
        covering || row.find("COVERING INDEX layoff_event_company_date_idx") != std::string::npos;
  }
  EXPECT_TRUE(covering);
}

TEST_F(BulkLoadTest, KeysAlreadyPresentOrRecordedEarlierAreFoundWhileTheIndexesAreGone) {
  std::vector<EventId> before;
  for (int i = 0; i < 3; ++i) {
    before.push_back(t_->record(event(i)));
  }
  std::vector<EventId> ids;
  t_->transaction(
      [&] {
        for (int i = 3; i < 30; ++i) {
          ids.push_back(t_->record(event(i)));
        }
        ASSERT_EQ(deferrals(), 1) << log_.str();
        // A key from before the transaction, and one from inside it.
        EXPECT_EQ(t_->record(event(1)), before[1]);
        EXPECT_EQ(t_->record(event(20)), ids[17]);
        EXPECT_EQ(t_->find_event("k0"), before[0]);
        EXPECT_EQ(t_->find_event("k29"), ids.back());
        EXPECT_EQ(t_->find_event("k30"), std::nullopt);
        // The facts of an existing event under another key are another event.
        NewEvent same_facts = event(5);
        same_facts.key = "other";
        EXPECT_GT(t_->record(same_facts).value(), ids.back().value());
        // A batch mixes new keys and known ones.
        const std::vector<NewEvent> batch = {event(2), event(30), event(30)};
        const std::vector<EventId> got = t_->record_batch(batch);
        EXPECT_EQ(got[0], before[2]);
        EXPECT_EQ(got[1], got[2]);
        EXPECT_EQ(rebuilds(), 0) << "nothing needed the indexes yet";
      },
      Workload::bulk_load);
  expect_sound();
  EXPECT_EQ(events(), 32);
}

TEST_F(BulkLoadTest, AQueryInsideBuildsTheIndexesAgainForGood) {
  t_->transaction(
      [&] {
        for (int i = 0; i < 20; ++i) {
          t_->record(event(i));
        }
        ASSERT_EQ(deferrals(), 1);
        const Total total = t_->total({.company = amazon_});
        EXPECT_EQ(total.counted_events, 20);
        EXPECT_EQ(rebuilds(), 1);
        for (int i = 20; i < 60; ++i) {
          t_->record(event(i));
        }
        EXPECT_EQ(t_->record(event(3)), *t_->find_event("k3"));
      },
      Workload::bulk_load);
  EXPECT_EQ(deferrals(), 1) << "dropped again after a rebuild:\n" << log_.str();
  expect_sound();
  EXPECT_EQ(events(), 60);
}

TEST_F(BulkLoadTest, AnEventWithoutAKeyBuildsThemAgainAndItsDuplicateIsFound) {
  NewEvent keyless = event(100);
  keyless.key.clear();
  t_->transaction(
      [&] {
        for (int i = 0; i < 20; ++i) {
          t_->record(event(i));
        }
        ASSERT_EQ(deferrals(), 1);
        const EventId id = t_->record(keyless);
        EXPECT_EQ(rebuilds(), 1);
        EXPECT_EQ(t_->record(keyless), id);
      },
      Workload::bulk_load);
  expect_sound();
  EXPECT_EQ(events(), 21);
}

TEST_F(BulkLoadTest, ARollbackLeavesTheFileAsItWas) {
  for (int i = 0; i < 3; ++i) {
    t_->record(event(i));
  }
  const std::string before = dump(path_);
  EXPECT_THROW(t_->transaction(
                   [&] {
                     for (int i = 3; i < 40; ++i) {
                       t_->record(event(i));
                     }
                     throw std::runtime_error("changed my mind");
                   },
                   Workload::bulk_load),
               std::runtime_error);
  EXPECT_EQ(deferrals(), 1);
  EXPECT_EQ(dump(path_), before);
  expect_sound();
  // And the Tracker goes on normally.
  t_->record(event(3));
  EXPECT_EQ(t_->record(event(3)), *t_->find_event("k3"));
  EXPECT_EQ(events(), 4);
}

TEST_F(BulkLoadTest, KeysOfARolledBackSavepointAreFree) {
  t_->transaction(
      [&] {
        for (int i = 0; i < 10; ++i) {
          t_->record(event(i));
        }
        ASSERT_EQ(deferrals(), 1);
        EXPECT_THROW(t_->transaction([&] {
          for (int i = 100; i < 105; ++i) {
            t_->record(event(i));
          }
          throw std::runtime_error("undo");
        }),
                     std::runtime_error);
        EXPECT_EQ(t_->find_event("k100"), std::nullopt);
        // Takes the row id event 100 had in the savepoint.
        const EventId reused = t_->record(event(200));
        const EventId again = t_->record(event(100));
        EXPECT_NE(again, reused);
        EXPECT_EQ(t_->record(event(100)), again);
        EXPECT_EQ(t_->find_event("k100"), again);
        EXPECT_EQ(t_->find_event("k200"), reused);
        EXPECT_EQ(t_->find_event("k101"), std::nullopt);
      },
      Workload::bulk_load);
  expect_sound();
  EXPECT_EQ(events(), 12);
  EXPECT_EQ(query(path_, "SELECT count(*) FROM layoff_event WHERE external_key = 'k100'"),
            std::vector<std::string>{"1|"});
}

TEST_F(BulkLoadTest, IndexesBuiltInARolledBackSavepointAreThereAfterTheCommit) {
  t_->transaction(
      [&] {
        for (int i = 0; i < 10; ++i) {
          t_->record(event(i));
        }
        ASSERT_EQ(deferrals(), 1);
        EXPECT_THROW(t_->transaction([&] {
          EXPECT_EQ(t_->total().counted_events, 10);  // builds them, inside the savepoint
          throw std::runtime_error("undo");
        }),
                     std::runtime_error);
        EXPECT_EQ(rebuilds(), 1);
        for (int i = 10; i < 20; ++i) {
          t_->record(event(i));
        }
        EXPECT_EQ(t_->record(event(4)), *t_->find_event("k4"));
      },
      Workload::bulk_load);
  expect_sound();
  EXPECT_EQ(events(), 20);
}

TEST_F(BulkLoadTest, OnlyTheOutermostTransactionCounts) {
  t_->transaction([&] {
    t_->transaction(
        [&] {
          for (int i = 0; i < 30; ++i) {
            t_->record(event(i));
          }
        },
        Workload::bulk_load);
  });
  EXPECT_EQ(deferrals(), 0);
  expect_sound();
  EXPECT_EQ(events(), 30);
}

TEST_F(BulkLoadTest, AFileLargerThanTheLoadKeepsItsIndexes) {
  t_->transaction([&] {
    for (int i = 0; i < 30; ++i) {
      t_->record(event(i));
    }
  });
  t_->transaction(
      [&] {
        for (int i = 30; i < 55; ++i) {
          t_->record(event(i));
        }
      },
      Workload::bulk_load);
  EXPECT_EQ(deferrals(), 0) << "25 new events, 30 present";
  expect_sound();
}

TEST(BulkLoadOptions, AThresholdBelowOneIsRefused) {
  TempDir dir;
  try {
    (void)Tracker::open(dir.file("x.db"), {.bulk_load_min_events = 0});
    ADD_FAILURE() << "opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "bulk_load_min_events");
  }
}

}  // namespace
}  // namespace layoffs::test
