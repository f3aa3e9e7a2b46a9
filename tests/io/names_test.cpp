// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// One company, many names: the match key, resolution during imports (the
// WARN slice's Amazon), contractors kept apart, --names, suggest and merge.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "import.h"
#include "names.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

using io::fold_company_name;
using io::name_match_key;

const std::string kWarnSlice =
    std::string(LAYOFFS_SHARED_DATA_DIR) + "/warn_bln_integrated_slice_2023-01.csv";

TEST(NameKey, FoldsWhatDoesNotChangeIdentity) {
  EXPECT_EQ(name_match_key("Amazon"), "amazon");
  EXPECT_EQ(name_match_key("  AMAZON  "), "amazon");
  EXPECT_EQ(name_match_key("Amazon - New York City Region"), "amazon");
  EXPECT_EQ(name_match_key("AMAZON WEB SERVICES INC"), "amazon web services");
  EXPECT_EQ(name_match_key("Amazon Web Services, Inc."), "amazon web services");
  EXPECT_EQ(name_match_key("Amazon.com Services LLC"), "amazoncom services");
  EXPECT_EQ(name_match_key("Amazon.com Services L.L.C."), "amazoncom services");
  EXPECT_EQ(name_match_key("The Walt Disney Company"), "walt disney company");
  EXPECT_EQ(name_match_key("Land O&rsquo;Lakes, Inc."), "land olakes");
  EXPECT_EQ(name_match_key("Land O'Lakes Inc"), "land olakes");
  EXPECT_EQ(name_match_key("Children\xE2\x80\x99s Factory, LLC"), "childrens factory");
  EXPECT_EQ(name_match_key("Children's Factory"), "childrens factory");
  EXPECT_EQ(name_match_key("Acme\xC2\xA0\xC2\xA0Widgets   GmbH"), "acme widgets");
  EXPECT_EQ(name_match_key("Acme S. A."), "acme");
  EXPECT_EQ(name_match_key("Procter &amp; Gamble Co."), "procter and gamble");
  EXPECT_EQ(name_match_key("United Airlines Update"), "united airlines");
  EXPECT_EQ(name_match_key("Katerra Inc. Update Supplemental2"), "katerra");
  // A name that is only a legal form keeps it.
  EXPECT_EQ(name_match_key("Inc."), "inc");
  EXPECT_EQ(name_match_key("!!!"), "");
}

TEST(NameKey, NonAsciiNames) {
  EXPECT_EQ(name_match_key("Ual\xC3\xA1"), "uala");  // Ualá
  EXPECT_EQ(name_match_key("UALA"), "uala");
  EXPECT_EQ(name_match_key("ZALANDO SE"), "zalando");
  EXPECT_EQ(name_match_key("Zalando"), "zalando");
  EXPECT_EQ(name_match_key("\xC5\xA0koda Auto a.s."), "skoda auto");  // Škoda
  EXPECT_EQ(name_match_key("\xC5\xA0KODA"), "skoda");
  // 株式会社メルカリ: the company form is dropped, the katakana kept.
  EXPECT_EQ(
      name_match_key("\xE6\xA0\xAA\xE5\xBC\x8F\xE4\xBC\x9A\xE7\xA4\xBE\xE3\x83\xA1\xE3\x83\xAB"
                     "\xE3\x82\xAB\xE3\x83\xAA"),
      "\xE3\x83\xA1\xE3\x83\xAB\xE3\x82\xAB\xE3\x83\xAA");
  // Full-width letters (NFKC) and German sharp s (case folding).
  EXPECT_EQ(name_match_key("\xEF\xBC\xA1\xEF\xBC\xA3\xEF\xBC\xAD\xEF\xBC\xA5"), "acme");
  EXPECT_EQ(name_match_key("Gro\xC3\x9F"
                           "e AG"),
            name_match_key("GROSSE AG"));
  // A Japanese voicing mark changes the word: it is kept.
  EXPECT_NE(name_match_key("\xE3\x82\xB0"), name_match_key("\xE3\x82\xAF"));
}

