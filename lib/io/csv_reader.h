// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// CSV input for the importers: a streaming RFC 4180 reader on libcsv, and
// the driver the two CSV importers (layoffs.fyi and WARN) share. The driver
// owns everything import.h promises that is not about one format: one
// transaction, strict or skip_bad with a rejects file, duplicate accounting
// by stable key, progress, and the checks every row gets (column count,
// UTF-8, syntax).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <layoffs/date.h>
#include <layoffs/error.h>
#include <layoffs/model.h>
#include <layoffs/tracker.h>

#include "import.h"
#include "importers.h"

namespace layoffs::io::detail {

// ---- Reading ----------------------------------------------------------

// One record. Its views stay valid until the record is passed to
// CsvReader::next() again (the storage is reused, so reading allocates
// nothing once the buffers have grown to the largest record).
class CsvRecord {
 public:
  // The physical line (1-based, counting '\n') on which the record starts;
  // for an unterminated quote, the line on which the quoted field opened.
  std::int64_t line() const noexcept { return line_; }
  std::size_t size() const noexcept { return ends_.size(); }
  // Field `i`, unquoted.
  std::string_view operator[](std::size_t i) const noexcept {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(data_).substr(begin, ends_[i] - begin);
  }
  // The record as it stood in the file, without its line terminator; cut at
  // CsvReaderOptions::max_text_bytes (then text_truncated()).
  std::string_view text() const noexcept { return text_; }
  bool text_truncated() const noexcept { return text_truncated_; }
  // Non-empty when the record could not be read as CSV (a stray quote, an
  // oversized field, an unterminated quote). The fields are then incomplete;
  // the reader has resynchronized and the next record is sound.
  const std::string& error() const noexcept { return error_; }

 private:
  friend class CsvReader;
  void clear() noexcept;

  std::int64_t line_ = 0;
  std::string data_;               // the fields back to back
  std::vector<std::size_t> ends_;  // where each field ends in data_
  std::string text_;
  bool text_truncated_ = false;
  std::string error_;
};

struct CsvReaderOptions {
  // Larger fields make the record bad (the reader stops buffering them).
  std::size_t max_field_bytes = 64 * 1024;
  // Limits on a whole record, so that no input makes memory grow.
  std::size_t max_record_bytes = 1024 * 1024;
  std::size_t max_fields = 10'000;
  // The original text kept per record, for the rejects file.
  std::size_t max_text_bytes = 16 * 1024;
};

// Reads a CSV file record by record in constant memory. Accepts LF, CRLF
// (and lone CR) line ends and skips a UTF-8 byte order mark and blank lines.
// Quoting is RFC 4180, strictly: a quote inside an unquoted field or text
// after a closing quote makes the record bad. Spaces are data (never
// trimmed), so a record reads back exactly as written.
class CsvReader {
 public:
  // Throws ImportError(io_error) if the file cannot be opened.
  explicit CsvReader(std::string path, const CsvReaderOptions& options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into `record`; false at the end of the file.
  // Throws ImportError(io_error) on a read error.
  bool next(CsvRecord& record);

  const std::string& path() const noexcept;
  std::int64_t bytes_read() const noexcept;  // including a BOM
  std::int64_t file_size() const noexcept;   // 0 if unknown (a pipe)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- Field helpers ----------------------------------------------------

// `s` without surrounding ASCII whitespace.
std::string_view trim(std::string_view s) noexcept;
// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;
// A header name as matched: trimmed, lower case, runs of spaces as one.
std::string header_key(std::string_view name);
// Blank, "NULL" or "Unknown" (any case): the exports' ways of saying nothing.
bool is_missing(std::string_view value) noexcept;
// "M/D/YYYY", "YYYY-MM-DD" (or "YYYY-MM", "YYYY"), or an ISO timestamp
// such as "2023-01-04T00:00:00.000Z" (its date part). Throws
// Error(invalid_argument) naming `column`.
Date parse_csv_date(std::string_view text, std::string_view column);
// A decimal number, optionally with a leading '$' and thousands commas.
// Throws Error(invalid_argument) naming `column`.
double parse_csv_number(std::string_view text, std::string_view column);
// RFC 4180 quoting of one field (quoted only if it needs to be).
void append_csv_field(std::string& out, std::string_view field);

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
  // After a row was imported or found: its event's id.
  virtual void recorded(const CsvRecord& /*row*/, EventId /*id*/, RowOutcome /*outcome*/) {}
  // After the last row, still inside the transaction.
  virtual void finish() {}
  // The column (as named in the header) a field of NewEvent or NewCompany
  // came from, or nullptr: the library's errors name its own fields
  // ("announced_on"), which the person reading the file does not know.
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

  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };

  NewEvent event_;      // reused for every row
  NewCompany company_;  // likewise
  std::unordered_map<std::string, CompanyId, NameHash, std::equal_to<>> companies_;
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
