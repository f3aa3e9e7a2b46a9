// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// A small fixed database for the report tests: a company with a subsidiary,
// every kind of headcount, inclusions (one of a WARN filing by its
// announcement), filings in two states, an unknown count, names that need
// escaping, and two claims (one the events agree with, one they fall short
// of). Fixed dates, so the golden SVGs never change unless a chart does.
#pragma once

#include <layoffs/layoffs.h>

namespace layoffs::test {

struct ReportFacts {
  CompanyId acme, acme_cloud, bolt, zurich;
};

inline ReportFacts record_report_facts(Tracker& t) {
  ReportFacts f;
  f.acme = t.add_company({.name = "Acme Corp", .industry = "Software", .country = "United States"});
  f.acme_cloud = t.add_company(
      {.name = "Acme Cloud", .parent = f.acme, .industry = "Cloud", .country = "United States"});
  f.bolt = t.add_company({.name = "Bolt & Sons <Ltd>", .industry = "Retail", .country = "Germany"});
  f.zurich = t.add_company({.name = "Zürich Data", .industry = "Data", .country = "Switzerland"});
  const EventId jan = t.record(
      {.company = f.acme,
       .announced_on = Date::ymd(2023, 1, 10),
       .headcount = Headcount::parse("about 1,000"),
       .departments = {"Sales"},
       .reasons = {{"cost cutting", ReasonCategory::cost_cutting}},
       .sources = {{.url = "https://news.example.com/acme-jan", .publisher = "Example News"}}});
  t.record({.company = f.acme,
            .announced_on = Date::ymd(2023, 3, 2),
            .headcount = Headcount::parse("just over 2,500"),
            .departments = {"Sales", "Support"},
            .sources = {{.url = "https://news.example.com/acme-mar"}},
            .includes = {jan}});
  // A WARN notice in Washington, filed before the announcement that
  // includes it (so it is counted once), and one in New York on its own.
  const EventId wa_notice = t.record({.company = f.acme_cloud,
                                      .announced_on = Date::ymd(2023, 2, 10),
                                      .headcount = Headcount::parse("212"),
                                      .kind = EventKind::filing,
                                      .us_state = "WA"});
  t.record({.company = f.acme_cloud,
            .announced_on = Date::ymd(2023, 2, 14),
            .headcount = Headcount::parse("several hundred"),
            .sources = {{.url = "javascript:alert(1)"}},
            .includes = {wa_notice}});
  t.record({.company = f.zurich,
            .announced_on = Date::ymd(2023, 6, 20),
            .headcount = Headcount::parse("15"),
            .kind = EventKind::filing,
            .us_state = "NY"});
  t.record({.company = f.acme_cloud,
            .announced_on = Date::year_month(2023, 5),
            .headcount = Headcount::unknown(),
            .notes = "No figure given."});
  t.record({.company = f.bolt,
            .announced_on = Date::ymd(2023, 4, 20),
            .headcount = Headcount::parse("40-60"),
            .reasons = {{"<b>closure</b>", ReasonCategory::closure}},
            .sources = {{.url = "https://example.org/bolt?a=1&b=2\"><script>x</script>"}}});
  t.record({.company = f.bolt,
            .announced_on = Date::ymd(2023, 6, 1),
            .headcount = Headcount::parse("up to 300")});
  t.record({.company = f.zurich,
            .announced_on = Date::ymd(2023, 6, 15),
            .headcount = Headcount::parse("120")});
  t.record_claim({.company = f.acme,
                  .period_start = Date::ymd(2023, 1, 1),
                  .period_end = Date::ymd(2023, 6, 30),
                  .headcount = Headcount::parse("more than 3,000")});
  t.record_claim({.company = f.bolt,
                  .period_start = Date::year_only(2023),
                  .period_end = Date::year_only(2023),
                  .headcount = Headcount::parse("500")});
  return f;
}

}  // namespace layoffs::test
