// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// CSV input: a streaming, strict RFC 4180 reader of our own (no libcsv; see
// docs/ARCHITECTURE.md for why).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <layoffs/error.h>

#include "csv_text.h"
#include "import.h"

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

}  // namespace layoffs::io::detail
