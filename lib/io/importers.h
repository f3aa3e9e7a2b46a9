// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The format-specific importers behind io::import_file. Each reads `path`
// as its format and follows import.h's contract (one transaction, strict or
// skip_bad with rejects, stable row keys, streaming).
#pragma once

#include <string>
#include <string_view>

#include "csv_text.h"
#include "import.h"

namespace layoffs::io {
struct Mapping;
}

namespace layoffs::io::detail {

// Shared by the importers.

// True for the errors that make a row (a line) bad rather than the import
// fail: its content was refused. Database and machine errors (busy, disk
// full, ...) fail the import even with skip_bad.
bool is_row_error(const Error& e) noexcept;

// A CSV file read through `mapping`, or (nullptr) through the known variant
// its header matches, among those of `format` (auto_detect: any).
ImportSummary import_mapped(Tracker& tracker, const std::string& path, const ImportOptions& options,
                            Format format, const Mapping* mapping);
ImportSummary import_jsonl(Tracker& tracker, const std::string& path, const ImportOptions& options);

}  // namespace layoffs::io::detail
