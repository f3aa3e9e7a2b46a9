// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Reading model values from the columns of a result row, shared by every
// query that returns them.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <layoffs/headcount.h>
#include <layoffs/model.h>

namespace layoffs::detail {

// Columns from `first`: id, name, parent_id, industry, hq_location, country
// (aliases are not read).
Company read_company(const SQLite::Statement& st, int first = 0);

// Columns from `first`: url, title, publisher, published_on, tier.
Source read_source(const SQLite::Statement& st, int first);

// Columns from `first`: kind, low, high, estimate, phrase.
Headcount read_headcount(const SQLite::Statement& st, int first);

// Columns from `first`: announced_on, announced_precision (a month- or
// year-dated event is stored at its first day).
Date read_announced_on(const SQLite::Statement& st, int first);

}  // namespace layoffs::detail
