// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The checks of an event's fields (see event_checks.h), moved out of
// events.cpp unchanged.
#include "event_checks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include <layoffs/error.h>
#include <layoffs/tracker.h>

#include "text.h"

namespace layoffs::detail::checks {

std::string join(std::string_view prefix, std::string_view field) {
  std::string out(prefix);
  out += field;
  return out;
}

std::string indexed(std::string_view prefix, std::string_view field, std::size_t i) {
  return join(prefix, field) + "[" + std::to_string(i) + "]";
}

void check_list_size(std::string_view field, std::size_t n) {
  if (n > kMaxListItems) {
    throw invalid_field(field, std::to_string(n),
                        "holds more than " + std::to_string(kMaxListItems) + " items:");
  }
}

void check_date_range(std::string_view field, const Date& d, const Date& latest) {
  if (d < kEarliest) {
    throw invalid_field(field, d.to_string(), "is before 1900:");
  }
  if (d.first_day() > latest) {
    throw invalid_field(field, d.to_string(),
                        "is in the future (later than " + latest.to_string() + "):");
  }
}

// A URL must at least have a scheme and no whitespace; we do not fetch it.
void check_url(std::string_view field, const std::string& url) {
  std::size_t colon = url.find(':');
  bool ok = colon != std::string::npos && colon > 0;
  for (std::size_t i = 0; ok && i < colon; ++i) {
    const char c = url[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool rest = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    ok = alpha || (i > 0 && rest);
  }
  ok = ok && colon + 1 < url.size();
  for (char c : url) {
    ok = ok && !(c == ' ' || c == '\t' || c == '\n' || c == '\r');
  }
  if (!ok) {
    throw invalid_field(field, url, "is not a URL (expected scheme:rest, e.g. https://...):");
  }
}

CheckedSource check_source(const Source& s, std::string_view field, const Date& latest) {
  CheckedSource out;
  out.url = checked_text(join(field, ".url"), s.url, kMaxUrl, true);
  check_url(join(field, ".url"), out.url);
  out.title = checked_text(join(field, ".title"), s.title, kMaxTitle, false);
  out.publisher = checked_text(join(field, ".publisher"), s.publisher, kMaxTag, false);
  if (s.published_on) {
    check_date_range(join(field, ".published_on"), *s.published_on, latest);
    out.published_on = s.published_on;
  }
  const auto tier = static_cast<int>(s.tier);
  if (tier < 0 || tier > static_cast<int>(SourceTier::leak)) {
    throw invalid_field(join(field, ".tier"), std::to_string(tier), "is not a source tier:");
  }
  out.tier = s.tier;
  return out;
}

constexpr std::size_t kMaxStatusNote = 2000;

void check_status(std::string_view field, EventStatus status) {
  const auto s = static_cast<int>(status);
  if (s < 0 || s > static_cast<int>(EventStatus::retracted)) {
    throw invalid_field(field, std::to_string(s), "is not an event status:");
  }
}

std::string checked_status_note(std::string_view field, EventStatus status, std::string_view note) {
  std::string out = checked_text(field, note, kMaxStatusNote, false, true);
  if (status == EventStatus::active && !out.empty()) {
    throw invalid_field(field, out, "is only for an event that is superseded or retracted:");
  }
  return out;
}

std::string checked_us_state(std::string_view field, std::string_view state) {
  const std::string text = checked_text(field, state, kMaxTag, false);
  if (text.empty()) {
    return text;
  }
  std::string code = us_state_code(text);
  if (code.empty()) {
    throw invalid_field(field, text,
                        "is not a US state, DC or territory (a USPS code like \"WA\", or the "
                        "name):");
  }
  return code;
}

// Field checks that need no database.
CheckedEvent check_fields(const NewEvent& in, std::string_view prefix, const Date& latest) {
  CheckedEvent out;
  out.company = in.company;
  check_date_range(join(prefix, "announced_on"), in.announced_on, latest);
  out.announced_on = in.announced_on;
  if (in.effective_on) {
    if (*in.effective_on < kEarliest) {
      throw invalid_field(join(prefix, "effective_on"), in.effective_on->to_string(),
                          "is before 1900:");
    }
    if (in.effective_on->first_day() >
        in.announced_on.last_day().plus_days(kMaxEffectiveAfterDays)) {
      throw invalid_field(
          join(prefix, "effective_on"), in.effective_on->to_string(),
          "is more than five years after announced_on (" + in.announced_on.to_string() + "):");
    }
    out.effective_on = in.effective_on;
  }
  out.headcount = in.headcount;
  if (in.workforce_pct) {
    const double pct = *in.workforce_pct;
    if (!std::isfinite(pct) || pct < 0.0 || pct > 100.0) {
      char text[32];
      std::snprintf(text, sizeof text, "%g", pct);
      throw invalid_field(join(prefix, "workforce_pct"), text,
                          "{} is not a percentage from 0 to 100");
    }
    out.workforce_pct = pct;
  }

  check_list_size(join(prefix, "departments"), in.departments.size());
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < in.departments.size(); ++i) {
    std::string name =
        checked_text(indexed(prefix, "departments", i), in.departments[i], kMaxTag, true);
    std::string key = name_key(name);
    if (seen.insert(key).second) {
      out.departments.emplace_back(std::move(name), std::move(key));
    }
  }

  check_list_size(join(prefix, "reasons"), in.reasons.size());
  seen.clear();
  for (std::size_t i = 0; i < in.reasons.size(); ++i) {
    const std::string field = indexed(prefix, "reasons", i);
    CheckedReason r;
    r.name = checked_text(field + ".name", in.reasons[i].name, kMaxReason, true);
    r.key = name_key(r.name);
    r.category = in.reasons[i].category;
    if (r.category) {
      const auto c = static_cast<int>(*r.category);
      if (c < 0 || c > static_cast<int>(ReasonCategory::other)) {
        throw invalid_field(field + ".category", std::to_string(c), "is not a reason category:");
      }
    }
    if (seen.insert(r.key).second) {
      out.reasons.push_back(std::move(r));
    }
  }

  check_list_size(join(prefix, "sources"), in.sources.size());
  seen.clear();
  for (std::size_t i = 0; i < in.sources.size(); ++i) {
    CheckedSource s = check_source(in.sources[i], indexed(prefix, "sources", i), latest);
    if (seen.insert(s.url).second) {
      out.sources.push_back(std::move(s));
    }
  }

  check_list_size(join(prefix, "locations"), in.locations.size());
  for (std::size_t i = 0; i < in.locations.size(); ++i) {
    const std::string field = indexed(prefix, "locations", i);
    const std::string loc = checked_text(field, in.locations[i], kMaxTag, true);
    if (loc.find(';') != std::string::npos) {
      throw invalid_field(field, loc, "must not contain ';' (it separates locations):");
    }
    out.locations += out.locations.empty() ? "" : "; ";
    out.locations += loc;
  }
  out.country = checked_text(join(prefix, "country"), in.country, kMaxTag, false);
  out.notes = checked_text(join(prefix, "notes"), in.notes, kMaxNotes, false, true);

  out.key = checked_text(join(prefix, "key"), in.key, 200, false);
  if (!in.key.empty() && out.key.size() != in.key.size()) {
    throw invalid_field(join(prefix, "key"), in.key, "must not start or end with whitespace:");
  }
  out.company_stage = checked_text(join(prefix, "company_stage"), in.company_stage, kMaxTag, false);
  if (in.funds_raised_musd) {
    const double funds = *in.funds_raised_musd;
    if (!std::isfinite(funds) || funds < 0.0 || funds > 10'000'000.0) {
      throw invalid_field(join(prefix, "funds_raised_musd"), std::to_string(funds),
                          "must be from 0 to 10,000,000 (millions of US dollars), not");
    }
    out.funds_raised_musd = funds;
  }

  const auto kind = static_cast<int>(in.kind);
  if (kind < 0 || kind > static_cast<int>(EventKind::filing)) {
    throw invalid_field(join(prefix, "kind"), std::to_string(kind), "is not an event kind:");
  }
  out.kind = in.kind;
  check_status(join(prefix, "status"), in.status);
  out.status = in.status;
  out.status_note = checked_status_note(join(prefix, "status_note"), in.status, in.status_note);
  out.us_state = checked_us_state(join(prefix, "us_state"), in.us_state);
  if (in.added_on) {
    if (in.added_on->precision() != DatePrecision::day) {
      throw invalid_field(join(prefix, "added_on"), in.added_on->to_string(),
                          "must be a day (YYYY-MM-DD), not");
    }
    check_date_range(join(prefix, "added_on"), *in.added_on, latest);
    out.added_on = in.added_on;
  }

  check_list_size(join(prefix, "includes"), in.includes.size());
  std::unordered_set<EventId> included;
  for (std::size_t i = 0; i < in.includes.size(); ++i) {
    if (!included.insert(in.includes[i]).second) {
      throw invalid_field(indexed(prefix, "includes", i), std::to_string(in.includes[i].value()),
                          "lists the same event twice:", ErrorCode::invalid_inclusion);
    }
    out.includes.push_back(in.includes[i]);
  }
  return out;
}

// Whether an event of `outer_kind` announced on `outer` may include one of
// `inner_kind` dated `inner` (ISO): earlier or same period, or for an
// announcement a filing up to `window` days after its period's last day.
bool may_include(EventKind outer_kind, const Date& outer, EventKind inner_kind,
                 const std::string& inner, int window) {
  if (inner <= outer.last_day().iso()) {
    return true;
  }
  return outer_kind == EventKind::announcement && inner_kind == EventKind::filing &&
         inner <= outer.last_day().plus_days(window).iso();
}

// Checks every inclusion against the database. `self` is the event being
// updated (empty when recording a new one).
void check_inclusions(Tracker::Impl& impl, const CheckedEvent& ev, std::optional<EventId> self,
                      std::string_view prefix) {
  if (ev.includes.empty()) {
    return;
  }
  const CompanyId root = impl.root_of(ev.company);
  for (std::size_t i = 0; i < ev.includes.size(); ++i) {
    const EventId inc = ev.includes[i];
    const std::string field = indexed(prefix, "includes", i);
    const std::string value = std::to_string(inc.value());
    if (self && inc == *self) {
      throw invalid_field(field, value,
                          "an event cannot include itself:", ErrorCode::invalid_inclusion);
    }
    auto& st = impl.stmt(
        "SELECT e.company_id, e.announced_on, "
        "(SELECT including_event_id FROM event_inclusion WHERE included_event_id = e.id), e.kind "
        "FROM layoff_event e WHERE e.id = ?");
    st.bind(1, static_cast<int64_t>(inc.value()));
    if (!st.executeStep()) {
      throw invalid_field(field, value, "no event has id", ErrorCode::not_found);
    }
    const CompanyId company(st.getColumn(0).getInt64());
    const std::string date = st.getColumn(1).getString();
    const std::optional<std::int64_t> includer = detail::column_optional_int(st, 2);
    const EventKind kind = parse_event_kind(st.getColumn(3).getString(), "kind");
    st.reset();
    // Compared with the end of this event's period: "January 2023" may
    // include 2023-01-04.
    const int window = impl.options.filing_window_days;
    if (!may_include(ev.kind, ev.announced_on, kind, date, window)) {
      const bool filing = ev.kind == EventKind::announcement && kind == EventKind::filing;
      throw invalid_field(field, value,
                          "event {} is dated " + date + ", after this event (" +
                              ev.announced_on.to_string() + "); " +
                              (filing ? "an announcement can include filings up to " +
                                            std::to_string(window) + " days after it"
                                      : std::string("an event can only include earlier ones "
                                                    "(an announcement also filings up to " +
                                                    std::to_string(window) + " days later)")),
                          ErrorCode::invalid_inclusion);
    }
    if (includer && (!self || *includer != self->value())) {
      throw invalid_field(field, value,
                          "event {} is already included by event " + std::to_string(*includer),
                          ErrorCode::invalid_inclusion);
    }
    if (impl.root_of(company) != root) {
      throw invalid_field(field, value, "belongs to a company outside this company's tree: event",
                          ErrorCode::invalid_inclusion);
    }
    if (self) {
      // Same-day inclusions could otherwise form a loop: `inc` must not
      // (transitively) include the event being updated.
      auto& loop = impl.stmt(detail::inclusion_descent_cte("below", "?1") +
                             "SELECT 1 FROM below WHERE id = ?2");
      loop.bind(1, static_cast<int64_t>(inc.value()));
      loop.bind(2, static_cast<int64_t>(self->value()));
      const bool cycle = loop.executeStep();
      loop.reset();
      if (cycle) {
        throw invalid_field(field, value, "already includes this event: event",
                            ErrorCode::invalid_inclusion);
      }
    }
  }
}

Date latest_allowed(const Options& options) {
  return Date::today().plus_days(options.future_tolerance_days);
}

}  // namespace layoffs::detail::checks
