// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <layoffs/options.h>

#include "sqlite_util.h"

namespace layoffs::detail {

// Our PRAGMA application_id: "LAYF" in ASCII. `file` recognises it after an
// entry in its magic database; sqlite3 shows it with `PRAGMA application_id`.
inline constexpr std::int32_t kApplicationId = 0x4C415946;

// Opens a connection with our settings, probes the file, and (unless read
// only) applies pending migrations. The connection layer: the only code that
// opens a database. Throws layoffs::Error; on a refusal the file is unchanged.
// `busy` becomes the connection's busy handler and must outlive it.
std::unique_ptr<SQLite::Database> open_database(const std::string& path, const Options& options,
                                                spdlog::logger& log, BusyWaiter& busy);

// The newest schema version the embedded migrations produce.
int latest_schema_version() noexcept;

// PRAGMA user_version of an open connection.
int schema_version(SQLite::Database& db);

}  // namespace layoffs::detail
