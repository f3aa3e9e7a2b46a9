// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <layoffs/tracker.h>

namespace layoffs::io::detail {

// Every event with the key it is exported under (its own key, else one
// computed from its facts), in export order: by date, then key, with each
// included event ahead of the event that includes it; each event's
// `includes` sorted by export position. Defined in jsonl.cpp and shared
// with csv_export.cpp, so both exporters agree on order and keys.
std::vector<std::pair<Event, std::string>> events_in_export_order(const Tracker& tracker);

}  // namespace layoffs::io::detail
