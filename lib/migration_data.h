// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <vector>

namespace layoffs::detail {

// One migrations/NNNN_name.sql file, embedded at build time by
// cmake/EmbedMigrations.cmake.
struct EmbeddedMigration {
  int version;         // NNNN; versions run 1..N with no gaps (checked by CMake)
  const char* name;    // "initial_schema"
  const char* sql;     // the file's exact text
  const char* sha256;  // lower-case hex SHA-256 of that text
};

// In version order.
const std::vector<EmbeddedMigration>& embedded_migrations();

}  // namespace layoffs::detail
