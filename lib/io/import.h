// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Importing files into a Tracker. This layer sits on the public API only
// (<layoffs/...>); the core knows nothing of CSV or JSON.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <layoffs/error.h>
#include <layoffs/tracker.h>

namespace layoffs::io {

enum class Format {
  auto_detect,  // by extension (.jsonl/.ndjson) or else by the CSV header
  layoffsfyi,   // a layoffs.fyi export (any of its known header variants)
  warn,         // Big Local News warn-transformer integrated.csv
  jsonl,        // our own JSON Lines export
  csv,          // any CSV, read through a user's Mapping (mapping.h)
};
std::string_view to_string(Format f) noexcept;
// "auto", "layoffsfyi", "warn", "jsonl"; throws Error(invalid_argument) naming `field`.
Format parse_format(std::string_view text, std::string_view field = "format");

// A bad row, or a file that cannot be read: Error(invalid_argument) (or
// io_error for I/O) whose message starts with "FILE:LINE: ", where LINE is
// the physical line on which the bad row starts (1-based; the header is line
// 1). field() is "FILE:LINE"; file() and line() give the parts.
class ImportError : public Error {
 public:
  ImportError(std::string file, std::int64_t line, const std::string& reason,
              ErrorCode code = ErrorCode::invalid_argument);
  const std::string& file() const noexcept { return file_; }
  std::int64_t line() const noexcept { return line_; }

 private:
  std::string file_;
  std::int64_t line_;
};

struct ImportOptions {
  Format format = Format::auto_detect;
  // false (strict): the first bad row fails the whole import with
  // ImportError and nothing is imported. true: good rows are imported and
  // each bad row is counted as rejected and written to `rejects_path`.
  bool skip_bad = false;
  // With skip_bad: a CSV file of the rejected rows, header
  // "line,reason,record" (record = the row's original text). "" = none.
  std::string rejects_path;
  // CSV imports: a names file (CSV "name,company") mapping raw company
  // names to the companies the user chose (names.h). "" = none.
  std::string names_path;
  // Called now and then with bytes read so far and the file's size. May be empty.
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

struct ImportSummary {
  Format format = Format::auto_detect;  // the format actually read
  std::string variant;               // the header variant or mapping ("layoffs.fyi native export")
  std::int64_t rows_read = 0;        // data rows (not the header)
  std::int64_t imported = 0;         // new events recorded
  std::int64_t duplicates = 0;       // rows identical to an earlier row of the same file
  std::int64_t already_present = 0;  // rows imported by an earlier import
  std::int64_t rejected = 0;         // bad rows skipped (skip_bad only)
  double seconds = 0;
};

// "rows read 2361, imported 2355, duplicates 5, already present 0, rejected 1, 0.41 s"
std::string to_string(const ImportSummary& s);

// Imports `path` in one transaction (all of it, or with skip_bad all good
// rows). Memory stays flat whatever the file size: rows are streamed.
// Importing the same file again adds nothing: each row gets a stable key
// derived from the whole row (the event's key).
ImportSummary import_file(Tracker& tracker, const std::string& path,
                          const ImportOptions& options = {});

}  // namespace layoffs::io
