// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The Amazon facts of docs/DESIGN (public reporting, 2022-2024), recorded
// through the public API. Shared by the amazon_layoffs example and the tests,
// so both work on the same data. Recording is idempotent: companies are
// found-or-created and duplicate events return their existing ids.
#pragma once

#include <layoffs/layoffs.h>

namespace layoffs::examples {

struct AmazonFacts {
  CompanyId amazon, aws, twitch, one_medical, prime_video;
  EventId nov_2022, jan_2023, mar_2023, twitch_mar_2023;
  EventId twitch_jan_2024, prime_video_jan_2024, one_medical_feb_2024, aws_apr_2024;
  ClaimId claim_27000;
};

inline AmazonFacts record_amazon_facts(Tracker& t) {
  AmazonFacts f;
  f.amazon = t.ensure_company({.name = "Amazon",
                               .aliases = {"Amazon.com", "Amazon.com, Inc."},
                               .industry = "Retail",
                               .hq_location = "Seattle",
                               .country = "United States"});
  auto subsidiary = [&](std::string name, std::vector<std::string> aliases, std::string industry) {
    return t.ensure_company({.name = std::move(name),
                             .parent = f.amazon,
                             .aliases = std::move(aliases),
                             .industry = std::move(industry),
                             .country = "United States"});
  };
  f.aws = subsidiary("AWS", {"Amazon Web Services"}, "Cloud computing");
  f.twitch = subsidiary("Twitch", {"Twitch Interactive"}, "Media");
  f.one_medical = subsidiary("One Medical", {"Amazon One Medical"}, "Healthcare");
  f.prime_video =
      subsidiary("Prime Video & MGM Studios", {"Prime Video", "Amazon MGM Studios"}, "Media");

  const Source nov_2022_source{
      .url = "https://www.nytimes.com/2022/11/14/technology/amazon-layoffs.html",
      .title = "Amazon Is Said to Plan to Lay Off Thousands of Employees",
      .publisher = "The New York Times",
      .published_on = Date::ymd(2022, 11, 14),
      .tier = SourceTier::media_report};
  f.nov_2022 =
      t.record({.company = f.amazon,
                .announced_on = Date::ymd(2022, 11, 16),
                .headcount = Headcount::parse("about 10,000"),
                .departments = {"Devices (Alexa)", "Retail", "HR"},
                .reasons = {{"uncertain economy", ReasonCategory::market_conditions},
                            {"rapid hiring over the previous years", ReasonCategory::cost_cutting}},
                .sources = {nov_2022_source},
                .notes = "Reported by the press; the count was never confirmed on its own."});

  f.jan_2023 =
      t.record({.company = f.amazon,
                .announced_on = Date::ymd(2023, 1, 4),
                .headcount = Headcount::parse("just over 18,000"),
                .departments = {"Stores", "PXT"},
                .reasons = {{"uncertain economy", ReasonCategory::market_conditions},
                            {"rapid hiring over the previous years", ReasonCategory::cost_cutting}},
                .sources = {{.url = "https://www.aboutamazon.com/news/company-news/"
                                    "update-from-andy-jassy-on-culture-and-role-eliminations",
                             .title = "Update from Andy Jassy on culture and role eliminations",
                             .publisher = "Amazon",
                             .published_on = Date::ymd(2023, 1, 4),
                             .tier = SourceTier::company_statement}},
                .notes = "The figure includes the roles eliminated in November 2022.",
                .includes = {f.nov_2022}});

  const Source mar_2023_source{
      .url = "https://www.theverge.com/2023/3/20/23648348/amazon-layoffs-job-cuts-aws-twitch",
      .title = "Amazon's latest layoffs cut 9,000 more jobs in divisions including Twitch and AWS",
      .publisher = "The Verge",
      .published_on = Date::ymd(2023, 3, 20),
      .tier = SourceTier::media_report};
  f.twitch_mar_2023 = t.record({.company = f.twitch,
                                .announced_on = Date::ymd(2023, 3, 20),
                                .headcount = Headcount::parse("just over 400"),
                                .sources = {mar_2023_source},
                                .notes = "Part of Amazon's 9,000 of the same day."});
  f.mar_2023 = t.record({.company = f.amazon,
                         .announced_on = Date::ymd(2023, 3, 20),
                         .headcount = Headcount::parse("about 9,000"),
                         .departments = {"AWS", "Twitch", "Advertising", "PXT"},
                         .reasons = {{"uncertain economy", ReasonCategory::market_conditions},
                                     {"leaner operating plan", ReasonCategory::cost_cutting}},
                         .sources = {mar_2023_source},
                         .includes = {f.twitch_mar_2023}});

  f.claim_27000 = t.record_claim(
      {.company = f.amazon,
       .include_subsidiaries = true,
       .period_start = Date::year_only(2022),
       .period_end = Date::year_only(2023),
       .headcount = Headcount::parse("more than 27,000"),
       .source =
           Source{.url = "https://www.cnbc.com/2024/02/06/"
                         "amazon-cuts-hundreds-of-jobs-cut-in-pharmacy-one-medical-read-memo.html",
                  .title = "Amazon cuts hundreds of jobs in Pharmacy and One Medical units",
                  .publisher = "CNBC",
                  .published_on = Date::ymd(2024, 2, 6),
                  .tier = SourceTier::media_report},
       .notes = "\"cut more than 27,000 jobs between late 2022 and mid-2023\""});

  const Source jan_2024_source{
      .url =
          "https://www.upi.com/Top_News/US/2024/01/10/amazon-announces-layoffs-twitch-losses/"
          "2671704905250/",
      .title = "Amazon announces layoffs at Prime Video, MGM Studios and Twitch",
      .publisher = "UPI",
      .published_on = Date::ymd(2024, 1, 10),
      .tier = SourceTier::media_report};
  f.twitch_jan_2024 =
      t.record({.company = f.twitch,
                .announced_on = Date::year_month(2024, 1),
                .headcount = Headcount::parse("just over 500"),
                .workforce_pct = 35.0,
                .reasons = {{"building a more sustainable business", ReasonCategory::cost_cutting}},
                .sources = {jan_2024_source}});
  f.prime_video_jan_2024 =
      t.record({.company = f.prime_video,
                .announced_on = Date::ymd(2024, 1, 10),
                .headcount = Headcount::parse("several hundred"),
                .reasons = {{"reduce or discontinue investments in certain areas",
                             ReasonCategory::strategy_shift}},
                .sources = {jan_2024_source}});
  f.one_medical_feb_2024 = t.record(
      {.company = f.one_medical,
       .announced_on = Date::ymd(2024, 2, 6),
       .headcount = Headcount::parse("a few hundred"),
       .departments = {"One Medical", "Amazon Pharmacy"},
       .reasons = {{"reposition resources", ReasonCategory::restructuring}},
       .sources = {{.url =
                        "https://www.cnbc.com/2024/02/06/"
                        "amazon-cuts-hundreds-of-jobs-cut-in-pharmacy-one-medical-read-memo.html",
                    .publisher = "CNBC",
                    .published_on = Date::ymd(2024, 2, 6),
                    .tier = SourceTier::media_report}}});
  f.aws_apr_2024 = t.record(
      {.company = f.aws,
       .announced_on = Date::ymd(2024, 4, 3),
       .headcount = Headcount::parse("several hundred"),
       .departments = {"Sales, Marketing & Global Services: training and certification",
                       "Sales, Marketing & Global Services: sales operations",
                       "Sales, Marketing & Global Services: program management",
                       "Physical Stores Technology"},
       .reasons = {{"shift to self-serve digital training", ReasonCategory::strategy_shift},
                   {"instructor-led training outsourced to partners", ReasonCategory::outsourcing},
                   {"overlapping roles", ReasonCategory::restructuring},
                   {"streamlining", ReasonCategory::cost_cutting}},
       .sources = {{.url = "https://www.neowin.net/news/"
                           "amazon-web-services-will-lay-off-hundreds-of-team-members-as-it-faces-"
                           "growing-competition/",
                    .publisher = "Neowin",
                    .published_on = Date::ymd(2024, 4, 3),
                    .tier = SourceTier::media_report},
                   {.url = "https://www.storyboard18.com/brand-marketing/"
                           "layoffs-amazon-web-services-cuts-hundreds-in-sales-and-marketing-teams-"
                           "globally-28158.htm",
                    .publisher = "Storyboard18",
                    .published_on = Date::ymd(2024, 4, 4),
                    .tier = SourceTier::media_report}},
       .notes = "AWS said it was still hiring in priority areas."});
  return f;
}

}  // namespace layoffs::examples
