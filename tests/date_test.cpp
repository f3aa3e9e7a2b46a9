// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include <layoffs/date.h>

#include <algorithm>
#include <chrono>
#include <compare>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/error.h>

namespace layoffs {
namespace {

// ---------------------------------------------------------------------------
// Accepted input: every field of the result, every rendering.

struct ParsedDateRow {
  const char* input;
  int year;
  unsigned month;
  unsigned day;
  DatePrecision precision;
  const char* iso;
  const char* last_day;
};

void PrintTo(const ParsedDateRow& row, std::ostream* os) {
  *os << '"' << row.input << '"';
}

const ParsedDateRow kParsedDates[] = {
    {"2024-01-10", 2024, 1, 10, DatePrecision::day, "2024-01-10", "2024-01-10"},
    {"2024-02-29", 2024, 2, 29, DatePrecision::day, "2024-02-29", "2024-02-29"},
    {"2000-02-29", 2000, 2, 29, DatePrecision::day, "2000-02-29", "2000-02-29"},
    {"0001-01-01", 1, 1, 1, DatePrecision::day, "0001-01-01", "0001-01-01"},
    {"9999-12-31", 9999, 12, 31, DatePrecision::day, "9999-12-31", "9999-12-31"},
    {"1969-07-20", 1969, 7, 20, DatePrecision::day, "1969-07-20", "1969-07-20"},
    {"2024-01", 2024, 1, 1, DatePrecision::month, "2024-01-01", "2024-01-31"},
    {"2024-02", 2024, 2, 1, DatePrecision::month, "2024-02-01", "2024-02-29"},
    {"2023-02", 2023, 2, 1, DatePrecision::month, "2023-02-01", "2023-02-28"},
    {"1900-02", 1900, 2, 1, DatePrecision::month, "1900-02-01", "1900-02-28"},
    {"2000-02", 2000, 2, 1, DatePrecision::month, "2000-02-01", "2000-02-29"},
    {"2024-04", 2024, 4, 1, DatePrecision::month, "2024-04-01", "2024-04-30"},
    {"2024-12", 2024, 12, 1, DatePrecision::month, "2024-12-01", "2024-12-31"},
    {"9999-12", 9999, 12, 1, DatePrecision::month, "9999-12-01", "9999-12-31"},
    {"2023", 2023, 1, 1, DatePrecision::year, "2023-01-01", "2023-12-31"},
    {"2024", 2024, 1, 1, DatePrecision::year, "2024-01-01", "2024-12-31"},
    {"0001", 1, 1, 1, DatePrecision::year, "0001-01-01", "0001-12-31"},
    {"9999", 9999, 1, 1, DatePrecision::year, "9999-01-01", "9999-12-31"},
};

class DateParseAccepts : public testing::TestWithParam<ParsedDateRow> {};

TEST_P(DateParseAccepts, FieldsAndRenderings) {
  const ParsedDateRow& row = GetParam();
  const Date d = Date::parse(row.input);
  EXPECT_EQ(d.year(), row.year);
  EXPECT_EQ(d.month(), row.month);
  EXPECT_EQ(d.day(), row.day);
  EXPECT_EQ(d.precision(), row.precision);
  EXPECT_EQ(d.to_string(), row.input);
  EXPECT_EQ(d.iso(), row.iso);
  EXPECT_EQ(d.last_day().iso(), row.last_day);
  EXPECT_EQ(d.last_day().precision(), DatePrecision::day);
  EXPECT_EQ(d.first_day().iso(), row.iso);
  EXPECT_EQ(d.first_day().precision(), DatePrecision::day);
}

TEST_P(DateParseAccepts, RoundTripsThroughToString) {
  const Date d = Date::parse(GetParam().input);
  EXPECT_EQ(Date::parse(d.to_string()), d);
  EXPECT_EQ(Date::parse(d.iso()), d.first_day());
}

TEST_P(DateParseAccepts, AgreesWithFactories) {
  const ParsedDateRow& row = GetParam();
  const Date d = Date::parse(row.input);
  switch (row.precision) {
    case DatePrecision::day:
      EXPECT_EQ(d, Date::ymd(row.year, row.month, row.day));
      break;
    case DatePrecision::month:
      EXPECT_EQ(d, Date::year_month(row.year, row.month));
      break;
    case DatePrecision::year:
      EXPECT_EQ(d, Date::year_only(row.year));
      break;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, DateParseAccepts, testing::ValuesIn(kParsedDates));

// ---------------------------------------------------------------------------
// Rejected input: the error must name the field and quote the text.

const char* const kRejectedDates[] = {
    "2024-02-30",  // no such day
    "2023-02-29",  // not a leap year
    "1900-02-29",  // century, not a leap year
    "2024-04-31",
    "2024-01-32",
    "2024-01-00",
    "2023-13",
    "2024-00",
    "0000",
    "0000-01",
    "0000-01-01",
    "yesterday",
    "2024-1-5",
    "2024-01-5",
    "2024-1",
    "24-01-01",
    " 2024-01-01",
    "2024-01-01 ",
    "2024-01-01T00:00",
    "2024-01-01Z",
    "",
    "2024/01/01",
    "2024.01.01",
    "20240101",
    "202401",
    "10000",
    "+2024",
    "-2024",
    "2024-",
    "2024-01-",
    "2024--01",
    "2024-0a-01",
    "2O24",
    "2024\342\200\22301",  // en dash (octal escapes, as \x would swallow the "01")
};

class DateParseRejects : public testing::TestWithParam<const char*> {};

TEST_P(DateParseRejects, ThrowsInvalidArgumentQuotingTheText) {
  const std::string input = GetParam();
  try {
    (void)Date::parse(input);
    FAIL() << "accepted \"" << input << '"';
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "date");
    EXPECT_EQ(e.value(), input);
    EXPECT_NE(std::string(e.what()).find('"' + input + '"'), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("date: ", 0), 0u) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Table, DateParseRejects, testing::ValuesIn(kRejectedDates));

TEST(DateParse, ErrorNamesTheCallersField) {
  try {
    (void)Date::parse("2024-02-30", "announced_on");
    FAIL() << "accepted 2024-02-30";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "announced_on");
    EXPECT_EQ(std::string(e.what()).rfind("announced_on: ", 0), 0u) << e.what();
  }
}

// ---------------------------------------------------------------------------
// Factories.

struct BadYmdRow {
  int year;
  unsigned month;
  unsigned day;
};

void PrintTo(const BadYmdRow& r, std::ostream* os) {
  *os << r.year << '/' << r.month << '/' << r.day;
}

const BadYmdRow kBadYmd[] = {
    {2024, 2, 30}, {2023, 2, 29}, {2024, 13, 1}, {2024, 0, 1},  {2024, 1, 0},  {0, 1, 1},
    {10000, 1, 1}, {-1, 1, 1},    {2024, 4, 31}, {2024, 1, 32}, {40000, 1, 1},
};

class DateYmdRejects : public testing::TestWithParam<BadYmdRow> {};

TEST_P(DateYmdRejects, ThrowsInvalidArgument) {
  const BadYmdRow& r = GetParam();
  try {
    (void)Date::ymd(r.year, r.month, r.day);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "date");
  }
}

INSTANTIATE_TEST_SUITE_P(Table, DateYmdRejects, testing::ValuesIn(kBadYmd));

TEST(DateFactories, YearMonthAndYearOnlyValidate) {
  EXPECT_THROW((void)Date::year_month(2024, 13), Error);
  EXPECT_THROW((void)Date::year_month(2024, 0), Error);
  EXPECT_THROW((void)Date::year_month(0, 1), Error);
  EXPECT_THROW((void)Date::year_month(10000, 1), Error);
  EXPECT_THROW((void)Date::year_only(0), Error);
  EXPECT_THROW((void)Date::year_only(10000), Error);
  EXPECT_THROW((void)Date::year_only(-2024), Error);
  EXPECT_EQ(Date::year_month(2024, 2).to_string(), "2024-02");
  EXPECT_EQ(Date::year_only(1).to_string(), "0001");
}

TEST(DateFactories, ErrorQuotesTheRenderedDate) {
  try {
    (void)Date::ymd(2024, 2, 30);
    FAIL() << "accepted 2024-02-30";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("\"2024-02-30\""), std::string::npos) << e.what();
  }
}

