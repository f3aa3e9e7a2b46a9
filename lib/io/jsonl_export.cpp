// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// JSON Lines export and import: one object per line, each with a "type"
// ("company", "event" or "claim"). The file names things by name and key,
// never by rowid, so it can be imported into any database, and it is written
// in an order that depends on the data alone, so export -> import into an
// empty database -> export gives the same bytes.
//
// Format rules, kept the same on both sides:
//  - key order is the order written below ("type" first);
//  - an optional field that is empty ("", [], no value) is left out;
//    booleans, "precision" and all five headcount parts are always written
//    (headcount "high" is null when unbounded);
//  - companies come parents first, then by name; events by announced date,
//    then key, moved later where needed so that an included event always
//    precedes the event including it; claims last, by period then company.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "export.h"
#include "export_order.h"
#include "importers.h"
#include "jsonl_common.h"
#include "stable_hash.h"

namespace layoffs::io {

namespace {

using Json = nlohmann::ordered_json;

// ---- Export -----------------------------------------------------------------

void put_text(Json& j, const char* name, const std::string& value) {
  if (!value.empty()) {
    j[name] = value;
  }
}

void put_list(Json& j, const char* name, const std::vector<std::string>& values) {
  if (!values.empty()) {
    j[name] = values;
  }
}

Json headcount_json(const Headcount& h) {
  Json j = Json::object();
  j["phrase"] = h.phrase();
  j["kind"] = std::string(to_string(h.kind()));
  j["low"] = h.low();
  j["high"] = h.high() ? Json(*h.high()) : Json(nullptr);
  j["estimate"] = h.estimate();
  return j;
}

Json source_json(const Source& s) {
  Json j = Json::object();
  j["url"] = s.url;
  put_text(j, "title", s.title);
  put_text(j, "publisher", s.publisher);
  if (s.published_on) {
    j["published_on"] = s.published_on->to_string();
  }
  j["tier"] = std::string(to_string(s.tier));
  return j;
}

void write_line(std::ostream& out, const Json& j) {
  out << j.dump() << '\n';
}

void export_companies(const Tracker& tracker, std::ostream& out) {
  std::vector<Company> companies = tracker.companies();
  std::sort(companies.begin(), companies.end(),
            [](const Company& a, const Company& b) { return a.name < b.name; });
  std::unordered_map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < companies.size(); ++i) {
    index.emplace(companies[i].id.value(), i);
  }
  std::vector<std::vector<std::size_t>> before(companies.size());
  for (std::size_t i = 0; i < companies.size(); ++i) {
    if (companies[i].parent) {
      if (const auto it = index.find(companies[i].parent->value()); it != index.end()) {
        before[i].push_back(it->second);
      }
    }
  }
  std::vector<std::size_t> by_name(companies.size());
  std::iota(by_name.begin(), by_name.end(), std::size_t{0});
  for (const std::size_t i : detail::stable_topological(by_name, before)) {
    const Company& c = companies[i];
    Json j = Json::object();
    j["type"] = "company";
    j["name"] = c.name;
    if (c.parent) {
      if (const auto it = index.find(c.parent->value()); it != index.end()) {
        j["parent"] = companies[it->second].name;
      }
    }
    put_list(j, "aliases", c.aliases);
    put_text(j, "industry", c.industry);
    put_text(j, "hq_location", c.hq_location);
    put_text(j, "country", c.country);
    write_line(out, j);
  }
}

void export_events(const Tracker& tracker, std::ostream& out) {
  const auto events = detail::events_in_export_order(tracker);
  std::unordered_map<std::int64_t, const std::string*> key_of;
  for (const auto& [event, key] : events) {
    key_of.emplace(event.id.value(), &key);
  }
  for (const auto& [e, key] : events) {
    Json j = Json::object();
    j["type"] = "event";
    j["key"] = key;
    j["company"] = e.company_name;
    j["announced_on"] = e.announced_on.to_string();
    j["precision"] = std::string(to_string(e.announced_on.precision()));
    if (e.effective_on) {
      j["effective_on"] = e.effective_on->to_string();
    }
    j["headcount"] = headcount_json(e.headcount);
    if (e.workforce_pct) {
      j["workforce_pct"] = *e.workforce_pct;
    }
    put_list(j, "departments", e.departments);
    if (!e.reasons.empty()) {
      Json reasons = Json::array();
      for (const Reason& r : e.reasons) {
        Json rj = Json::object();
        rj["name"] = r.name;
        if (r.category) {
          rj["category"] = std::string(to_string(*r.category));
        }
        reasons.push_back(std::move(rj));
      }
      j["reasons"] = std::move(reasons);
    }
    if (!e.sources.empty()) {
      Json sources = Json::array();
      for (const Source& s : e.sources) {
        sources.push_back(source_json(s));
      }
      j["sources"] = std::move(sources);
    }
    put_list(j, "locations", e.locations);
    put_text(j, "country", e.country);
    put_text(j, "notes", e.notes);
    put_text(j, "company_stage", e.company_stage);
    if (e.funds_raised_musd) {
      j["funds_raised_musd"] = *e.funds_raised_musd;
    }
    // Defaults are left out, so files written before these fields existed
    // still export byte for byte the same.
    if (e.kind != EventKind::announcement) {
      j["kind"] = std::string(to_string(e.kind));
    }
    put_text(j, "us_state", e.us_state);
    if (e.status != EventStatus::active) {
      j["status"] = std::string(to_string(e.status));
    }
    put_text(j, "status_note", e.status_note);
    if (e.added_on) {
      j["added_on"] = e.added_on->iso();
    }
    if (!e.includes.empty()) {
      Json includes = Json::array();
      for (const EventId inc : e.includes) {
        const auto it = key_of.find(inc.value());
        if (it == key_of.end()) {
          // Only a write between our reads can cause this; a dangling
          // reference would make the file unimportable.
          throw Error(ErrorCode::database,
                      "event " + key +
                          " includes an event that is no longer in the database; "
                          "export again");
        }
        includes.push_back(*it->second);
      }
      j["includes"] = std::move(includes);
    }
    write_line(out, j);
  }
}

void export_claims(const Tracker& tracker, std::ostream& out) {
  std::vector<std::pair<Claim, std::string>> claims;
  for (Claim& c : tracker.claims()) {
    Json j = Json::object();
    j["type"] = "claim";
    j["company"] = c.company_name;
    j["include_subsidiaries"] = c.include_subsidiaries;
    j["period_start"] = c.period_start.to_string();
    j["period_end"] = c.period_end.to_string();
    j["headcount"] = headcount_json(c.headcount);
    if (c.source) {
      j["source"] = source_json(*c.source);
    }
    put_text(j, "notes", c.notes);
    claims.emplace_back(std::move(c), j.dump());
  }
  // The line itself breaks the remaining ties, so the order never depends
  // on rowids.
  std::sort(claims.begin(), claims.end(), [](const auto& a, const auto& b) {
    const Claim& x = a.first;
    const Claim& y = b.first;
    if (x.period_start != y.period_start) {
      return x.period_start < y.period_start;
    }
    if (x.period_end != y.period_end) {
      return x.period_end < y.period_end;
    }
    if (x.company_name != y.company_name) {
      return x.company_name < y.company_name;
    }
    return a.second < b.second;
  });
  for (const auto& [claim, line] : claims) {
    out << line << '\n';
  }
}

}  // namespace

void export_jsonl(const Tracker& tracker, std::ostream& out) {
  export_companies(tracker, out);
  export_events(tracker, out);
  export_claims(tracker, out);
  if (!out) {
    throw Error(ErrorCode::io_error, "cannot write the JSON Lines export");
  }
}

}  // namespace layoffs::io
