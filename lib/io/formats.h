// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Recognising a CSV file's variant by its header.
#pragma once

#include <string>
#include <vector>

#include "import.h"
#include "mapping.h"

namespace layoffs::io::detail {

// The mapping for a header (its names as written, trimmed), among the
// variants of `format` (auto_detect: any); sets `format` to the one found.
// A header no variant knows is refused with Error(invalid_argument) that
// quotes it and names the variants known.
Mapping recognise(const std::vector<std::string>& header, Format& format);

// The header as one line, for messages.
std::string joined_header(const std::vector<std::string>& header);

}  // namespace layoffs::io::detail
