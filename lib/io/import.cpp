// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "import.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "importers.h"
#include "mapping.h"

namespace layoffs::io {

std::string_view to_string(Format f) noexcept {
  switch (f) {
    case Format::auto_detect:
      return "auto";
    case Format::layoffsfyi:
      return "layoffsfyi";
    case Format::warn:
      return "warn";
    case Format::jsonl:
      return "jsonl";
    case Format::csv:
      return "csv";
  }
  return "auto";
}

Format parse_format(std::string_view text, std::string_view field) {
  for (const Format f :
       {Format::auto_detect, Format::layoffsfyi, Format::warn, Format::jsonl, Format::csv}) {
    if (text == to_string(f)) {
      return f;
    }
  }
  throw invalid_field(field, text, "is not a format (auto, layoffsfyi, warn, jsonl or csv):");
}

ImportError::ImportError(std::string file, std::int64_t line, const std::string& reason,
                         ErrorCode code)
    : Error(code, file + ":" + std::to_string(line) + ": " + reason,
            file + ":" + std::to_string(line)),
      file_(std::move(file)),
      line_(line) {}

std::string to_string(const ImportSummary& s) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", s.seconds);
  return "rows read " + std::to_string(s.rows_read) + ", imported " + std::to_string(s.imported) +
         ", duplicates " + std::to_string(s.duplicates) + ", already present " +
         std::to_string(s.already_present) + ", rejected " + std::to_string(s.rejected) + ", " +
         seconds + " s";
}

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// JSON Lines by the extension or a first line that opens an object; any
// other file is a CSV, whose header the CSV importer recognises.
bool is_jsonl(const std::string& path) {
  const std::string ext = lower(std::filesystem::path(path).extension().string());
  if (ext == ".jsonl" || ext == ".ndjson") {
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  std::string first;
  std::getline(in, first);
  return !first.empty() && first.front() == '{';
}

}  // namespace

namespace detail {

bool is_row_error(const Error& e) noexcept {
  switch (e.code()) {
    case ErrorCode::invalid_argument:
    case ErrorCode::not_found:
    case ErrorCode::already_exists:
    case ErrorCode::cycle:
    case ErrorCode::invalid_inclusion:
      return true;
    default:
      return false;
  }
}

}  // namespace detail

ImportSummary import_file(Tracker& tracker, const std::string& path, const ImportOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw ImportError(path, 0, "cannot read the file (it does not exist or is not a file)",
                      ErrorCode::io_error);
  }
  const Format format =
      options.format == Format::auto_detect && is_jsonl(path) ? Format::jsonl : options.format;
  if (format == Format::jsonl) {
    return detail::import_jsonl(tracker, path, options);
  }
  return detail::import_mapped(tracker, path, options, format, nullptr);
}

ImportSummary import_csv(Tracker& tracker, const std::string& path, const Mapping& mapping,
                         const ImportOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw ImportError(path, 0, "cannot read the file (it does not exist or is not a file)",
                      ErrorCode::io_error);
  }
  return detail::import_mapped(tracker, path, options, Format::csv, &mapping);
}

}  // namespace layoffs::io