TEST(DateFactories, DefaultIsFirstDayOfYearOne) {
  const Date d;
  EXPECT_EQ(d.iso(), "0001-01-01");
  EXPECT_EQ(d.precision(), DatePrecision::day);
  EXPECT_EQ(d, Date::ymd(1, 1, 1));
}

// ---------------------------------------------------------------------------
// Ordering: first days, then day < month < year.

struct OrderRow {
  const char* a;
  const char* b;
  std::strong_ordering expected;
};

void PrintTo(const OrderRow& r, std::ostream* os) {
  *os << r.a << " <=> " << r.b;
}

const OrderRow kOrder[] = {
    {"2024-01-01", "2024-01-02", std::strong_ordering::less},
    {"2024-01-31", "2024-02-01", std::strong_ordering::less},
    {"2023-12-31", "2024", std::strong_ordering::less},
    {"2024-01-01", "2024-01", std::strong_ordering::less},
    {"2024-01", "2024", std::strong_ordering::less},
    {"2024-01-01", "2024", std::strong_ordering::less},
    // A month sorts as its first day, so before any later day of itself.
    {"2024-01", "2024-01-02", std::strong_ordering::less},
    {"2024", "2024-01-02", std::strong_ordering::less},
    {"2024", "2024-02", std::strong_ordering::less},
    {"2024-02", "2024", std::strong_ordering::greater},
    {"2025", "2024-12-31", std::strong_ordering::greater},
    {"2024", "2024", std::strong_ordering::equal},
    {"2024-03", "2024-03", std::strong_ordering::equal},
    {"2024-03-05", "2024-03-05", std::strong_ordering::equal},
    {"0001-01-01", "9999-12-31", std::strong_ordering::less},
    {"0999-12-31", "1000-01-01", std::strong_ordering::less},
};

