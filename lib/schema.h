// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
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

// TEST-ONLY (see testing.h): a freshly migrated in-memory database, made
// once per process.
struct MigratedImage {
  std::string bytes;                      // sqlite3_serialize of it
  std::vector<std::string> empty_tables;  // its tables without rows, referencing ones first
  std::vector<std::string> clear_self_references;  // UPDATEs to run before emptying them
  std::vector<std::string> filled_tables;          // the others (schema_migrations, ...)
  std::vector<std::string> filled_dumps;           // table_dump() of each filled table
};
const MigratedImage& migrated_image(spdlog::logger& log);

// Every row of `table`, as text, sorted: equal dumps mean equal contents.
std::string table_dump(SQLite::Database& db, const std::string& table);
// The same for the rows of `select` (a fresh or reset SELECT * FROM table).
std::string table_dump(SQLite::Statement& select);
// "name" quoted as an SQL identifier.
std::string quote_identifier(const std::string& name);

}  // namespace layoffs::detail
