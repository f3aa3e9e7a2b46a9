// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// What JSON Lines export and import share: the computed keys of events that
// have none, and the order events are written in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <layoffs/model.h>

namespace layoffs::io::detail {

// Collisions need an explicit key that looks computed; more than a few in a
// row do not happen, so the importer looks no further than this.
constexpr int kMaxKeyAttempts = 64;
// An event's content as one string (its company, date, headcount, ...).
std::string canonical_event(std::string_view company_name, const NewEvent& e);
// "computed:<hash>" (attempt 1) or "computed:<hash>#N".
std::string computed_key(std::string_view canonical, int attempt);
// True if `key` is one computed_key() would give this event.
bool is_computed_key(std::string_view key, std::string_view company_name, const NewEvent& e);

// Kahn's algorithm keeping `order` wherever `before[i]` (the items that
// must precede item i) allows (see jsonl_keys.cpp).
std::vector<std::size_t> stable_topological(const std::vector<std::size_t>& order,
                                            const std::vector<std::vector<std::size_t>>& before);

}  // namespace layoffs::io::detail