class DateOrdering : public testing::TestWithParam<OrderRow> {};

TEST_P(DateOrdering, ComparesFirstDayThenPrecision) {
  const OrderRow& r = GetParam();
  const Date a = Date::parse(r.a);
  const Date b = Date::parse(r.b);
  EXPECT_EQ(a <=> b, r.expected);
  // Antisymmetry, and == must agree with <=>.
  EXPECT_EQ(b <=> a, 0 <=> (a <=> b));
  EXPECT_EQ(a == b, r.expected == std::strong_ordering::equal);
}

INSTANTIATE_TEST_SUITE_P(Table, DateOrdering, testing::ValuesIn(kOrder));

TEST(DateOrdering, SortIsTotal) {
  std::vector<Date> dates = {
      Date::parse("2024"),    Date::parse("2024-01-02"), Date::parse("2023-12-31"),
      Date::parse("2024-01"), Date::parse("2024-01-01"), Date::parse("2024-02"),
      Date::parse("2023-12"), Date::parse("2023"),
  };
  std::sort(dates.begin(), dates.end());
  std::vector<std::string> rendered;
  for (const Date& d : dates) {
    rendered.push_back(d.to_string());
  }
  EXPECT_EQ(rendered, (std::vector<std::string>{"2023", "2023-12", "2023-12-31", "2024-01-01",
                                                "2024-01", "2024", "2024-01-02", "2024-02"}));
}

// ---------------------------------------------------------------------------
// Day arithmetic.

struct EpochRow {
  const char* date;
  long days;
};

void PrintTo(const EpochRow& r, std::ostream* os) {
  *os << r.date;
}

const EpochRow kEpoch[] = {
    {"1970-01-01", 0},       {"1970-01-02", 1},       {"1969-12-31", -1}, {"2000-01-01", 10957},
    {"2024-03-01", 19783},   {"1970-01", 0},          {"1970", 0},        {"2024-03", 19783},
    {"0001-01-01", -719162}, {"9999-12-31", 2932896},
};

class DateEpoch : public testing::TestWithParam<EpochRow> {};

TEST_P(DateEpoch, DaysSinceEpochOfFirstDay) {
  const EpochRow& r = GetParam();
  const Date d = Date::parse(r.date);
  EXPECT_EQ(d.days_since_epoch(), r.days);
  // Going back to the epoch and out again lands on the same first day.
  EXPECT_EQ(Date::parse("1970-01-01").plus_days(r.days), d.first_day());
}

