// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The format-specific importers behind io::import_file. Each reads `path`
// as its format and follows import.h's contract (one transaction, strict or
// skip_bad with rejects, stable row keys, streaming).
#pragma once

#include <string>

#include "import.h"

namespace layoffs::io::detail {

ImportSummary import_layoffsfyi(Tracker& tracker, const std::string& path,
                                const ImportOptions& options);
ImportSummary import_warn(Tracker& tracker, const std::string& path, const ImportOptions& options);
ImportSummary import_jsonl(Tracker& tracker, const std::string& path, const ImportOptions& options);

}  // namespace layoffs::io::detail
