// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Text forms of the public enums: the values stored in the database and shown
// by tools. Each parse_* is the exact inverse of its to_string.
#include <array>
#include <utility>

#include <layoffs/error.h>
#include <layoffs/model.h>
#include <layoffs/query.h>

namespace layoffs {

namespace {

template <class E, std::size_t N>
E parse_enum(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text,
             std::string_view field, std::string_view what) {
  for (const auto& [value, name] : table) {
    if (name == text) {
      return value;
    }
  }
  std::string expected;
  for (const auto& [value, name] : table) {
    expected += expected.empty() ? "" : ", ";
    expected += name;
  }
  throw invalid_field(
      field, text, "is not a known " + std::string(what) + " (expected one of " + expected + "):");
}

template <class E, std::size_t N>
std::string_view enum_name(const std::array<std::pair<E, std::string_view>, N>& table,
                           E v) noexcept {
  for (const auto& [value, name] : table) {
    if (value == v) {
      return name;
    }
  }
  return "invalid";
}

constexpr std::array<std::pair<SourceTier, std::string_view>, 4> kTiers{{
    {SourceTier::filing, "filing"},
    {SourceTier::company_statement, "company_statement"},
    {SourceTier::media_report, "media_report"},
    {SourceTier::leak, "leak"},
}};

constexpr std::array<std::pair<ReasonCategory, std::string_view>, 8> kCategories{{
    {ReasonCategory::cost_cutting, "cost_cutting"},
    {ReasonCategory::restructuring, "restructuring"},
    {ReasonCategory::strategy_shift, "strategy_shift"},
    {ReasonCategory::automation, "automation"},
    {ReasonCategory::outsourcing, "outsourcing"},
    {ReasonCategory::market_conditions, "market_conditions"},
    {ReasonCategory::closure, "closure"},
    {ReasonCategory::other, "other"},
}};

constexpr std::array<std::pair<Grouping, std::string_view>, 11> kGroupings{{
    {Grouping::company, "company"},
    {Grouping::top_company, "top_company"},
    {Grouping::year, "year"},
    {Grouping::quarter, "quarter"},
    {Grouping::month, "month"},
    {Grouping::department, "department"},
    {Grouping::reason, "reason"},
    {Grouping::industry, "industry"},
    {Grouping::country, "country"},
    {Grouping::us_state, "us_state"},
    {Grouping::kind, "kind"},
}};

constexpr std::array<std::pair<EventKind, std::string_view>, 2> kEventKinds{{
    {EventKind::announcement, "announcement"},
    {EventKind::filing, "filing"},
}};

constexpr std::array<std::pair<EventStatus, std::string_view>, 3> kEventStatuses{{
    {EventStatus::active, "active"},
    {EventStatus::superseded, "superseded"},
    {EventStatus::retracted, "retracted"},
}};

// USPS codes of the states, DC and the inhabited territories, as the schema's
// CHECK on layoff_event.us_state lists them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 56> kUsStates{{
    {"AL", "Alabama"},
    {"AK", "Alaska"},
    {"AZ", "Arizona"},
    {"AR", "Arkansas"},
    {"CA", "California"},
    {"CO", "Colorado"},
    {"CT", "Connecticut"},
    {"DE", "Delaware"},
    {"DC", "District of Columbia"},
    {"FL", "Florida"},
    {"GA", "Georgia"},
    {"HI", "Hawaii"},
    {"ID", "Idaho"},
    {"IL", "Illinois"},
    {"IN", "Indiana"},
    {"IA", "Iowa"},
    {"KS", "Kansas"},
    {"KY", "Kentucky"},
    {"LA", "Louisiana"},
    {"ME", "Maine"},
    {"MD", "Maryland"},
    {"MA", "Massachusetts"},
    {"MI", "Michigan"},
    {"MN", "Minnesota"},
    {"MS", "Mississippi"},
    {"MO", "Missouri"},
    {"MT", "Montana"},
    {"NE", "Nebraska"},
    {"NV", "Nevada"},
    {"NH", "New Hampshire"},
    {"NJ", "New Jersey"},
    {"NM", "New Mexico"},
    {"NY", "New York"},
    {"NC", "North Carolina"},
    {"ND", "North Dakota"},
    {"OH", "Ohio"},
    {"OK", "Oklahoma"},
    {"OR", "Oregon"},
    {"PA", "Pennsylvania"},
    {"RI", "Rhode Island"},
    {"SC", "South Carolina"},
    {"SD", "South Dakota"},
    {"TN", "Tennessee"},
    {"TX", "Texas"},
    {"UT", "Utah"},
    {"VT", "Vermont"},
    {"VA", "Virginia"},
    {"WA", "Washington"},
    {"WV", "West Virginia"},
    {"WI", "Wisconsin"},
    {"WY", "Wyoming"},
    {"AS", "American Samoa"},
    {"GU", "Guam"},
    {"MP", "Northern Mariana Islands"},
    {"PR", "Puerto Rico"},
    {"VI", "U.S. Virgin Islands"},
}};

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

constexpr std::array<std::pair<Verdict, std::string_view>, 3> kVerdicts{{
    {Verdict::consistent, "consistent"},
    {Verdict::events_fall_short, "events_fall_short"},
    {Verdict::events_exceed, "events_exceed"},
}};

}  // namespace

std::string_view to_string(SourceTier tier) noexcept {
  return enum_name(kTiers, tier);
}
SourceTier parse_source_tier(std::string_view text, std::string_view field) {
  return parse_enum(kTiers, text, field, "source tier");
}

std::string_view to_string(ReasonCategory c) noexcept {
  return enum_name(kCategories, c);
}
ReasonCategory parse_reason_category(std::string_view text, std::string_view field) {
  return parse_enum(kCategories, text, field, "reason category");
}

std::string_view to_string(Grouping g) noexcept {
  return enum_name(kGroupings, g);
}
Grouping parse_grouping(std::string_view text, std::string_view field) {
  return parse_enum(kGroupings, text, field, "grouping");
}

std::string_view to_string(EventKind k) noexcept {
  return enum_name(kEventKinds, k);
}
EventKind parse_event_kind(std::string_view text, std::string_view field) {
  return parse_enum(kEventKinds, text, field, "event kind");
}

std::string_view to_string(EventStatus s) noexcept {
  return enum_name(kEventStatuses, s);
}
EventStatus parse_event_status(std::string_view text, std::string_view field) {
  return parse_enum(kEventStatuses, text, field, "event status");
}

std::string us_state_code(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  for (const auto& [code, name] : kUsStates) {
    if (iequal(text, code) || iequal(text, name)) {
      return std::string(code);
    }
  }
  return {};
}

std::string_view us_state_name(std::string_view code) noexcept {
  for (const auto& [c, name] : kUsStates) {
    if (c == code) {
      return name;
    }
  }
  return {};
}

std::string_view to_string(Verdict v) noexcept {
  return enum_name(kVerdicts, v);
}

}  // namespace layoffs
