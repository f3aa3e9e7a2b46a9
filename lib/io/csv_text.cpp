// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "csv_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <layoffs/error.h>

namespace layoffs::io::detail {

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

// ---- Field helpers ------------------------------------------------------

namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Reads all of `text` as an unsigned decimal of `min` to `max` digits.
bool read_digits(std::string_view text, std::size_t min, std::size_t max, int& out) {
  if (text.size() < min || text.size() > max) {
    return false;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string header_key(std::string_view name) {
  name = trim(name);
  std::string key;
  key.reserve(name.size());
  bool space = false;
  for (const char c : name) {
    // "total_laid_off" and "Total laid off" name the same column.
    if (is_space(c) || c == '_') {
      space = true;
      continue;
    }
    if (space && !key.empty()) {
      key += ' ';
    }
    space = false;
    key += lower(c);
  }
  return key;
}

bool is_missing(std::string_view value) noexcept {
  value = trim(value);
  return value.empty() || iequals(value, "null") || iequals(value, "unknown");
}

Date parse_csv_date(std::string_view text, std::string_view column) {
  text = trim(text);
  const auto bad = [&] {
    return invalid_field(column, text,
                         "is not a date (M/D/YYYY, M/D/YY, YYYY-MM-DD or an ISO timestamp):");
  };
  try {
    if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
      const std::size_t slash2 = text.find('/', slash + 1);
      int month = 0, day = 0, year = 0;
      if (slash2 == std::string_view::npos || !read_digits(text.substr(0, slash), 1, 2, month) ||
          !read_digits(text.substr(slash + 1, slash2 - slash - 1), 1, 2, day) ||
          !read_digits(text.substr(slash2 + 1), 2, 4, year) || text.size() - slash2 - 1 == 3) {
        throw bad();
      }
      // M/D/YY (layoffs.fyi's own export): the century is 2000. The tracker
      // began in 2020 and the library refuses dates in the future, so no
      // two-digit year it could hold belongs to another century.
      if (text.size() - slash2 - 1 == 2) {
        year += 2000;
      }
      return Date::ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    }
    // "2023-01-04T00:00:00.000Z": the day it names is all we keep.
    if (text.size() > 10 && (text[10] == 'T' || text[10] == ' ')) {
      text = text.substr(0, 10);
    }
    return Date::parse(text, column);
  } catch (const Error&) {
    throw bad();
  }
}

double parse_csv_number(std::string_view text, std::string_view column) {
  const std::string_view given = trim(text);
  std::string_view t = given;
  if (!t.empty() && t.front() == '$') {
    t.remove_prefix(1);
  }
  char digits[64] = {};
  std::size_t n = 0;
  for (const char c : t) {
    if (c == ',') {
      continue;
    }
    if (n == sizeof digits) {
      throw invalid_field(column, given, "is not a number:");
    }
    digits[n++] = c;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(digits, digits + n, value);
  if (n == 0 || ec != std::errc() || end != digits + n || !std::isfinite(value)) {
    throw invalid_field(column, given, "is not a number:");
  }
  return value;
}

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
}

std::string csv_quoted(std::string_view field) {
  std::string out;
  append_csv_field(out, field);
  return out;
}

}  // namespace layoffs::io::detail
