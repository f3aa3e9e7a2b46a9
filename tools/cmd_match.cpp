// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Announcements and their filings:
//   layoffs match [filters] [--apply] [--json]   propose (and apply) links
//   layoffs link INCLUDER INCLUDED...             link by hand
//   layoffs unlink INCLUDED                       make an event standalone
//   layoffs coverage [filters] [--json]           how much is on file, by state
#include <cmath>
#include <iostream>
#include <memory>

#include "commands.h"
#include "output.h"

namespace layoffs::cli {

namespace {

Json proposal_json(const MatchProposal& p) {
  Json j{{"filing", p.filing.value()},
         {"filing_company", p.filing_company},
         {"filing_date", p.filing_date.to_string()},
         {"filing_headcount", p.filing_headcount},
         {"filing_state", p.filing_state},
         {"announcement", p.announcement.value()},
         {"announcement_company", p.announcement_company},
         {"announcement_date", p.announcement_date.to_string()},
         {"announcement_headcount", p.announcement_headcount},
         {"days_after", p.days_after},
         {"room_before", p.room_before ? Json(*p.room_before) : Json(nullptr)},
         {"room_after", p.room_after ? Json(*p.room_after) : Json(nullptr)},
         {"ambiguous", p.ambiguous}};
  Json candidates = Json::array();
  for (const EventId c : p.candidates) {
    candidates.push_back(c.value());
  }
  j["candidates"] = candidates;
  j["reason"] = p.reason;
  return j;
}

// "filings for 2,320 (26 %), WA 2,320"
std::string coverage_text(const Coverage& c) {
  std::string out =
      c.company + " " + c.announced_on.to_string() + " " + c.headcount.phrase() + ": ";
  if (c.on_file.counted_events == 0) {
    return out + "no filings on file";
  }
  out += "filings for " + c.on_file.to_string();
  if (c.share) {
    out += " (" + std::to_string(static_cast<long>(std::lround(*c.share * 100))) + " %)";
  }
  for (const auto& [state, t] : c.by_state) {
    out += ", " + (state.empty() ? std::string("no state") : state) + " " + t.to_string();
  }
  return out;
}

}  // namespace

void add_match_commands(Registry& r) {
  struct Args {
    FilterArgs filter;
    bool apply = false, json = false;
    std::int64_t includer = 0;
    std::vector<std::int64_t> included;
  };
  auto a = std::make_shared<Args>();
  const std::string& db = r.db;

  CLI::App* match = r.app.add_subcommand(
      "match", "Propose links from filings (WARN notices) to the announcements they belong to");
  add_filter_options(match, a->filter);
  match->add_flag("--apply", a->apply,
                  "Link the proposals that are not ambiguous (one transaction)");
  match->add_flag("--json", a->json, "JSON output");
  r.handle(match, [a, &db] {
    Tracker t = Tracker::open(db, {.read_only = !a->apply});
    const auto proposals = t.match_filings(make_filter(t, a->filter));
    int ambiguous = 0;
    for (const auto& p : proposals) {
      ambiguous += p.ambiguous ? 1 : 0;
    }
    const int linked = a->apply ? t.apply_matches(proposals) : 0;
    if (a->json) {
      Json out = Json::array();
      for (const auto& p : proposals) {
        out.push_back(proposal_json(p));
      }
      std::cout << Json{{"proposals", out}, {"ambiguous", ambiguous}, {"linked", linked}}.dump(2)
                << "\n";
      return kOk;
    }
    for (const auto& p : proposals) {
      std::cout << (p.ambiguous ? "? " : "+ ") << p.reason << "\n";
    }
    std::cout << proposals.size() << (proposals.size() == 1 ? " proposal" : " proposals") << ", "
              << ambiguous << " ambiguous; "
              << (a->apply ? std::to_string(linked) + " linked"
                           : std::string("nothing linked (use --apply)"))
              << "\n";
    return kOk;
  });

  CLI::App* link = r.app.add_subcommand(
      "link",
      "Count events inside another: an announcement and its filings, a total and its parts");
  link->add_option("includer", a->includer, "The including event's id")->required();
  link->add_option("included", a->included, "Ids of the events it includes")->required();
  r.handle(link, [a, &db] {
    Tracker t = Tracker::open(db);
    std::vector<EventId> ids;
    for (const std::int64_t id : a->included) {
      ids.emplace_back(id);
    }
    t.link(EventId(a->includer), ids);
    const Event e = t.event(EventId(a->includer));
    std::cout << "event " << e.id.value() << " (" << e.company_name << " "
              << e.announced_on.to_string() << " " << e.headcount.phrase() << ") now includes "
              << e.includes.size() << (e.includes.size() == 1 ? " event" : " events") << "\n";
    return kOk;
  });

  CLI::App* unlink = r.app.add_subcommand("unlink", "Make an included event standalone again");
  unlink->add_option("included", a->includer, "The included event's id")->required();
  r.handle(unlink, [a, &db] {
    Tracker t = Tracker::open(db);
    const std::optional<EventId> was = t.event(EventId(a->includer)).included_in;
    t.unlink(EventId(a->includer));
    std::cout << "event " << a->includer
              << (was ? " is no longer inside event " + std::to_string(was->value())
                      : std::string(" was not inside another event"))
              << "\n";
    return kOk;
  });

  CLI::App* coverage = r.app.add_subcommand(
      "coverage", "How much of each announced cut is on file (linked filings), by state");
  add_filter_options(coverage, a->filter);
  coverage->add_flag("--json", a->json, "JSON output");
  r.handle(coverage, [a, &db] {
    Tracker t = Tracker::open(db, {.read_only = true});
    const auto rows = t.coverage(make_filter(t, a->filter));
    if (a->json) {
      Json out = Json::array();
      for (const auto& c : rows) {
        Json states = Json::object();
        for (const auto& [state, total] : c.by_state) {
          states[state.empty() ? "none" : state] = to_json(total);
        }
        out.push_back(Json{{"announcement", c.announcement.value()},
                           {"company", c.company},
                           {"announced_on", c.announced_on.to_string()},
                           {"headcount", c.headcount.phrase()},
                           {"on_file", to_json(c.on_file)},
                           {"share", c.share ? Json(*c.share) : Json(nullptr)},
                           {"by_state", states}});
      }
      std::cout << out.dump(2) << "\n";
      return kOk;
    }
    for (const auto& c : rows) {
      std::cout << coverage_text(c) << "\n";
    }
    return kOk;
  });
}

}  // namespace layoffs::cli
