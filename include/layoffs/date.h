// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include <layoffs/export.h>

namespace layoffs {

// How much of a Date is known. Reporting often gives only a month ("January
// 2024") or a year.
enum class DatePrecision { day, month, year };

// "day", "month" or "year": the values stored in the database.
LAYOFFS_EXPORT std::string_view to_string(DatePrecision p) noexcept;
// The inverse of to_string; throws Error(invalid_argument) naming `field`.
LAYOFFS_EXPORT DatePrecision parse_date_precision(std::string_view text,
                                                  std::string_view field = "precision");

// A proleptic Gregorian calendar date, years 0001-9999, with a precision.
//
// A month-precision date is the whole month; it is stored as its first day
// (2024-01 -> 2024-01-01) with precision "month", and compares and filters as
// that first day. Likewise a year is stored as January 1st.
//
// Dates are plain values: cheap to copy, thread-compatible.
class LAYOFFS_EXPORT Date {
 public:
  // Reads "YYYY-MM-DD", "YYYY-MM" or "YYYY" (exactly these digits and
  // dashes; no spaces, no time part). Throws Error(invalid_argument) with
  // field `field` quoting the text for anything else, or for a date that does
  // not exist ("2024-02-30", "2023-13").
  static Date parse(std::string_view text, std::string_view field = "date");

  // Throw Error(invalid_argument) with field "date" for a date that does not
  // exist or a year outside 1..9999.
  static Date ymd(int year, unsigned month, unsigned day);
  static Date year_month(int year, unsigned month);
  static Date year_only(int year);

  // Today's date in UTC.
  static Date today();

  // 0001-01-01 with day precision. Prefer the factories.
  Date() = default;

  int year() const noexcept { return year_; }
  unsigned month() const noexcept { return month_; }  // 1 for a year-precision date
  unsigned day() const noexcept { return day_; }      // 1 unless precision is day
  DatePrecision precision() const noexcept { return precision_; }

  // As written at its precision: "2024-01-10", "2024-01" or "2024".
  std::string to_string() const;
  // Always "YYYY-MM-DD": the first day of the period (the stored form).
  std::string iso() const;
  // The last day of the period, with day precision (2024-02 -> 2024-02-29).
  Date last_day() const;
  // The first day of the period, with day precision.
  Date first_day() const;
  // Days since 1970-01-01 of the first day (negative before).
  long days_since_epoch() const noexcept;
  // Day-precision date `days` after (or before, if negative) the first day.
  // Throws Error(invalid_argument) if that falls outside 0001-01-01..9999-12-31.
  Date plus_days(long days) const;

  // Compares first days, then precision (day < month < year), so
  // 2024-01-01 < 2024-01 < 2024 and ordering is total.
  friend std::strong_ordering operator<=>(const Date& a, const Date& b) noexcept;
  friend bool operator==(const Date& a, const Date& b) noexcept = default;

 private:
  Date(int y, unsigned m, unsigned d, DatePrecision p)
      : year_(y), month_(m), day_(d), precision_(p) {}

  int year_ = 1;
  unsigned month_ = 1;
  unsigned day_ = 1;
  DatePrecision precision_ = DatePrecision::day;
};

}  // namespace layoffs