TEST(NameKey, ContractorsAreNeverFoldedIntoTheirClient) {
  const auto orion = fold_company_name("Orion Logistics LLC - Amazon Delivery Service Partner");
  EXPECT_NE(orion.key, "amazon");
  EXPECT_EQ(orion.site, "");  // a relationship, not a site
  EXPECT_NE(orion.key.find("orion logistics"), std::string::npos);
  const auto flagship = fold_company_name("Flagship Facility Services Inc. at Meta Platforms Inc.");
  EXPECT_EQ(flagship.key, "flagship facility services inc at meta platforms");
  EXPECT_NE(flagship.key, name_match_key("Meta Platforms, Inc."));
  const auto nyc = fold_company_name("Amazon - New York City Region");
  EXPECT_EQ(nyc.base, "Amazon");
  EXPECT_EQ(nyc.site, "New York City Region");
  const auto site = fold_company_name("AMAZON IVSB - 3521 Point Pleasant");
  EXPECT_EQ(site.key, "amazon ivsb");
  EXPECT_EQ(site.site, "3521 Point Pleasant");
}

class NamesTest : public ::testing::Test {
 protected:
  NamesTest() : tracker_(Tracker::open(dir_.file("t.db"))) {}
  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.file(name);
    write_file(path, bytes);
    return path;
  }
  TempDir dir_;
  Tracker tracker_;
};

TEST_F(NamesTest, TheWarnSliceResolvesAmazonsNamesAndKeepsContractorsApart) {
  io::import_file(tracker_, kWarnSlice);
  const CompanyId amazon = tracker_.company_id("Amazon");
  // "Amazon - New York City Region" is an alias of Amazon, its site the
  // event's location.
  EXPECT_EQ(tracker_.company_id("Amazon - New York City Region"), amazon);
  const auto nyc = tracker_.events(Filter{.company = amazon});
  const bool has_nyc = std::any_of(nyc.begin(), nyc.end(), [](const Event& e) {
    return std::find(e.locations.begin(), e.locations.end(), "New York City Region") !=
           e.locations.end();
  });
  EXPECT_TRUE(has_nyc);
  // Every Amazon notice (WA, the Sunnyvale ones, NYC) is under Amazon.
  EXPECT_EQ(tracker_.count_events(Filter{.company = amazon}), 6);
  // No contractor is.
  for (const CompanyId c : tracker_.subtree(amazon)) {
    EXPECT_EQ(tracker_.company(c).name, "Amazon");
  }
  EXPECT_NE(tracker_.company_id("Orion Logistics LLC - Amazon Delivery Service Partner"), amazon);
  EXPECT_NE(tracker_.company_id("Flagship Facility Services Inc. at Meta Platforms Inc."), amazon);
  // The entity is decoded in the stored name.
  EXPECT_TRUE(tracker_.find_company("Land O\xE2\x80\x99Lakes, Inc."));
}

TEST_F(NamesTest, ImportsResolveToExistingCompaniesAndAliases) {
  const CompanyId zalando = tracker_.add_company({.name = "Zalando"});
  const CompanyId aws = tracker_.add_company({.name = "AWS", .aliases = {"Amazon Web Services"}});
  const std::string path = write("a.csv",
                                 "company,date,total_laid_off\n"
                                 "ZALANDO SE,2023-01-02,10\n"
                                 "AMAZON WEB SERVICES INC,2023-01-03,20\n"
                                 "Zalando SE - Berlin,2023-01-04,5\n");
  io::import_file(tracker_, path);
  EXPECT_EQ(tracker_.count_events(Filter{.company = zalando}), 2);
  EXPECT_EQ(tracker_.count_events(Filter{.company = aws}), 1);
  EXPECT_EQ(tracker_.companies().size(), 2U);
}

TEST_F(NamesTest, ANamesFileMapsRawNamesToTheCompaniesChosen) {
  const CompanyId amazon = tracker_.add_company({.name = "Amazon"});
  const std::string names = write("names.csv",
                                  "name,company\n"
                                  "Amazon.com Services LLC,Amazon\n"
                                  "AMAZON IVSB - 3521 Point Pleasant,Amazon\n");
  const std::string path = write("a.csv",
                                 "company,date,total_laid_off\n"
                                 "Amazon.com Services LLC,2023-01-02,10\n"
                                 "AMAZON IVSB - 3521 Point Pleasant,2023-01-03,20\n");
  io::import_file(tracker_, path, {.names_path = names});
  EXPECT_EQ(tracker_.count_events(Filter{.company = amazon}), 2);
  EXPECT_EQ(tracker_.companies().size(), 1U);
  // A names file naming an unknown company fails the import, by file and line.
  Tracker other = Tracker::open(dir_.file("other.db"));
  try {
    io::import_file(other, path, {.names_path = names});
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_EQ(e.file(), names);
    EXPECT_EQ(e.line(), 2);
  }
  EXPECT_EQ(other.count_events(), 0);
}

