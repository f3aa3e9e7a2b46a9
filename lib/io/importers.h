// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The format-specific importers behind io::import_file. Each reads `path`
// as its format and follows import.h's contract (one transaction, strict or
// skip_bad with rejects, stable row keys, streaming).
#pragma once

#include <string>
#include <string_view>

#include "import.h"

namespace layoffs::io::detail {

// Shared by the importers.

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or code points
// above U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;
// True for the errors that make a row (a line) bad rather than the import
// fail: its content was refused. Database and machine errors (busy, disk
// full, ...) fail the import even with skip_bad.
bool is_row_error(const Error& e) noexcept;

ImportSummary import_layoffsfyi(Tracker& tracker, const std::string& path,
                                const ImportOptions& options);
ImportSummary import_warn(Tracker& tracker, const std::string& path, const ImportOptions& options);
ImportSummary import_jsonl(Tracker& tracker, const std::string& path, const ImportOptions& options);

}  // namespace layoffs::io::detail
