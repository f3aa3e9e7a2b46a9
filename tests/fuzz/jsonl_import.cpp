// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Fuzz target: the JSON Lines importer (io::import_file with Format::jsonl),
// strict and with skip_bad; after a successful import, export -> import into
// an empty database -> export must give the same bytes. See import_check.h
// for the properties checked.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "import_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) {
    return 0;
  }
  // Company and claim lines are rows too, so the counts need not add up.
  layoffs::fuzz::import_and_check(std::string_view(reinterpret_cast<const char*>(data), size),
                                  layoffs::io::Format::jsonl, "jsonl", /*rows_add_up=*/false);
  return 0;
}