INSTANTIATE_TEST_SUITE_P(Table, DateEpoch, testing::ValuesIn(kEpoch));

struct PlusDaysRow {
  const char* from;
  long days;
  const char* expected;
};

void PrintTo(const PlusDaysRow& r, std::ostream* os) {
  *os << r.from << " + " << r.days;
}

const PlusDaysRow kPlusDays[] = {
    {"2024-02-28", 1, "2024-02-29"},  {"2023-02-28", 1, "2023-03-01"},
    {"2024-03-01", -1, "2024-02-29"}, {"2024-12-31", 1, "2025-01-01"},
    {"2024-01-01", 0, "2024-01-01"},  {"2024-01-01", 366, "2025-01-01"},
    {"2024-02", 28, "2024-02-29"},    {"2024", -1, "2023-12-31"},
    {"2024-06", 0, "2024-06-01"},     {"0001-01-02", -1, "0001-01-01"},
    {"9999-12-30", 1, "9999-12-31"},
};

class DatePlusDays : public testing::TestWithParam<PlusDaysRow> {};

TEST_P(DatePlusDays, CountsFromFirstDay) {
  const PlusDaysRow& r = GetParam();
  const Date d = Date::parse(r.from).plus_days(r.days);
  EXPECT_EQ(d.to_string(), r.expected);
  EXPECT_EQ(d.precision(), DatePrecision::day);
}

INSTANTIATE_TEST_SUITE_P(Table, DatePlusDays, testing::ValuesIn(kPlusDays));

TEST(DatePlusDays, RefusesToLeaveTheSupportedRange) {
  EXPECT_THROW((void)Date::parse("0001-01-01").plus_days(-1), Error);
  EXPECT_THROW((void)Date::parse("9999-12-31").plus_days(1), Error);
  EXPECT_THROW((void)Date::parse("2024-01-01").plus_days(4'000'000), Error);
  EXPECT_THROW((void)Date::parse("2024-01-01").plus_days(-4'000'000), Error);
  EXPECT_THROW((void)Date::parse("2024-01-01").plus_days(1L << 40), Error);
  try {
    (void)Date::parse("9999-12-31").plus_days(1);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  }
}

TEST(DateToday, IsTheUtcCalendarDate) {
  namespace chrono = std::chrono;
  const auto utc_days = [] {
    return static_cast<long>(
        chrono::floor<chrono::days>(chrono::system_clock::now()).time_since_epoch().count());
  };
  const long before = utc_days();
  const Date today = Date::today();
  const long after = utc_days();
  EXPECT_EQ(today.precision(), DatePrecision::day);
  // Bracketed so the test cannot flake across midnight.
  EXPECT_GE(today.days_since_epoch(), before);
  EXPECT_LE(today.days_since_epoch(), after);
  EXPECT_EQ(Date::parse(today.to_string()), today);
}

// ---------------------------------------------------------------------------
// DatePrecision strings, as stored in the database.

TEST(DatePrecisionText, RoundTrips) {
  for (DatePrecision p : {DatePrecision::day, DatePrecision::month, DatePrecision::year}) {
    EXPECT_EQ(parse_date_precision(to_string(p)), p);
  }
  EXPECT_EQ(to_string(DatePrecision::day), "day");
  EXPECT_EQ(to_string(DatePrecision::month), "month");
  EXPECT_EQ(to_string(DatePrecision::year), "year");
}

TEST(DatePrecisionText, RejectsOtherText) {
  for (const char* bad : {"", "Day", "days", "week", " day", "year "}) {
    try {
      (void)parse_date_precision(bad);
      ADD_FAILURE() << "accepted \"" << bad << '"';
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.field(), "precision");
      EXPECT_NE(std::string(e.what()).find('"' + std::string(bad) + '"'), std::string::npos);
    }
  }
  try {
    (void)parse_date_precision("week", "date_precision");
    ADD_FAILURE() << "accepted week";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "date_precision");
  }
}

}  // namespace
}  // namespace layoffs
