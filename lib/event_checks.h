// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Checking an event's (and a claim's source's) fields before anything is
// written: every value is validated and normalized here, and a bad one is
// refused with an Error naming the field and the value. Internal to the
// library: events.cpp and claims.cpp use it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <layoffs/date.h>
#include <layoffs/model.h>
#include <layoffs/options.h>

#include "tracker_impl.h"

namespace layoffs::detail::checks {

inline constexpr std::size_t kMaxTag = 200;
inline constexpr std::size_t kMaxReason = 500;
inline constexpr std::size_t kMaxUrl = 2048;
inline constexpr std::size_t kMaxTitle = 1000;
inline constexpr std::size_t kMaxNotes = 10'000;
inline constexpr std::size_t kMaxListItems = 100;
inline const Date kEarliest = Date::ymd(1900, 1, 1);
// effective_on may be later than today (a WARN notice gives the date the cuts
// take effect, often months ahead), but not more than this after the last day
// of announced_on: about five years, far beyond any notice in the real files
// (the WARN slice's longest is 352 days) and short of a mistyped year.
inline constexpr int kMaxEffectiveAfterDays = 5 * 366;

struct CheckedSource {
  std::string url, title, publisher;
  std::optional<Date> published_on;
  SourceTier tier;
};

struct CheckedReason {
  std::string name, key;
  std::optional<ReasonCategory> category;
};

// A NewEvent whose fields have all been validated and normalized.
struct CheckedEvent {
  CompanyId company;
  Date announced_on;
  std::optional<Date> effective_on;
  Headcount headcount;
  std::optional<double> workforce_pct;
  std::vector<std::pair<std::string, std::string>> departments;  // (name, key), deduplicated
  std::vector<CheckedReason> reasons;
  std::vector<CheckedSource> sources;
  std::string locations;  // joined with "; "
  std::string country;
  std::string notes;
  std::vector<EventId> includes;
  std::string key;
  std::string company_stage;
  std::optional<double> funds_raised_musd;
  EventKind kind = EventKind::announcement;
  EventStatus status = EventStatus::active;
  std::string status_note;
  std::string us_state;  // USPS code or ""
  std::optional<Date> added_on;
};

// "prefix.field", or "field" with no prefix.
std::string join(std::string_view prefix, std::string_view field);
// "prefix.field[i]".
std::string indexed(std::string_view prefix, std::string_view field, std::size_t i);
void check_list_size(std::string_view field, std::size_t n);
void check_date_range(std::string_view field, const Date& d, const Date& latest);
void check_url(std::string_view field, const std::string& url);
CheckedSource check_source(const Source& s, std::string_view field, const Date& latest);
void check_status(std::string_view field, EventStatus status);
std::string checked_status_note(std::string_view field, EventStatus status, std::string_view note);
std::string checked_us_state(std::string_view field, std::string_view state);
// Every field of `in`, `prefix` naming it in messages ("" or "events[3]").
CheckedEvent check_fields(const NewEvent& in, std::string_view prefix, const Date& latest);

// Whether an event of `outer_kind` announced on `outer` may include one of
// `inner_kind` dated `inner` (ISO): earlier or same period, or for an
// announcement a filing up to `window` days after its period's last day.
bool may_include(EventKind outer_kind, const Date& outer, EventKind inner_kind,
                 const std::string& inner, int window);

// Checks every inclusion against the database. `self` is the event being
// updated (empty when recording a new one).
void check_inclusions(Tracker::Impl& impl, const CheckedEvent& ev, std::optional<EventId> self,
                      std::string_view prefix);

// The latest date an event or a source may carry: today plus the tolerance.
Date latest_allowed(const Options& options);

// Reuses a source by URL, filling in fields it lacked (defined in
// events.cpp, with the other writes of an event's rows). REQUIRES: a write
// transaction.
std::int64_t upsert_source(Tracker::Impl& impl, const CheckedSource& s);

}  // namespace layoffs::detail::checks
