// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The text rules every importer and exporter shares: one UTF-8 check, one
// trim, one CSV quoting, and the parsers for the values CSV files hold.
#pragma once

#include <string>
#include <string_view>

#include <layoffs/date.h>

namespace layoffs::io::detail {

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or code points
// above U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;
// ---- Field helpers ----------------------------------------------------

// `s` without surrounding ASCII whitespace.
std::string_view trim(std::string_view s) noexcept;
// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;
// A header name as matched: trimmed, lower case, runs of spaces as one.
std::string header_key(std::string_view name);
// Blank, "NULL" or "Unknown" (any case): the exports' ways of saying nothing.
bool is_missing(std::string_view value) noexcept;
// "M/D/YYYY", "M/D/YY" (20YY), "YYYY-MM-DD" (or "YYYY-MM", "YYYY"), or an ISO timestamp
// such as "2023-01-04T00:00:00.000Z" (its date part). Throws
// Error(invalid_argument) naming `column`.
Date parse_csv_date(std::string_view text, std::string_view column);
// A decimal number, optionally with a leading '$' and thousands commas.
// Throws Error(invalid_argument) naming `column`.
double parse_csv_number(std::string_view text, std::string_view column);
// RFC 4180 quoting of one field (quoted only if it needs to be).
void append_csv_field(std::string& out, std::string_view field);
// The same, as a new string.
std::string csv_quoted(std::string_view field);

}  // namespace layoffs::io::detail