TEST_F(NamesTest, SuggestGroupsLikelyDuplicatesWithReasons) {
  const CompanyId a = tracker_.add_company({.name = "Ual\xC3\xA1"});
  tracker_.add_company({.name = "UALA INC"});
  tracker_.add_company({.name = "Abercrombie and Fitch Co"});
  tracker_.add_company({.name = "Abercrombie and Fitch Management Co"});
  tracker_.add_company({.name = "Orion Logistics LLC"});
  tracker_.add_company({.name = "Orion Logistics LLC - Amazon Delivery Service Partner"});
  tracker_.add_company({.name = "Mercadolibre"});
  tracker_.add_company({.name = "MercadoLibres"});
  const CompanyId amazon = tracker_.add_company({.name = "Amazon Stores"});
  tracker_.add_company({.name = "Amazon Stores Europe", .parent = amazon});
  const auto groups = io::suggest_company_merges(tracker_);
  std::vector<std::string> reasons;
  bool uala = false, abercrombie = false, mercado = false;
  for (const auto& g : groups) {
    std::vector<std::string> names;
    for (const Company& c : g.companies) {
      names.push_back(c.name);
    }
    if (g.companies.front().id == a) {
      uala = true;
      EXPECT_NE(g.reason.find("the same name"), std::string::npos) << g.reason;
    }
    if (names.front() == "Abercrombie and Fitch Co") {
      abercrombie = true;
      EXPECT_NE(g.reason.find("begins"), std::string::npos) << g.reason;
    }
    if (names.front() == "Mercadolibre") {
      mercado = true;
      EXPECT_NE(g.reason.find("alike"), std::string::npos) << g.reason;
    }
    // Never a contractor with its namesake client, never a linked pair.
    for (const std::string& n : names) {
      EXPECT_EQ(n.find("Partner"), std::string::npos) << g.reason;
      EXPECT_EQ(n.find("Europe"), std::string::npos) << g.reason;
    }
  }
  EXPECT_TRUE(uala);
  EXPECT_TRUE(abercrombie);
  EXPECT_TRUE(mercado);
}

TEST_F(NamesTest, MergeMovesEverythingInOneTransaction) {
  const CompanyId into = tracker_.add_company({.name = "Zalando"});
  const CompanyId from = tracker_.add_company({.name = "ZALANDO SE", .aliases = {"Zalando AG"}});
  const CompanyId child = tracker_.add_company({.name = "Zalando Lounge", .parent = from});
  const EventId e1 = tracker_.record({.company = from,
                                      .announced_on = Date::ymd(2023, 1, 2),
                                      .headcount = Headcount::parse("100")});
  tracker_.record({.company = into,
                   .announced_on = Date::ymd(2023, 2, 2),
                   .headcount = Headcount::parse("50")});
  tracker_.record_claim({.company = from,
                         .period_start = Date::ymd(2023, 1, 1),
                         .period_end = Date::ymd(2023, 12, 31),
                         .headcount = Headcount::parse("150")});
  tracker_.merge_companies(from, into);
  EXPECT_EQ(tracker_.event(e1).company, into);
  EXPECT_EQ(tracker_.company_id("ZALANDO SE"), into);  // FROM's name kept as an alias
  EXPECT_EQ(tracker_.company_id("Zalando AG"), into);
  EXPECT_EQ(tracker_.company(child).parent, into);
  ASSERT_EQ(tracker_.claims().size(), 1U);
  EXPECT_EQ(tracker_.claims()[0].company, into);
  EXPECT_EQ(tracker_.companies().size(), 2U);
  EXPECT_THROW(tracker_.company(from), Error);
  EXPECT_EQ(tracker_.total(Filter{.company = into}).low, 150);
  EXPECT_TRUE(tracker_.check().empty());
}

TEST_F(NamesTest, MergeRefusalsChangeNothing) {
  const CompanyId parent = tracker_.add_company({.name = "Amazon"});
  const CompanyId child = tracker_.add_company({.name = "AWS", .parent = parent});
  const std::string before = dump(dir_.file("t.db"));
  try {
    tracker_.merge_companies(parent, child);  // INTO inside FROM's tree
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cycle);
  }
  try {
    tracker_.merge_companies(parent, parent);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  }
  EXPECT_THROW(tracker_.merge_companies(parent, CompanyId(999)), Error);
  EXPECT_EQ(dump(dir_.file("t.db")), before);
  // A child merged into its parent is fine.
  tracker_.merge_companies(child, parent);
  EXPECT_EQ(tracker_.company_id("AWS"), parent);
}

}  // namespace
}  // namespace layoffs::test
