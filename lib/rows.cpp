// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "rows.h"

#include "sqlite_util.h"

namespace layoffs::detail {

Company read_company(const SQLite::Statement& st, int first) {
  Company c;
  c.id = CompanyId(st.getColumn(first).getInt64());
  c.name = st.getColumn(first + 1).getString();
  if (!st.isColumnNull(first + 2)) {
    c.parent = CompanyId(st.getColumn(first + 2).getInt64());
  }
  c.industry = column_text(st, first + 3);
  c.hq_location = column_text(st, first + 4);
  c.country = column_text(st, first + 5);
  return c;
}

Source read_source(const SQLite::Statement& st, int first) {
  Source s;
  s.url = st.getColumn(first).getString();
  s.title = column_text(st, first + 1);
  s.publisher = column_text(st, first + 2);
  if (!st.isColumnNull(first + 3)) {
    s.published_on = Date::parse(st.getColumn(first + 3).getString(), "source.published_on");
  }
  s.tier = parse_source_tier(st.getColumn(first + 4).getString());
  return s;
}

Headcount read_headcount(const SQLite::Statement& st, int first) {
  return Headcount::from_parts(
      parse_headcount_kind(st.getColumn(first).getString()), st.getColumn(first + 1).getInt64(),
      column_optional_int(st, first + 2), st.getColumn(first + 3).getInt64(),
      st.getColumn(first + 4).getString());
}

Date read_announced_on(const SQLite::Statement& st, int first) {
  const Date day = Date::parse(st.getColumn(first).getString(), "announced_on");
  switch (parse_date_precision(st.getColumn(first + 1).getString(), "announced_precision")) {
    case DatePrecision::day:
      break;
    case DatePrecision::month:
      return Date::year_month(day.year(), day.month());
    case DatePrecision::year:
      return Date::year_only(day.year());
  }
  return day;
}

}  // namespace layoffs::detail
