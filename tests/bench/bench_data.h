// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Deterministic data for the benchmark cases. Everything is derived from fixed
// seeds, so two runs (and the two variants of a case) see the same data. The
// big files (the query database and the import CSV) are generated once and
// cached in the data directory under names that carry their sizes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <layoffs/ids.h>
#include <layoffs/model.h>

namespace bench {

// Announced dates fall in 2015-01-01 .. 2024-12-31.
constexpr int kFirstYear = 2015;
constexpr int kYears = 10;

// A database with the schema (created by Tracker::open, so tables, indexes
// and pragmas are the library's own) and nothing else. Built once per process
// in the work directory.
const std::string& empty_template();

// The schema plus Sizes::batch_companies companies "Company 0001".., whose
// ids are 1..batch_companies. Built once per process.
const std::string& record_template();

// `n` events for the record cases: each belongs to one of the template's
// companies, and has 2 departments (of 12), 2 reasons (of 10, with
// categories), 1 source with a URL of its own, and a headcount of every kind
// in realistic proportions. No two are duplicates of each other.
std::vector<layoffs::NewEvent> record_events(std::int64_t n, std::uint64_t seed,
                                             const std::string& url_prefix);

// The database the query cases read: Sizes::events events over a forest of
// three-level company trees (a top-level company, 4 subsidiaries, 5 below each:
// 25 companies a tree, Sizes::companies / 25 trees). Trees get events in
// Zipf proportions, so the first tree is the biggest, as Amazon's would be.
// 1% of events include an earlier event of the same company (chains occur),
// so the honest-total rules have work to do, including remainders where a
// date range or a month boundary falls between an event and one it includes.
struct QueryDb {
  std::string path;
  layoffs::CompanyId big_root;  // the top-level company of the first tree
  int query_year = 2022;        // total_company_range's year
};
// Generated on first use (a minute or so at full size), then cached.
const QueryDb& query_db();

// A layoffs.fyi CSV (header as in ../shared/data/layoffs_fyi_2020_2023.csv)
// with Sizes::csv_rows rows over Sizes::companies companies, no quoted fields
// and no two rows alike. Generated on first use, then cached.
const std::string& import_csv();
// A layoffs.fyi file of Sizes::real_fyi_rows rows (4,277 by default, the size
// of a 2020-2024 snapshot) made from ../shared/data/layoffs_fyi_2020_2023.csv:
// its 2,361 rows as they are (one bad date, five repeated rows), then again
// with each date a year later, and so on; company names with a space are
// written quoted, so the file has quoted fields. Cached.
const std::string& real_fyi_csv();
// A WARN file (the BLN integrated form of
// ../shared/data/warn_bln_integrated_slice_2023-01.csv) of
// Sizes::real_warn_rows notices (100,000 by default, about a state's decade
// of notices): the slice's rows again and again, each round with its own
// hash ids (ancestors renamed alike) and notice dates a week earlier than
// the round before. Cached.
const std::string& real_warn_csv();
// Its header, for the raw loader's flat table.
extern const char* const kCsvHeader;

}  // namespace bench
