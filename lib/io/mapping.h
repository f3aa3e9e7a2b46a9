// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// A CSV format as data: which column feeds which field, and the few
// conventions that differ between publishers. Every CSV import (the known
// layoffs.fyi variants, Big Local News WARN, a user's --columns) is a
// Mapping run by one driver (csv_import.h), so adding a variant is a table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <layoffs/tracker.h>

#include "import.h"

namespace layoffs::io {

// What a column can feed. The names (to_string) are what --columns and a
// mapping file use.
enum class Field {
  company,         // the company's name (required)
  parent,          // the name of its parent company (created if new)
  industry,        // the company's industry
  hq,              // the company's headquarters ("Location HQ")
  country,         // the company's country
  date,            // the announcement or notice date (required)
  effective_date,  // when the cuts take effect
  date_added,      // when the tracker first listed the event (NewEvent::added_on)
  headcount,       // a count or phrase ("300", "several hundred")
  workforce_pct,   // the share cut: "16%", or a bare number on the mapping's scale
  stage,           // funding stage
  funds_musd,      // money raised, millions of US dollars ("$2,500 ")
  source,          // a URL (else kept in the notes)
  location,        // places of the cuts (split on the mapping's separators)
  state,           // a US state (postal code or name): the event's us_state, and a location
  notes,           // free text
  department,      // one department
  reason,          // one reason
  key,             // a stable id of the row: the event's key is prefix + this
  closure,         // a boolean: a closure (adds the reason "closure")
  temporary,       // a boolean: a temporary layoff
  superseded,      // a boolean: the publisher marks the row superseded (status superseded)
  amendment,       // a boolean: the row amends another (checked, informative)
  amends,          // the key column value of the row this one amends
  ignore,          // a known column that carries nothing we store
};
std::string_view to_string(Field f) noexcept;
// Throws Error(invalid_argument) naming `what`, listing the known names.
Field parse_field(std::string_view name, std::string_view what = "field");
// All fields' names, comma-separated (for messages and --help).
std::string field_names();

// How a share of the workforce without a '%' sign reads.
enum class ShareScale {
  fraction,  // 0.05 = 5 % (the Kaggle layoffs.fyi copy)
  percent,   // 5 = 5 % (the "tech layoffs" dumps)
};

struct ColumnMapping {
  Field field;
  std::string column;  // as written in the header (matched like header_key)
};

struct Mapping {
  std::string name;  // named in the import summary ("layoffs.fyi native export")
  std::vector<ColumnMapping> columns;
  ShareScale share_scale = ShareScale::fraction;
  // Characters that separate several places in a location field ("|", ";").
  std::string location_separators;
  // The event key: key_prefix + the key column if one is mapped, else
  // key_prefix + a hash of the row (whole_row) or of the mapped values.
  std::string key_prefix = "csv:";
  bool key_from_whole_row = false;
  // A count of 0 means "not given" (WARN: the publisher's own code reads it so).
  bool zero_headcount_unknown = false;
  EventKind kind = EventKind::announcement;  // every event's kind (WARN: filing)
  std::string event_country;                 // every event's country ("United States" for WARN)
  std::string notes;                         // every event's notes ("WARN notice (...)")
  // Columns the file may have that this mapping does not use: with
  // strict_header, any other column refuses the file.
  bool strict_header = false;
};

// "company=employer_name,date=notice_date,headcount=employees_affected":
// FIELD=COLUMN pairs. A column name holding ',' or '=' cannot be given this
// way (use a mapping file). Throws Error(invalid_argument) naming --columns.
Mapping parse_columns(std::string_view spec);
// A JSON mapping file (see README, "Any CSV by its columns"):
//   {"name": "...", "columns": {"company": "employer_name", ...},
//    "share_scale": "fraction"|"percent", "location_separators": "|",
//    "key_prefix": "...", "event_country": "...", "kind": "filing",
//    "zero_headcount_unknown": true}
// Throws Error(invalid_argument) naming the file and the member.
Mapping read_mapping_file(const std::string& path);

// Imports `path` with `mapping`: the same driver, parsers, validation,
// strict/skip_bad rules and stable keys as every other import.
ImportSummary import_csv(Tracker& tracker, const std::string& path, const Mapping& mapping,
                         const ImportOptions& options = {});

// The known variants, for detection and messages.
const std::vector<Mapping>& known_layoffsfyi_variants();
const Mapping& warn_integrated_mapping();

// The header and the first `rows` records of `path`, as a table for a
// person writing a mapping.
std::string show_columns(const std::string& path, int rows = 5);

}  // namespace layoffs::io
