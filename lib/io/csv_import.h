// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The one import driver for CSV files. It owns everything import.h promises
// that is not about one format: one transaction (a bulk load), strict or
// skip_bad with a rejects file, duplicate accounting by stable key,
// progress, the summary, and the checks every row gets (column count,
// UTF-8, syntax). A format says only how a row becomes an event (mapping.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <layoffs/error.h>
#include <layoffs/model.h>
#include <layoffs/tracker.h>

#include "csv_reader.h"
#include "import.h"
#include "importers.h"
#include "names.h"

namespace layoffs::io::detail {

// ---- The import driver ------------------------------------------------

// How a row ended up.
enum class RowOutcome { imported, duplicate, already_present };

// The shared part of a CSV import. A format derives from it, maps the
// header in read_header() and turns rows into events in read_row(); run()
// does the rest.
class CsvImport {
 public:
  CsvImport(Tracker& tracker, std::string path, const ImportOptions& options, Format format);
  virtual ~CsvImport();
  CsvImport(const CsvImport&) = delete;
  CsvImport& operator=(const CsvImport&) = delete;

  ImportSummary run();

 protected:
  // Maps the header (its names are valid UTF-8). Throws Error to fail the
  // import at the header's line.
  virtual void read_header(const CsvRecord& header) = 0;
  // Fills `event` (already reset, company unset) and `company` from a row
  // whose field count matches the header and whose fields are valid UTF-8.
  // event.key must be set. Throws Error for a bad row.
  virtual void read_row(const CsvRecord& row, NewEvent& event, NewCompany& company) = 0;
  // Before a company new to this import is ensured (e.g. to set its parent).
  virtual void prepare_company(NewCompany& /*company*/) {}
  // After a row was imported or found: its event's id.
  virtual void recorded(const CsvRecord& /*row*/, EventId /*id*/, RowOutcome /*outcome*/) {}
  // After the last row, still inside the transaction.
  virtual void finish() {}
  // The column (as named in the header) a field of NewEvent or NewCompany
  // came from, or nullptr: the library's errors name its own fields
  // ("announced_on", "locations[1]", "sources[0].url"), which the person
  // reading the file does not know. Called for the row just read.
  virtual const std::string* column_of(std::string_view field) const {
    (void)field;
    return nullptr;
  }
  // e.what(), in terms of the file's columns where column_of() knows them.
  std::string reason_of(const Error& e) const;

  // For finish(): a row found bad after the fact (counted as rejected and,
  // with skip_bad, written to the rejects file with its text read again;
  // strict mode throws ImportError). `outcome` is what the row had been
  // counted as.
  void reject_late(std::int64_t line, const std::string& reason, RowOutcome outcome,
                   ErrorCode code = ErrorCode::invalid_argument);

  Tracker& tracker_;
  const std::string path_;
  const ImportOptions& options_;
  ImportSummary summary_;
  std::vector<std::string> columns_;  // the header names as written (trimmed)

 private:
  void process(const CsvRecord& row);
  void record(const CsvRecord& row);
  void reject(const CsvRecord& row, const std::string& reason,
              ErrorCode code = ErrorCode::invalid_argument);
  void write_reject(std::int64_t line, std::string_view reason, std::string_view text);
  void write_late_rejects();
  void report_progress(const CsvReader& reader, bool last);

  NewEvent event_;      // reused for every row
  NewCompany company_;  // likewise
  // The companies of the raw names met so far, and the " - site" each name
  // carried (added to its events' locations).
  struct Known {
    CompanyId id;
    std::string site;
  };
  // std::hash<std::string>: libstdc++ stores each node's hash with it for
  // this hash (not for a custom noexcept one, which it takes to be cheap),
  // so a lookup compares stored hashes instead of hashing again the keys of
  // the nodes it walks past; with the former transparent string_view hash
  // this lookup was the import's costliest C++ function in a profile.
  std::unordered_map<std::string, Known> companies_;
  std::unique_ptr<NameResolver> names_;
  // Events this import created have ids from first_new_ up to last_new_:
  // rowids only grow, so this tells rows found from an earlier import from
  // repeats within this file without remembering any keys.
  EventId first_new_;
  EventId last_new_;
  std::FILE* rejects_ = nullptr;
  std::string reject_line_;  // reused buffer
  std::vector<std::pair<std::int64_t, std::string>> late_rejects_;
  std::int64_t progress_at_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace layoffs::io::detail
