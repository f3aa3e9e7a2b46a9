// Records Amazon's 2022-2024 layoffs (with subsidiaries, departments, reasons
// and sources) and answers the questions people ask of them.
//
//   amazon_layoffs [DATABASE]     (default: layoffs.db)
//
// Running it again adds nothing: companies are found by name and events that
// are already recorded are recognised as duplicates. It also writes
// amazon_report.html beside the database: the self-contained HTML report
// (charts and tables) that `layoffs report --company Amazon` makes.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <layoffs/layoffs.h>

#include "amazon_facts.h"
#include "report.h"

namespace {

using layoffs::Date;
using layoffs::Filter;
using layoffs::format_count;
using layoffs::Total;

std::string describe(const Total& t) {
  std::string out = t.to_string() + " (best estimate " + layoffs::format_count(t.estimate);
  out += t.unbounded() ? ", no upper bound" : "";
  // The words of Total's fields, as the CLI uses them.
  out += "; " + std::to_string(t.selected_events) +
         (t.selected_events == 1 ? " event selected" : " events selected");
  out += ", " + std::to_string(t.counted_events) + " counted";
  if (t.inside_events > 0) {
    out += ", " + std::to_string(t.inside_events) + " inside another";
  }
  if (t.superseded_events + t.retracted_events > 0) {
    out += ", " + std::to_string(t.superseded_events + t.retracted_events) +
           " superseded or retracted";
  }
  if (t.unknown_events > 0) {
    out += "; " + std::to_string(t.unknown_events) + " counted with no count";
  }
  return out + ")";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : "; ") + item;
  }
  return out;
}

int run(const std::string& path) {
  auto tracker = layoffs::Tracker::open(path);
  const layoffs::examples::AmazonFacts facts = layoffs::examples::record_amazon_facts(tracker);

  // Washington's WARN notice for 2,320 of the March 2023 cut, filed the day
  // before it was announced: the paperwork of the same people. The
  // announcement includes it, so the totals do not change, and it says how
  // much of the announced cut is on file.
  const layoffs::EventId wa_notice =
      tracker.record({.company = facts.amazon,
                      .announced_on = Date::parse("2023-03-19"),
                      .headcount = layoffs::Headcount::exact(2'320),
                      .locations = {"Seattle", "Bellevue"},
                      .notes = "WARN notice (Washington Employment Security Department)",
                      .key = "example:warn-wa-2023-03-19",
                      .kind = layoffs::EventKind::filing,
                      .us_state = "WA"});
  tracker.link(facts.mar_2023, std::vector<layoffs::EventId>{wa_notice});  // again: no-op

  const Filter amazon_2022_2023{
      .company = facts.amazon, .from = Date::parse("2022-01-01"), .to = Date::parse("2023-12-31")};
  const Total total = tracker.total(amazon_2022_2023);
  std::cout << "Amazon (incl. subsidiaries) 2022-01-01..2023-12-31: " << describe(total) << "\n";
  std::cout << "  as a headline: " << total.to_short_string() << " jobs\n\n";

  std::cout << "Announced and on file (WARN filings linked to their announcement):\n";
  const layoffs::Event notice = tracker.event(wa_notice);
  std::cout << "  filing " << notice.announced_on.to_string() << " " << notice.us_state << " "
            << notice.headcount.phrase() << " is inside the announcement of "
            << tracker.event(*notice.included_in).announced_on.to_string() << "\n";
  for (const auto& c : tracker.coverage(amazon_2022_2023)) {
    if (c.on_file.counted_events == 0) {
      continue;
    }
    std::cout << "  " << c.company << " " << c.announced_on.to_string() << " "
              << c.headcount.phrase() << ": filings for " << c.on_file.to_string();
    if (c.share) {
      std::cout << " (" << static_cast<long>(*c.share * 100 + 0.5) << " %)";
    }
    for (const auto& [state, t] : c.by_state) {
      std::cout << ", " << state << " " << t.to_string();
    }
    std::cout << "\n";
  }
  std::cout << "\n";

  std::cout << "Amazon (incl. subsidiaries) by year:\n";
  for (const auto& row : tracker.totals_by(layoffs::Grouping::year, {.company = facts.amazon})) {
    std::cout << "  " << row.label << "  " << describe(row.total) << "\n";
  }

  const Filter aws_2024{
      .company = facts.aws, .from = Date::parse("2024"), .to = Date::parse("2024")};
  std::cout << "\nAWS in 2024: " << describe(tracker.total(aws_2024)) << "\n";
  for (const auto& ev : tracker.events(aws_2024)) {
    std::cout << "  " << ev.announced_on.to_string() << "  " << ev.headcount.phrase() << " ["
              << format_count(ev.headcount.low()) << "–"
              << (ev.headcount.high() ? format_count(*ev.headcount.high()) : std::string("?"))
              << "]\n";
    std::cout << "    departments: " << join(ev.departments) << "\n";
    std::vector<std::string> reasons;
    for (const auto& r : ev.reasons) {
      reasons.push_back(r.name +
                        (r.category ? " (" + std::string(to_string(*r.category)) + ")" : ""));
    }
    std::cout << "    reasons:     " << join(reasons) << "\n";
    for (const auto& s : ev.sources) {
      std::cout << "    source:      " << s.url << "\n";
    }
  }

  std::cout << "\nClaims against the recorded events:\n";
  for (const auto& r : tracker.reconcile({.company = facts.amazon})) {
    std::cout << "  " << r.claim.company_name << " " << r.claim.period_start.to_string() << ".."
              << r.claim.period_end.to_string() << ": claimed \"" << r.claim.headcount.phrase()
              << "\" [" << format_count(r.claim.headcount.low()) << ", "
              << (r.claim.headcount.high() ? format_count(*r.claim.headcount.high())
                                           : std::string("unbounded"))
              << "]; events add up to " << r.events.to_string() << " -> " << to_string(r.verdict)
              << "\n";
  }
  // The same facts as a page a reader can look at (lib/report).
  layoffs::report::ReportOptions report_options;
  report_options.filter = {.company = facts.amazon};
  report_options.source_name = std::filesystem::path(path).filename().string();
  const std::filesystem::path report_path =
      std::filesystem::absolute(path).parent_path() / "amazon_report.html";
  std::ofstream report(report_path, std::ios::binary | std::ios::trunc);
  report << layoffs::report::render_html(layoffs::report::collect(tracker, report_options));
  report.close();
  if (!report) {
    std::cerr << "amazon_layoffs: cannot write " << report_path << "\n";
    return 1;
  }

  std::cout << "\nDatabase: " << path << " (" << tracker.count_events() << " events)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "layoffs.db";
  try {
    return run(path);
  } catch (const layoffs::Error& e) {
    std::cerr << "amazon_layoffs: " << e.what() << " [" << to_string(e.code()) << "]\n";
    return 1;
  }
}
