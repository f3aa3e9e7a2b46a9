// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <layoffs/date.h>
#include <layoffs/export.h>
#include <layoffs/headcount.h>
#include <layoffs/ids.h>

namespace layoffs {

// How close a source is to the facts, strongest first.
enum class SourceTier {
  filing,             // a regulatory filing: WARN notice, 8-K, annual report
  company_statement,  // the company's own announcement or memo
  media_report,       // reporting by the press
  leak,               // an unconfirmed leak or rumour
};
LAYOFFS_EXPORT std::string_view to_string(SourceTier tier) noexcept;
// Inverse of to_string; throws Error(invalid_argument) naming `field`.
LAYOFFS_EXPORT SourceTier parse_source_tier(std::string_view text,
                                            std::string_view field = "source.tier");

// Broad categories for reasons.
enum class ReasonCategory {
  cost_cutting,
  restructuring,
  strategy_shift,
  automation,
  outsourcing,
  market_conditions,
  closure,
  other,
};
LAYOFFS_EXPORT std::string_view to_string(ReasonCategory category) noexcept;
// Inverse of to_string; throws Error(invalid_argument) naming `field`.
LAYOFFS_EXPORT ReasonCategory parse_reason_category(std::string_view text,
                                                    std::string_view field = "reason.category");

// Where a fact came from. Sources are shared between events by URL: recording
// a URL that is already known reuses it, filling in any field it lacked.
struct Source {
  std::string url;                   // required, up to 2,048 bytes
  std::string title;                 // optional ("" = none)
  std::string publisher;             // optional
  std::optional<Date> published_on;  // optional
  SourceTier tier = SourceTier::media_report;
};

// A reason given for an event. Reasons are shared tags matched by name
// (case and repeated whitespace ignored). A category, once set, is kept:
// giving a different one later is an error.
struct Reason {
  std::string name;
  std::optional<ReasonCategory> category;
};

// Whether an event is what a company said or what the law made it file.
enum class EventKind {
  announcement,  // a company's announcement or memo, or a report of one
  filing,        // a WARN notice or similar legal notice (per site and state)
};
LAYOFFS_EXPORT std::string_view to_string(EventKind kind) noexcept;
// Inverse of to_string; throws Error(invalid_argument) naming `field`.
LAYOFFS_EXPORT EventKind parse_event_kind(std::string_view text, std::string_view field = "kind");

// Whether an event counts. Events that are not active stay listed and
// exported, and are left out of every total (Total says how many and why).
enum class EventStatus {
  active,      // counts
  superseded,  // replaced by an amendment (recorded or not)
  retracted,   // reported, then denied or reversed
};
LAYOFFS_EXPORT std::string_view to_string(EventStatus status) noexcept;
// Inverse of to_string; throws Error(invalid_argument) naming `field`.
LAYOFFS_EXPORT EventStatus parse_event_status(std::string_view text,
                                              std::string_view field = "status");

// The USPS code of a US state, DC or territory ("WA"), upper-case, or "" if
// `text` is none. Accepts the code in any case and the full name ("Washington",
// "district of columbia").
LAYOFFS_EXPORT std::string us_state_code(std::string_view text);
// The name of the state with this USPS code ("Washington"), or "" if unknown.
LAYOFFS_EXPORT std::string_view us_state_name(std::string_view code) noexcept;

// What it takes to add a company.
struct NewCompany {
  std::string name;                 // required; outer whitespace is trimmed
  std::optional<CompanyId> parent;  // the parent company, if a subsidiary
  std::vector<std::string> aliases;
  std::string industry;     // optional
  std::string hq_location;  // optional, e.g. "Seattle"
  std::string country;      // optional, e.g. "United States"
};

// A company as stored.
struct Company {
  CompanyId id;
  std::string name;
  std::optional<CompanyId> parent;
  std::vector<std::string> aliases;  // in the order added
  std::string industry;
  std::string hq_location;
  std::string country;
};

// Everything known about one layoff announcement, as given to record() or
// update().
struct NewEvent {
  CompanyId company;
  Date announced_on;                    // not later than today + Options::future_tolerance_days
  std::optional<Date> effective_on;     // when the cuts take effect: may be after
                                        // today, not more than 1,830 days (about
                                        // five years) after announced_on's last day
  Headcount headcount;                  // unknown unless set
  std::optional<double> workforce_pct;  // share of the workforce in percent, 0-100
  std::vector<std::string> departments;
  std::vector<Reason> reasons;
  std::vector<Source> sources;         // the first one identifies the event (see Tracker::record)
  std::vector<std::string> locations;  // places or scope; no ';' inside one
  std::string country;                 // where the cuts fall, if not the company's country
  std::string notes;
  // Earlier (or same-day) events whose people are counted inside this one's
  // headcount: "just over 18,000, including the 10,000 from November". Each
  // must belong to the same company tree and not already be included
  // elsewhere.
  std::vector<EventId> includes;
  // A stable identifier of your choosing (up to 200 bytes), unique among
  // events; "" for none. An event with a key is identified by it alone:
  // recording a key that exists returns that event (see Tracker::record).
  std::string key;
  // The company as reported at the time: funding stage ("Series B",
  // "Post-IPO") and money raised in millions of US dollars.
  std::string company_stage;
  std::optional<double> funds_raised_musd;
  // An announcement (the default) or a filing. An announcement may include
  // filings dated up to Options::filing_window_days after it.
  EventKind kind = EventKind::announcement;
  // Only active events count (see EventStatus); Tracker::set_status changes
  // it alone.
  EventStatus status = EventStatus::active;
  // Why the event is not active ("superseded by the amended notice of
  // 2023-02-01", "denied by the company"); up to 2,000 bytes, and only for
  // an event that is not active.
  std::string status_note;
  // The USPS code of the US state, DC or territory where the cuts fall
  // ("WA"), e.g. a WARN notice's state; "" for none. Given in any case or as
  // the state's name, stored as the upper-case code.
  std::string us_state;
  // When a tracker first listed the event (layoffs.fyi's "Date Added"), if
  // the source says: the start of its revision history. Not after today
  // (plus Options::future_tolerance_days).
  std::optional<Date> added_on;
};

// An event as stored, fully populated.
struct Event : NewEvent {
  EventId id;
  std::string company_name;
  std::optional<EventId> included_in;  // the event that includes this one, if any
  std::string created_at;              // UTC, "YYYY-MM-DDTHH:MM:SSZ"
  std::string updated_at;
};

// A total someone reported, to be checked against the events.
struct NewClaim {
  CompanyId company;
  bool include_subsidiaries = true;
  Date period_start;  // first day counts
  Date period_end;    // last day of this date's period counts (2023 = through Dec 31)
  Headcount headcount;
  std::optional<Source> source;
  std::string notes;
};

struct Claim : NewClaim {
  ClaimId id;
  std::string company_name;
};

}  // namespace layoffs
