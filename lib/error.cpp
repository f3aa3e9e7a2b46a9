// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include <layoffs/error.h>

#include <algorithm>
#include <cstdio>
#include <utility>

namespace layoffs {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::already_exists:
      return "already_exists";
    case ErrorCode::cycle:
      return "cycle";
    case ErrorCode::invalid_inclusion:
      return "invalid_inclusion";
    case ErrorCode::not_a_database:
      return "not_a_database";
    case ErrorCode::foreign_database:
      return "foreign_database";
    case ErrorCode::schema_too_new:
      return "schema_too_new";
    case ErrorCode::schema_outdated:
      return "schema_outdated";
    case ErrorCode::migration_mismatch:
      return "migration_mismatch";
    case ErrorCode::read_only:
      return "read_only";
    case ErrorCode::cannot_open:
      return "cannot_open";
    case ErrorCode::moved_from:
      return "moved_from";
    case ErrorCode::busy:
      return "busy";
    case ErrorCode::corrupt:
      return "corrupt";
    case ErrorCode::io_error:
      return "io_error";
    case ErrorCode::disk_full:
      return "disk_full";
    case ErrorCode::out_of_memory:
      return "out_of_memory";
    case ErrorCode::constraint:
      return "constraint";
    case ErrorCode::database:
      return "database";
  }
  return "unknown";
}

Error::Error(ErrorCode code, const std::string& message, std::string field, std::string value,
             int sqlite_code)
    : std::runtime_error(message),
      code_(code),
      field_(std::move(field)),
      value_(std::move(value)),
      sqlite_code_(sqlite_code) {}

namespace {

// Quotes a value for a message: escapes quotes, backslashes and control bytes,
// and shortens anything long so one bad 1 MB field does not make a 1 MB message.
std::string quote_for_message(std::string_view value) {
  constexpr std::size_t kShown = 80;
  std::string out = "\"";
  std::size_t n = 0;
  for (char c : value) {
    if (n++ == kShown) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  if (value.size() > kShown) {
    out += " (" + std::to_string(value.size()) + " bytes)";
  }
  return out;
}

// A plain number reads better unquoted ("event 4", "not 150").
bool is_plain_number(std::string_view value) {
  if (value.empty() || value.size() > 20) {
    return false;
  }
  std::size_t digits = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (!((c == '-' && i == 0) || c == '.')) {
      return false;
    }
  }
  return digits > 0;
}

}  // namespace

Error invalid_field(std::string_view field, std::string_view value, std::string_view problem,
                    ErrorCode code) {
  std::string message;
  message.reserve(field.size() + problem.size() + value.size() + 8);
  message.append(field).append(": ");
  if (const auto at = problem.find("{}"); at != std::string_view::npos) {
    message.append(problem.substr(0, at))
        .append(is_plain_number(value) ? std::string(value) : quote_for_message(value))
        .append(problem.substr(at + 2));
  } else {
    message.append(problem).append(" ").append(quote_for_message(value));
  }
  constexpr std::size_t kKept = 200;
  return Error(code, message, std::string(field),
               std::string(value.substr(0, std::min(value.size(), kKept))));
}

}  // namespace layoffs
