// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Fuzz target: the layoffs.fyi CSV importer (io::import_file with
// Format::layoffsfyi), strict and with skip_bad. See import_check.h for the
// properties checked.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "import_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) {
    return 0;
  }
  layoffs::fuzz::import_and_check(std::string_view(reinterpret_cast<const char*>(data), size),
                                  layoffs::io::Format::layoffsfyi, "csv", /*rows_add_up=*/true);
  return 0;
}
