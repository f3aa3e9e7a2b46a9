// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <ostream>

#include <layoffs/tracker.h>

namespace layoffs::io {

// JSON Lines: one JSON object per line, everything in the database:
// companies (with parent and aliases), events (company, headcount phrase and
// bounds, dates with precision, departments, reasons, sources, inclusions by
// stable key, ...) and claims. Deterministic: exporting, importing into an
// empty database and exporting again gives byte-identical output.
void export_jsonl(const Tracker& tracker, std::ostream& out);

// CSV with layoffs.fyi-like columns plus ours (headcount low/high/phrase,
// precision, key), one row per event, RFC 4180 quoting.
void export_csv(const Tracker& tracker, std::ostream& out);

}  // namespace layoffs::io
