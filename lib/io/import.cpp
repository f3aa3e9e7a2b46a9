// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "import.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "importers.h"

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
  }
  return "auto";
}

Format parse_format(std::string_view text, std::string_view field) {
  for (const Format f : {Format::auto_detect, Format::layoffsfyi, Format::warn, Format::jsonl}) {
    if (text == to_string(f)) {
      return f;
    }
  }
  throw invalid_field(field, text, "is not a format (auto, layoffsfyi, warn or jsonl):");
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
  if (s.format == Format::jsonl) {
    return "companies " + std::to_string(s.company_lines) + ", events " +
           std::to_string(s.event_lines) + " (imported " + std::to_string(s.imported) +
           ", duplicates " + std::to_string(s.duplicates) + ", already present " +
           std::to_string(s.already_present) + "), claims " + std::to_string(s.claim_lines) +
           ", rejected " + std::to_string(s.rejected) + ", " + seconds + " s";
  }
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

// Guesses the format from the extension, else from the first line.
Format detect(const std::string& path) {
  const std::string ext = lower(std::filesystem::path(path).extension().string());
  if (ext == ".jsonl" || ext == ".ndjson") {
    return Format::jsonl;
  }
  std::ifstream in(path, std::ios::binary);
  std::string first;
  std::getline(in, first);
  first = lower(first);
  if (first.find("hash_id") != std::string::npos &&
      first.find("notice_date") != std::string::npos) {
    return Format::warn;
  }
  if (!first.empty() && first.front() == '{') {
    return Format::jsonl;
  }
  return Format::layoffsfyi;  // which reports an unknown header itself
}

}  // namespace

namespace detail {

bool is_valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    char32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;  // a stray continuation byte, an overlong lead (C0, C1) or F5..FF
    }
    if (end - p <= extra) {
      return false;
    }
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += extra + 1;
  }
  return true;
}

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
  const Format format = options.format == Format::auto_detect ? detect(path) : options.format;
  switch (format) {
    case Format::warn:
      return detail::import_warn(tracker, path, options);
    case Format::jsonl:
      return detail::import_jsonl(tracker, path, options);
    case Format::layoffsfyi:
    case Format::auto_detect:
      break;
  }
  return detail::import_layoffsfyi(tracker, path, options);
}

}  // namespace layoffs::io
