// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "cmd_names.h"

#include <iostream>

#include <layoffs/layoffs.h>

#include "names.h"
#include "output.h"

namespace layoffs::cli {

int company_suggest(const std::string& db, bool json) {
  const Tracker t = Tracker::open(db, {.read_only = true});
  const auto groups = io::suggest_company_merges(t);
  if (json) {
    Json out = Json::array();
    for (const auto& g : groups) {
      Json names = Json::array();
      for (const Company& c : g.companies) {
        names.push_back(c.name);
      }
      out.push_back(Json{{"companies", names}, {"reason", g.reason}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (groups.empty()) {
    std::cout << "No companies look like one another.\n";
    return 0;
  }
  for (const auto& g : groups) {
    std::string line;
    for (const Company& c : g.companies) {
      line += line.empty() ? "" : " | ";
      line += c.name + " (" + std::to_string(c.id.value()) + ")";
    }
    std::cout << line << "\n  " << g.reason << "\n";
  }
  std::cout << groups.size() << (groups.size() == 1 ? " group" : " groups")
            << "; merge one with: layoffs company merge FROM INTO\n";
  return 0;
}

int company_merge(const std::string& db, const std::string& from, const std::string& into) {
  Tracker t = Tracker::open(db);
  const Company f = t.company(t.company_id(from));
  const Company i = t.company(t.company_id(into));
  Filter own;
  own.company = f.id;
  own.include_subsidiaries = false;
  const auto events = t.count_events(own);
  t.merge_companies(f.id, i.id);
  std::cout << "merged " << f.name << " into " << i.name << ": " << events
            << (events == 1 ? " event" : " events") << " moved; \"" << f.name
            << "\" is now an alias of " << i.name << "\n";
  return 0;
}

}  // namespace layoffs::cli
