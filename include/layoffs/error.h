// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <layoffs/export.h>

namespace layoffs {

// What went wrong, in a form a program can switch on. Codes are stable: they
// are part of the public contract and are never renumbered.
enum class ErrorCode {
  invalid_argument = 1,     // a field holds a value we refuse; field() and value() name it
  not_found = 2,            // a company, event or claim that does not exist
  already_exists = 3,       // a name or alias that is taken
  cycle = 4,                // a company made its own ancestor
  invalid_inclusion = 5,    // an event including itself, a later event, an unrelated one
  not_a_database = 10,      // the file is not an SQLite database
  foreign_database = 11,    // an SQLite database that belongs to another application
  schema_too_new = 12,      // written by a newer version of this library
  schema_outdated = 13,     // needs migrating, but the open is read-only
  migration_mismatch = 14,  // an applied migration differs from the one embedded here
  read_only = 15,           // a write through a read-only Tracker
  cannot_open = 16,         // the operating system refused the file (permission, a directory, ...)
  moved_from = 17,          // a call on a Tracker that was moved from
  busy = 20,                // the database stayed locked longer than the busy timeout
  corrupt = 21,             // SQLite reports the file as malformed
  io_error = 22,            // the operating system failed a read, write or sync
  disk_full = 23,           // SQLITE_FULL
  out_of_memory = 24,       // SQLITE_NOMEM
  constraint = 25,          // the schema refused a row the library let through (a bug: report it)
  database = 26,            // any other SQLite error
};

// A short stable name for a code, e.g. "invalid_argument".
LAYOFFS_EXPORT std::string_view to_string(ErrorCode code) noexcept;

// The one exception type the library throws (besides std::bad_alloc).
//
// what() is a complete sentence for a person. For bad input it names the field
// and quotes the value, e.g.
//   headcount: cannot read "a bunch" as a headcount
// field() and value() carry the same two parts for programs. For errors that
// came from SQLite, sqlite_code() holds the extended result code (0 otherwise).
class LAYOFFS_EXPORT Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, std::string field = {}, std::string value = {},
        int sqlite_code = 0);

  ErrorCode code() const noexcept { return code_; }
  const std::string& field() const noexcept { return field_; }
  const std::string& value() const noexcept { return value_; }
  int sqlite_code() const noexcept { return sqlite_code_; }

 private:
  ErrorCode code_;
  std::string field_;
  std::string value_;
  int sqlite_code_;
};

// Builds the standard invalid-input error: `<field>: <problem> "<value>"`, or,
// when `problem` holds "{}", the value there instead (a plain number
// unquoted), so the message reads as a sentence:
//   invalid_field("workforce_pct", "150", "{} is not a percentage from 0 to 100")
//   -> workforce_pct: 150 is not a percentage from 0 to 100
// Control characters and over-long values are escaped/shortened in the message
// (the value() accessor keeps the value as given, up to 200 bytes).
LAYOFFS_EXPORT Error invalid_field(std::string_view field, std::string_view value,
                                   std::string_view problem,
                                   ErrorCode code = ErrorCode::invalid_argument);

}  // namespace layoffs
