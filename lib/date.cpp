// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include <layoffs/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <layoffs/error.h>

namespace layoffs {

namespace {

namespace chrono = std::chrono;

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

// A little more than the span 0001-01-01 .. 9999-12-31, so plus_days can
// refuse absurd offsets before they reach chrono arithmetic, whose
// representation is only guaranteed to be 25 bits wide.
constexpr long kMaxDayOffset = 10'000L * 366L;

// Zero-padded to `width` digits; the error paths may see years outside
// 1..9999 and must still render them faithfully.
std::string padded(long value, int width) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return value < 0 ? "-" + digits : digits;
}

std::string render(int year, unsigned month, unsigned day, DatePrecision precision) {
  std::string out = padded(year, 4);
  if (precision != DatePrecision::year) {
    out += '-';
    out += padded(static_cast<long>(month), 2);
  }
  if (precision == DatePrecision::day) {
    out += '-';
    out += padded(static_cast<long>(day), 2);
  }
  return out;
}

// Checked before building a chrono::year: its constructor only promises to
// hold -32767..32767, so range-checking the chrono value would be too late.
bool year_in_range(int year) {
  return year >= kMinYear && year <= kMaxYear;
}

bool exists(int year, unsigned month, unsigned day) {
  if (!year_in_range(year)) {
    return false;
  }
  const chrono::year_month_day ymd{chrono::year{year}, chrono::month{month}, chrono::day{day}};
  return ymd.ok();
}

chrono::sys_days to_sys_days(int year, unsigned month, unsigned day) {
  return chrono::sys_days{
      chrono::year_month_day{chrono::year{year}, chrono::month{month}, chrono::day{day}}};
}

// Exactly `count` ASCII digits: std::from_chars would also accept fewer.
std::optional<unsigned> fixed_digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) {
    return std::nullopt;
  }
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

}  // namespace

std::string_view to_string(DatePrecision p) noexcept {
  switch (p) {
    case DatePrecision::day:
      return "day";
    case DatePrecision::month:
      return "month";
    case DatePrecision::year:
      return "year";
  }
  return "day";
}

DatePrecision parse_date_precision(std::string_view text, std::string_view field) {
  for (DatePrecision p : {DatePrecision::day, DatePrecision::month, DatePrecision::year}) {
    if (text == to_string(p)) {
      return p;
    }
  }
  throw invalid_field(field, text, "expected \"day\", \"month\" or \"year\", not");
}

Date Date::parse(std::string_view text, std::string_view field) {
  constexpr std::string_view kShape = "expected YYYY-MM-DD, YYYY-MM or YYYY, not";
  DatePrecision precision;
  switch (text.size()) {
    case 4:
      precision = DatePrecision::year;
      break;
    case 7:
      precision = DatePrecision::month;
      break;
    case 10:
      precision = DatePrecision::day;
      break;
    default:
      throw invalid_field(field, text, kShape);
  }
  const auto year = fixed_digits(text, 0, 4);
  std::optional<unsigned> month = 1;
  std::optional<unsigned> day = 1;
  bool dashes_ok = true;
  if (precision != DatePrecision::year) {
    dashes_ok = dashes_ok && text[4] == '-';
    month = fixed_digits(text, 5, 2);
  }
  if (precision == DatePrecision::day) {
    dashes_ok = dashes_ok && text[7] == '-';
    day = fixed_digits(text, 8, 2);
  }
  if (!year || !month || !day || !dashes_ok) {
    throw invalid_field(field, text, kShape);
  }
  const int y = static_cast<int>(*year);
  if (!exists(y, *month, *day)) {
    throw invalid_field(field, text, "no such date");
  }
  return Date(y, *month, *day, precision);
}

Date Date::ymd(int year, unsigned month, unsigned day) {
  if (!exists(year, month, day)) {
    throw invalid_field("date", render(year, month, day, DatePrecision::day), "no such date");
  }
  return Date(year, month, day, DatePrecision::day);
}

Date Date::year_month(int year, unsigned month) {
  if (!exists(year, month, 1)) {
    throw invalid_field("date", render(year, month, 1, DatePrecision::month), "no such month");
  }
  return Date(year, month, 1, DatePrecision::month);
}

Date Date::year_only(int year) {
  if (!year_in_range(year)) {
    throw invalid_field("date", render(year, 1, 1, DatePrecision::year),
                        "year out of range 0001-9999:");
  }
  return Date(year, 1, 1, DatePrecision::year);
}

Date Date::today() {
  // system_clock measures Unix time, so its calendar date is the UTC date.
  const chrono::year_month_day ymd{chrono::floor<chrono::days>(chrono::system_clock::now())};
  return Date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
              static_cast<unsigned>(ymd.day()), DatePrecision::day);
}

std::string Date::to_string() const {
  return render(year_, month_, day_, precision_);
}

std::string Date::iso() const {
  return render(year_, month_, day_, DatePrecision::day);
}

Date Date::last_day() const {
  switch (precision_) {
    case DatePrecision::day:
      return *this;
    case DatePrecision::month: {
      const chrono::year_month_day_last last{chrono::year{year_},
                                             chrono::month_day_last{chrono::month{month_}}};
      return Date(year_, month_, static_cast<unsigned>(last.day()), DatePrecision::day);
    }
    case DatePrecision::year:
      return Date(year_, 12, 31, DatePrecision::day);
  }
  return *this;
}

Date Date::first_day() const {
  return Date(year_, month_, day_, DatePrecision::day);
}

long Date::days_since_epoch() const noexcept {
  return static_cast<long>(to_sys_days(year_, month_, day_).time_since_epoch().count());
}

Date Date::plus_days(long days) const {
  const auto refuse = [&] {
    return invalid_field("date", iso() + (days < 0 ? " " : " +") + std::to_string(days) + " days",
                         "outside 0001-01-01..9999-12-31:");
  };
  if (days > kMaxDayOffset || days < -kMaxDayOffset) {
    throw refuse();
  }
  const chrono::year_month_day result{to_sys_days(year_, month_, day_) + chrono::days{days}};
  const int y = static_cast<int>(result.year());
  if (!year_in_range(y)) {
    throw refuse();
  }
  return Date(y, static_cast<unsigned>(result.month()), static_cast<unsigned>(result.day()),
              DatePrecision::day);
}

std::strong_ordering operator<=>(const Date& a, const Date& b) noexcept {
  // Every date is stored as its first day, so comparing the fields in order
  // compares first days; DatePrecision's enumerators are declared day < month
  // < year, which gives the documented tie-break.
  if (auto c = a.year_ <=> b.year_; c != 0) {
    return c;
  }
  if (auto c = a.month_ <=> b.month_; c != 0) {
    return c;
  }
  if (auto c = a.day_ <=> b.day_; c != 0) {
    return c;
  }
  return a.precision_ <=> b.precision_;
}

}  // namespace layoffs
