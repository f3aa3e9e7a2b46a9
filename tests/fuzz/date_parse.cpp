// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Fuzz target: Date::parse.
//
// Date::parse is checked against a second, independent reader of the three
// documented forms ("YYYY-MM-DD", "YYYY-MM", "YYYY"; years 0001-9999; real
// calendar dates): both must accept the same inputs with the same parts.
// An accepted date must
//  - print back as the input (to_string) and parse back equal;
//  - have iso(), first_day(), last_day() and days_since_epoch() that agree
//    with the calendar computed here (leap years, month lengths, days from
//    1970-01-01), and plus_days() that walks between them;
//  - order as documented: first_day() <= date <= last_day();
//  - be rebuilt equal by the ymd/year_month/year_only factories.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <layoffs/layoffs.h>

#include "fuzz_check.h"

namespace {

using layoffs::Date;
using layoffs::DatePrecision;
using layoffs::Error;
using layoffs::ErrorCode;
using layoffs::fuzz::quoted;

struct Parts {
  int year = 0;
  unsigned month = 1;
  unsigned day = 1;
  DatePrecision precision = DatePrecision::day;
};

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned month_days(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Days from 1970-01-01 to y-m-d, counted day by day per year and month.
long days_from_epoch(int y, unsigned m, unsigned d) {
  long days = 0;
  if (y >= 1970) {
    for (int year = 1970; year < y; ++year) {
      days += leap(year) ? 366 : 365;
    }
  } else {
    for (int year = y; year < 1970; ++year) {
      days -= leap(year) ? 366 : 365;
    }
  }
  for (unsigned month = 1; month < m; ++month) {
    days += month_days(y, month);
  }
  return days + static_cast<long>(d) - 1;
}

bool digits(std::string_view s) {
  for (const char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

int number(std::string_view s) {
  int n = 0;
  for (const char c : s) {
    n = n * 10 + (c - '0');
  }
  return n;
}

// The documented grammar, read independently of the library.
std::optional<Parts> reference_parse(std::string_view s) {
  Parts p;
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) {
    return std::nullopt;
  }
  if (!digits(s.substr(0, 4))) {
    return std::nullopt;
  }
  p.year = number(s.substr(0, 4));
  if (p.year < 1) {
    return std::nullopt;
  }
  p.precision = DatePrecision::year;
  if (s.size() >= 7) {
    if (s[4] != '-' || !digits(s.substr(5, 2))) {
      return std::nullopt;
    }
    p.month = static_cast<unsigned>(number(s.substr(5, 2)));
    if (p.month < 1 || p.month > 12) {
      return std::nullopt;
    }
    p.precision = DatePrecision::month;
  }
  if (s.size() == 10) {
    if (s[7] != '-' || !digits(s.substr(8, 2))) {
      return std::nullopt;
    }
    p.day = static_cast<unsigned>(number(s.substr(8, 2)));
    if (p.day < 1 || p.day > month_days(p.year, p.month)) {
      return std::nullopt;
    }
    p.precision = DatePrecision::day;
  }
  return p;
}

std::string ymd_text(int y, unsigned m, unsigned d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256) {
    return 0;
  }
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::optional<Parts> expected = reference_parse(input);
  std::optional<Date> parsed;
  try {
    parsed = Date::parse(input);
  } catch (const Error& e) {
    FUZZ_CHECK(!expected, "input " + quoted(input) + " is a valid date but threw " + e.what());
    FUZZ_CHECK(e.code() == ErrorCode::invalid_argument && e.field() == "date",
               "input " + quoted(input) + " threw " + e.what());
    try {
      (void)Date::parse(input, "announced_on");
      FUZZ_CHECK(false, "input " + quoted(input) + " parses with another field name");
    } catch (const Error& e2) {
      FUZZ_CHECK(e2.field() == "announced_on", "input " + quoted(input) + " threw " + e2.what());
    }
    return 0;
  }
  const Date& d = *parsed;
  const std::string where = "input " + quoted(input) + " (parsed as " + d.to_string() + ")";
  FUZZ_CHECK(expected, where + " is not a valid date but was accepted");
  FUZZ_CHECK(d.year() == expected->year && d.month() == expected->month &&
                 d.day() == expected->day && d.precision() == expected->precision,
             where + " has the wrong parts: " + std::to_string(d.year()) + "/" +
                 std::to_string(d.month()) + "/" + std::to_string(d.day()) + " " +
                 std::string(layoffs::to_string(d.precision())));

  // Prints back as written; parses back equal.
  FUZZ_CHECK(d.to_string() == input, where);
  FUZZ_CHECK(Date::parse(d.to_string()) == d, where);
  FUZZ_CHECK(layoffs::parse_date_precision(layoffs::to_string(d.precision())) == d.precision(),
             where);

  // The period, by the calendar computed here.
  const int y = expected->year;
  const unsigned m = expected->month;
  unsigned last_month = m;
  unsigned last_day = expected->day;
  if (d.precision() == DatePrecision::year) {
    last_month = 12;
    last_day = 31;
  } else if (d.precision() == DatePrecision::month) {
    last_day = month_days(y, m);
  }
  const Date first = d.first_day();
  const Date last = d.last_day();
  FUZZ_CHECK(d.iso() == ymd_text(y, m, expected->day), where + " iso " + d.iso());
  FUZZ_CHECK(first.precision() == DatePrecision::day && first.to_string() == d.iso(),
             where + " first_day " + first.to_string());
  FUZZ_CHECK(last.precision() == DatePrecision::day &&
                 last.to_string() == ymd_text(y, last_month, last_day),
             where + " last_day " + last.to_string());
  const long epoch = days_from_epoch(y, m, expected->day);
  FUZZ_CHECK(d.days_since_epoch() == epoch, where + " days_since_epoch " +
                                                std::to_string(d.days_since_epoch()) +
                                                ", expected " + std::to_string(epoch));
  FUZZ_CHECK(last.days_since_epoch() == days_from_epoch(y, last_month, last_day), where);

  // Order: a period sorts after its first day and before its last day.
  if (d.precision() == DatePrecision::day) {
    FUZZ_CHECK(first == d && last == d, where);
  } else {
    FUZZ_CHECK(first < d && d < last, where);
  }

  // plus_days walks from the first day to the last and one beyond.
  const long span = last.days_since_epoch() - first.days_since_epoch();
  try {
    FUZZ_CHECK(d.plus_days(0) == first, where);
    FUZZ_CHECK(d.plus_days(span) == last, where + " plus_days(" + std::to_string(span) + ")");
    FUZZ_CHECK(last.plus_days(-span) == first, where);
  } catch (const Error& e) {
    FUZZ_CHECK(false, where + " plus_days threw " + e.what());
  }
  const bool at_end = last.to_string() == "9999-12-31";
  try {
    const Date next = last.plus_days(1);
    FUZZ_CHECK(!at_end, where + " went past 9999-12-31");
    FUZZ_CHECK(next.days_since_epoch() == last.days_since_epoch() + 1 && last < next &&
                   next.day() == (last_day == month_days(y, last_month) ? 1u : last_day + 1),
               where + " the day after " + last.to_string() + " is " + next.to_string());
  } catch (const Error& e) {
    FUZZ_CHECK(at_end && e.code() == ErrorCode::invalid_argument,
               where + " plus_days(1) threw " + e.what());
  }
  const bool at_start = first.to_string() == "0001-01-01";
  try {
    const Date before = first.plus_days(-1);
    FUZZ_CHECK(!at_start, where + " went before 0001-01-01");
    FUZZ_CHECK(before.days_since_epoch() == first.days_since_epoch() - 1 && before < first,
               where + " the day before is " + before.to_string());
  } catch (const Error& e) {
    FUZZ_CHECK(at_start && e.code() == ErrorCode::invalid_argument,
               where + " plus_days(-1) threw " + e.what());
  }

  // The factories build the same value.
  try {
    switch (d.precision()) {
      case DatePrecision::day:
        FUZZ_CHECK(Date::ymd(y, m, expected->day) == d, where);
        break;
      case DatePrecision::month:
        FUZZ_CHECK(Date::year_month(y, m) == d, where);
        break;
      case DatePrecision::year:
        FUZZ_CHECK(Date::year_only(y) == d, where);
        break;
    }
  } catch (const Error& e) {
    FUZZ_CHECK(false, where + " a factory threw " + e.what());
  }
  return 0;
}
