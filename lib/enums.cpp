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

constexpr std::array<std::pair<Grouping, std::string_view>, 7> kGroupings{{
    {Grouping::company, "company"},
    {Grouping::top_company, "top_company"},
    {Grouping::year, "year"},
    {Grouping::quarter, "quarter"},
    {Grouping::month, "month"},
    {Grouping::department, "department"},
    {Grouping::reason, "reason"},
}};

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

std::string_view to_string(Verdict v) noexcept {
  return enum_name(kVerdicts, v);
}

}  // namespace layoffs
