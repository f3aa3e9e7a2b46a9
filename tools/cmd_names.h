// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// `layoffs company suggest` and `layoffs company merge FROM INTO`.
#pragma once

#include <string>

namespace layoffs::cli {

// Prints groups of companies that are probably one, with the reason.
int company_suggest(const std::string& db, bool json);
// Merges FROM into INTO (names or aliases) and says what moved.
int company_merge(const std::string& db, const std::string& from, const std::string& into);

}  // namespace layoffs::cli
