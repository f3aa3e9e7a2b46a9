// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// CSV export: one row per event. The first columns are those of layoffs.fyi
// so the file drops into the same spreadsheets; ours follow and carry what
// those columns cannot (a headcount is an interval with a phrase, a date has a
// precision, an event has a key).
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <layoffs/error.h>

#include "csv_text.h"
#include "export.h"
#include "export_order.h"

namespace layoffs::io {

namespace {

constexpr std::string_view kHeader =
    "company,location,industry,total_laid_off,percentage_laid_off,date,stage,country,"
    "funds_raised_millions,source,parent_company,date_precision,headcount_phrase,"
    "headcount_kind,headcount_low,headcount_high,headcount_estimate,key,kind,status,status_note,"
    "us_state";

// RFC 4180, as every CSV this project writes (csv_text.h).
void put_field(std::string& row, std::string_view value) {
  detail::append_csv_field(row, value);
}

// Twelve significant digits: enough for any percentage or amount we accept,
// few enough that 35 / 100 prints as 0.35 and not as binary noise.
std::string number(double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", value);
  return buf;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) {
      out += separator;
    }
    out += item;
  }
  return out;
}

}  // namespace

void export_csv(const Tracker& tracker, std::ostream& out) {
  std::unordered_map<std::int64_t, Company> companies;
  for (Company& c : tracker.companies()) {
    const std::int64_t id = c.id.value();
    companies.emplace(id, std::move(c));
  }
  out << kHeader << '\n';
  std::string row;
  for (const auto& [e, key] : detail::events_in_export_order(tracker)) {
    const auto it = companies.find(e.company.value());
    const Company* company = it == companies.end() ? nullptr : &it->second;
    std::string parent;
    if (company != nullptr && company->parent) {
      if (const auto p = companies.find(company->parent->value()); p != companies.end()) {
        parent = p->second.name;
      }
    }
    const Headcount& h = e.headcount;
    // The event's own place and country where it has them (where the cuts
    // fall), else the company's, as in Filter::country.
    std::string location = join(e.locations, "; ");
    if (location.empty() && company != nullptr) {
      location = company->hq_location;
    }
    const std::string& country =
        !e.country.empty() || company == nullptr ? e.country : company->country;
    // layoffs.fyi has one number; it is only honest when the interval is a
    // single value ("10,000" or "about 10,000"). Otherwise it stays blank
    // and the headcount columns tell the truth.
    const bool single = h.high() && *h.high() == h.low();

    const std::string fields[] = {
        e.company_name,
        location,
        company != nullptr ? company->industry : std::string(),
        single ? std::to_string(h.low()) : std::string(),
        e.workforce_pct ? number(*e.workforce_pct / 100.0) : std::string(),
        e.announced_on.iso(),
        e.company_stage,
        country,
        e.funds_raised_musd ? number(*e.funds_raised_musd) : std::string(),
        e.sources.empty() ? std::string() : e.sources.front().url,
        parent,
        std::string(to_string(e.announced_on.precision())),
        h.phrase(),
        std::string(to_string(h.kind())),
        std::to_string(h.low()),
        h.high() ? std::to_string(*h.high()) : std::string(),
        std::to_string(h.estimate()),
        key,
        std::string(to_string(e.kind)),
        std::string(to_string(e.status)),
        e.status_note,
        e.us_state,
    };
    row.clear();
    for (const std::string& field : fields) {
      if (&field != &fields[0]) {
        row += ',';
      }
      put_field(row, field);
    }
    row += '\n';
    out << row;
  }
  if (!out) {
    throw Error(ErrorCode::io_error, "cannot write the CSV export");
  }
}

}  // namespace layoffs::io
