// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "tracker_fixture.h"

namespace layoffs::test {
namespace {

using CompanyTest = TrackerTest;

TEST_F(CompanyTest, AddAndReadBackEveryField) {
  const CompanyId amazon = t_.add_company({.name = "Amazon",
                                           .aliases = {"Amazon.com"},
                                           .industry = "Retail",
                                           .hq_location = "Seattle",
                                           .country = "United States"});
  const CompanyId aws =
      t_.add_company({.name = "AWS", .parent = amazon, .aliases = {"Amazon Web Services"}});
  const Company c = t_.company(aws);
  EXPECT_EQ(c.name, "AWS");
  ASSERT_TRUE(c.parent.has_value());
  EXPECT_EQ(*c.parent, amazon);
  EXPECT_EQ(c.aliases, std::vector<std::string>{"Amazon Web Services"});
  const Company a = t_.company(amazon);
  EXPECT_EQ(a.industry, "Retail");
  EXPECT_EQ(a.hq_location, "Seattle");
  EXPECT_EQ(a.country, "United States");
  EXPECT_FALSE(a.parent.has_value());
}

TEST_F(CompanyTest, LookupIgnoresCaseAndRepeatedWhitespace) {
  const CompanyId aws = t_.add_company({.name = "Amazon Web Services", .aliases = {"AWS"}});
  for (const char* spelling : {"amazon web services", "  AMAZON   Web\tServices ", "aws", "Aws"}) {
    const auto found = t_.find_company(spelling);
    ASSERT_TRUE(found.has_value()) << spelling;
    EXPECT_EQ(found->id, aws) << spelling;
  }
  EXPECT_FALSE(t_.find_company("Amazon").has_value());
  EXPECT_FALSE(t_.find_company("").has_value());
}

TEST_F(CompanyTest, UnicodeNamesAreStoredAsWrittenAndMatchLatin1Case) {
  const CompanyId uala = company("Ualá");
  EXPECT_EQ(t_.company(uala).name, "Ualá");
  EXPECT_EQ(t_.company_id("UALÁ"), uala);
  EXPECT_EQ(t_.company_id("ualá"), uala);
  const CompanyId kanji = company("株式会社メルカリ");
  EXPECT_EQ(t_.company_id("株式会社メルカリ"), kanji);
}

TEST_F(CompanyTest, OuterWhitespaceIsTrimmed) {
  const CompanyId id = company("  Meta  ");
  EXPECT_EQ(t_.company(id).name, "Meta");
}

TEST_F(CompanyTest, DuplicateNameIsRefusedAndChangesNothing) {
  company("Amazon");
  expect_rejected([&] { company("AMAZON"); }, ErrorCode::already_exists, "name");
}

TEST_F(CompanyTest, NameTakenByAnAliasIsRefused) {
  t_.add_company({.name = "Amazon Web Services", .aliases = {"AWS"}});
  expect_rejected([&] { company("aws"); }, ErrorCode::already_exists, "name");
  expect_rejected([&] { t_.add_company({.name = "Other", .aliases = {"Amazon web services"}}); },
                  ErrorCode::already_exists, "aliases[0]");
}

TEST_F(CompanyTest, AliasOfAnotherCompanyIsRefused) {
  const CompanyId a = company("Alphabet");
  company("Google");
  expect_rejected([&] { t_.add_alias(a, "google"); }, ErrorCode::already_exists, "alias");
}

TEST_F(CompanyTest, AddingAnAliasTwiceIsANoOp) {
  const CompanyId a = company("Alphabet");
  t_.add_alias(a, "Google LLC");
  t_.add_alias(a, "google  llc");
  t_.add_alias(a, "Alphabet");  // its own name
  EXPECT_EQ(t_.company(a).aliases, std::vector<std::string>{"Google LLC"});
}

TEST_F(CompanyTest, BlankOrBadNamesAreRefused) {
  expect_rejected([&] { company(""); }, ErrorCode::invalid_argument, "name");
  expect_rejected([&] { company("   \t "); }, ErrorCode::invalid_argument, "name");
  expect_rejected([&] { company(std::string(201, 'x')); }, ErrorCode::invalid_argument, "name");
  expect_rejected(
      [&] {
        company(
            "Bad\xff"
            "name");
      },
      ErrorCode::invalid_argument, "name");
  expect_rejected([&] { company(std::string("Nul\0name", 8)); }, ErrorCode::invalid_argument,
                  "name");
  expect_rejected([&] { company("Line\nbreak"); }, ErrorCode::invalid_argument, "name");
  expect_rejected([&] { t_.add_company({.name = "Ok", .aliases = {" "}}); },
                  ErrorCode::invalid_argument, "aliases[0]");
  expect_rejected([&] { t_.add_company({.name = "Ok", .industry = "\x01"}); },
                  ErrorCode::invalid_argument, "industry");
}

TEST_F(CompanyTest, UnknownParentIsNotFound) {
  expect_rejected([&] { t_.add_company({.name = "Orphan", .parent = CompanyId(999)}); },
                  ErrorCode::not_found, "parent");
}

TEST_F(CompanyTest, ParentCyclesAreRefused) {
  const CompanyId a = company("A");
  const CompanyId b = company("B", a);
  const CompanyId c = company("C", b);
  expect_rejected([&] { t_.set_parent(a, c); }, ErrorCode::cycle, "parent");
  expect_rejected([&] { t_.set_parent(a, a); }, ErrorCode::cycle, "parent");
  expect_rejected([&] { t_.set_parent(b, c); }, ErrorCode::cycle, "parent");
  // A legal move still works afterwards.
  t_.set_parent(c, a);
  EXPECT_EQ(*t_.company(c).parent, a);
  t_.set_parent(c, std::nullopt);
  EXPECT_FALSE(t_.company(c).parent.has_value());
}

// Regression: detaching a subsidiary left an inclusion across two company
// trees, after which neither event could be updated.
TEST_F(CompanyTest, ReparentingMustNotSplitAnInclusionAcrossTrees) {
  const CompanyId amazon = company("Amazon");
  const CompanyId aws = company("AWS", amazon);
  const CompanyId other = company("Other");
  const EventId part = t_.record({.company = aws,
                                  .announced_on = Date::parse("2023-03-20"),
                                  .headcount = Headcount::exact(400)});
  t_.record({.company = amazon,
             .announced_on = Date::parse("2023-03-20"),
             .headcount = Headcount::about(9'000),
             .includes = {part}});
  expect_rejected([&] { t_.set_parent(aws, std::nullopt); }, ErrorCode::invalid_inclusion,
                  "parent");
  expect_rejected([&] { t_.set_parent(aws, other); }, ErrorCode::invalid_inclusion, "parent");
  // Moving the whole tree keeps the inclusion inside one tree.
  t_.set_parent(amazon, other);
  EXPECT_EQ(*t_.company(amazon).parent, other);
}

TEST_F(CompanyTest, EnsureCompanyIsIdempotent) {
  const CompanyId first = t_.ensure_company({.name = "Twitch", .aliases = {"Twitch Interactive"}});
  const std::string before = dump(path_);
  EXPECT_EQ(t_.ensure_company({.name = "twitch"}), first);
  EXPECT_EQ(t_.ensure_company({.name = "Twitch Interactive"}), first);
  EXPECT_EQ(dump(path_), before);
}

TEST_F(CompanyTest, SubtreeListsTheCompanyAndAllDescendants) {
  const CompanyId a = company("Amazon");
  const CompanyId aws = company("AWS", a);
  const CompanyId stores = company("Physical Stores", aws);
  const CompanyId other = company("Other");
  auto tree = t_.subtree(a);
  std::sort(tree.begin(), tree.end());
  EXPECT_EQ(tree, (std::vector<CompanyId>{a, aws, stores}));
  EXPECT_EQ(t_.subtree(other), std::vector<CompanyId>{other});
  EXPECT_THROW(t_.subtree(CompanyId(12345)), Error);
}

TEST_F(CompanyTest, CompaniesAreListedByNameWithAliases) {
  company("zeta");
  t_.add_company({.name = "Alpha", .aliases = {"A1", "A2"}});
  company("Mid");
  const auto all = t_.companies();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name, "Alpha");
  EXPECT_EQ(all[0].aliases, (std::vector<std::string>{"A1", "A2"}));
  EXPECT_EQ(all[1].name, "Mid");
  EXPECT_EQ(all[2].name, "zeta");
}

TEST_F(CompanyTest, CompanyIdThrowsNotFoundNamingTheName) {
  try {
    t_.company_id("Nobody Inc");
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
    EXPECT_EQ(e.field(), "company");
    EXPECT_NE(std::string(e.what()).find("Nobody Inc"), std::string::npos);
  }
}

}  // namespace
}  // namespace layoffs::test
