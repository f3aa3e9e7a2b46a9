// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "schema.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <thread>

#include <sqlite3.h>

#include <layoffs/error.h>

#include "connection_settings.h"
#include "migration_data.h"
#include "sqlite_util.h"

namespace layoffs::detail {

namespace {

constexpr const char* kBookkeepingSql =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY CHECK (version > 0),"
    " name TEXT NOT NULL,"
    " checksum TEXT NOT NULL CHECK (length(checksum) = 64),"
    " applied_at TEXT NOT NULL"
    ") STRICT";

bool is_memory_path(const std::string& path) {
  return path == ":memory:";
}

// connection_settings.h, throwing as SQLiteCpp does.
void configure_connection(SQLite::Database& db) {
  if (const int rc = detail::configure_connection(db.getHandle()); rc != SQLITE_OK) {
    throw SQLite::Exception(db.getHandle(), rc);
  }
}

enum class FileState { empty, ours, foreign };

struct Probe {
  FileState state;
  std::int64_t application_id;
  int user_version;
};

// Reads the header fields with queries. Reading a file that is not SQLite
// fails here with SQLITE_NOTADB, before anything could be written to it.
Probe probe(SQLite::Database& db, const std::string& path) {
  try {
    const std::int64_t objects = query_int(db, "SELECT count(*) FROM sqlite_schema");
    const std::int64_t app_id = query_int(db, "PRAGMA application_id");
    const auto version = static_cast<int>(query_int(db, "PRAGMA user_version"));
    if (app_id == kApplicationId) {
      return {FileState::ours, app_id, version};
    }
    if (app_id == 0 && objects == 0 && version == 0) {
      return {FileState::empty, app_id, version};
    }
    return {FileState::foreign, app_id, version};
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode();
    if (code == SQLITE_NOTADB) {
      throw Error(ErrorCode::not_a_database,
                  "'" + path + "' is not an SQLite database (" + e.what() + ")", "path", path,
                  code);
    }
    throw translate(e, "cannot read '" + path + "'");
  }
}

// journal_mode=WAL needs a moment of exclusive access; two processes opening
// a new file at once can see SQLITE_BUSY here even with a busy handler, so
// retry within the busy timeout.
void enable_wal(SQLite::Database& db, std::chrono::milliseconds timeout, const std::string& path) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    try {
      SQLite::Statement st(db, "PRAGMA journal_mode = WAL");
      st.executeStep();
      const std::string mode = st.getColumn(0).getString();
      if (mode != "wal") {
        throw Error(ErrorCode::database,
                    "cannot switch '" + path + "' to WAL journal mode (still " + mode + ")");
      }
      return;
    } catch (const SQLite::Exception& e) {
      if ((e.getErrorCode() & 0xff) != SQLITE_BUSY ||
          std::chrono::steady_clock::now() >= deadline) {
        throw translate(e, "cannot switch '" + path + "' to WAL journal mode");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

std::string migration_label(const EmbeddedMigration& m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", m.version);
  return std::string(buf) + "_" + m.name;
}

void apply_migrations(SQLite::Database& db, const std::string& path, spdlog::logger& log) {
  const auto& migrations = embedded_migrations();
  for (const EmbeddedMigration& m : migrations) {
    if (schema_version(db) >= m.version) {
      continue;
    }
    try {
      WriteTransaction tx(db);
      // Re-read under the write lock: another connection may have migrated
      // while we waited for it. This is what keeps two processes opening a
      // fresh file from both migrating.
      const int current = schema_version(db);
      if (current >= m.version) {
        tx.commit();
        continue;
      }
      if (current == 0) {
        const std::int64_t app_id = query_int(db, "PRAGMA application_id");
        const std::int64_t objects = query_int(db, "SELECT count(*) FROM sqlite_schema");
        if (app_id != 0 && app_id != kApplicationId) {
          throw Error(ErrorCode::foreign_database,
                      "'" + path + "' belongs to another application (application_id " +
                          std::to_string(app_id) + ")");
        }
        if (app_id == 0 && objects != 0) {
          throw Error(ErrorCode::foreign_database,
                      "'" + path + "' is an SQLite database of another application (it has " +
                          std::to_string(objects) +
                          " schema objects and no layoffs application_id)");
        }
        db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
      }
      db.exec(kBookkeepingSql);
      db.exec(m.sql);
      SQLite::Statement record(
          db,
          "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
          "VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
      record.bind(1, m.version);
      record.bind(2, m.name);
      record.bind(3, m.sha256);
      record.exec();
      db.exec("PRAGMA user_version = " + std::to_string(m.version));
      tx.commit();
      log.info("applied migration {} to '{}'", migration_label(m), path);
    } catch (const SQLite::Exception& e) {
      throw translate(e, "migration " + migration_label(m) + " failed on '" + path + "'");
    }
  }
}

// Every applied migration must be the one embedded here, byte for byte.
void verify_applied(SQLite::Database& db, const std::string& path, int version) {
  if (version == 0) {
    return;
  }
  const auto& migrations = embedded_migrations();
  try {
    if (query_int(db,
                  "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = "
                  "'schema_migrations'") == 0) {
      throw Error(ErrorCode::migration_mismatch, "'" + path + "' has schema version " +
                                                     std::to_string(version) +
                                                     " but no schema_migrations table");
    }
    SQLite::Statement st(db,
                         "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
    int expected = 1;
    while (st.executeStep()) {
      const int v = st.getColumn(0).getInt();
      if (v > version) {
        break;
      }
      if (v != expected) {
        throw Error(ErrorCode::migration_mismatch,
                    "'" + path + "': schema_migrations lacks version " + std::to_string(expected));
      }
      const EmbeddedMigration& m = migrations.at(static_cast<std::size_t>(v - 1));
      const std::string checksum = st.getColumn(2).getString();
      if (checksum != m.sha256) {
        throw Error(ErrorCode::migration_mismatch,
                    "'" + path + "': applied migration " + migration_label(m) + " has checksum " +
                        checksum + ", but this library's copy has " + m.sha256 +
                        " (a migration file was edited after it was applied)");
      }
      ++expected;
    }
    if (expected != version + 1) {
      throw Error(ErrorCode::migration_mismatch,
                  "'" + path + "': schema_migrations lacks version " + std::to_string(expected));
    }
  } catch (const SQLite::Exception& e) {
    throw translate(e, "cannot read schema_migrations of '" + path + "'");
  }
}

// Refuses a probed file that is not ours, or is newer than this library.
void refuse_unless_ours(const Probe& p, const std::string& path) {
  const int latest = static_cast<int>(embedded_migrations().size());
  if (p.state == FileState::foreign) {
    throw Error(ErrorCode::foreign_database,
                "'" + path + "' is an SQLite database of another application (application_id " +
                    std::to_string(p.application_id) + ", not layoffs' " +
                    std::to_string(kApplicationId) + ")",
                "path", path);
  }
  if (p.user_version > latest) {
    throw Error(ErrorCode::schema_too_new,
                "'" + path + "' has schema version " + std::to_string(p.user_version) +
                    ", newer than this library's version " + std::to_string(latest) +
                    "; upgrade layoffs to open it",
                "path", path);
  }
}

std::uint32_t big_endian_32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// Decides whether an existing, non-empty file may be opened, without writing
// to it: a read-write connection that is closed would checkpoint a leftover
// -wal into the file, and one that reads a hot journal rolls it back. So the
// 100-byte header is read as plain bytes first, then the file is probed
// through a read-only connection that never checkpoints (it sees WAL
// content the header may not). Throws on refusal.
// Reads the first bytes of the database file through SQLite's own file
// handle. Never through a stream of ours: closing any descriptor of a file
// drops every POSIX lock this process holds on it, including the shared
// lock another Tracker in the process keeps on a WAL database, after which
// other processes may checkpoint and delete its -wal under it. SQLite's
// unix VFS shares one set of descriptors and locks per file per process.
// Returns how many bytes were read (fewer than asked if the file is short).
std::size_t read_header(SQLite::Database& ro, unsigned char* out, int size) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(ro.getHandle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr) {
    return 0;
  }
  sqlite3_int64 file_size = 0;
  if (file->pMethods->xFileSize(file, &file_size) != SQLITE_OK) {
    return 0;
  }
  const int n = static_cast<int>(std::min<sqlite3_int64>(file_size, size));
  if (n <= 0 || file->pMethods->xRead(file, out, n, 0) != SQLITE_OK) {
    return 0;
  }
  return static_cast<std::size_t>(n);
}

void vet_existing_file(const std::string& path) {
  // A read-only connection reads nothing until asked, and writes nothing;
  // never checkpointing on close keeps a leftover -wal out of the file.
  std::optional<SQLite::Database> ro;
  try {
    ro.emplace(path, SQLite::OPEN_READONLY);
    sqlite3_db_config(ro->getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  } catch (const SQLite::Exception& e) {
    throw translate(e, "cannot open '" + path + "'");
  }
  unsigned char header[100] = {};
  static constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with its NUL
  if (read_header(*ro, header, sizeof header) < sizeof header ||
      std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    throw Error(ErrorCode::not_a_database,
                "'" + path + "' is not an SQLite database (no SQLite header)", "path", path);
  }
  const auto app_id = static_cast<std::int32_t>(big_endian_32(header + 68));
  const auto user_version = static_cast<int>(static_cast<std::int32_t>(big_endian_32(header + 60)));
  const std::uint32_t schema_cookie = big_endian_32(header + 40);
  Probe from_header{FileState::empty, app_id, user_version};
  if (app_id == kApplicationId) {
    from_header.state = FileState::ours;
  } else if (app_id != 0 || schema_cookie != 0 || user_version != 0) {
    from_header.state = FileState::foreign;  // someone else's, or had tables once
  }
  refuse_unless_ours(from_header, path);
  // Ours, not too new, and nothing beside it that could hold newer pages or
  // need rolling back: the header told the whole story, and the real
  // connection probes again. (Saves a schema parse per open.)
  std::error_code ec;
  if (from_header.state == FileState::ours && !std::filesystem::exists(path + "-wal", ec) &&
      !std::filesystem::exists(path + "-journal", ec)) {
    return;
  }

  try {
    configure_connection(*ro);
    const Probe p = probe(*ro, path);
    refuse_unless_ours(p, path);
    verify_applied(*ro, path, p.user_version);
  } catch (const SQLite::Exception& e) {
    // Cannot read it without writing (a hot journal, a WAL needing
    // recovery): the header alone decided, and it said ours or empty.
    if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB) {
      throw Error(ErrorCode::not_a_database,
                  "'" + path + "' is not an SQLite database (" + e.what() + ")", "path", path,
                  e.getErrorCode());
    }
  } catch (const Error& e) {
    switch (e.code()) {
      case ErrorCode::not_a_database:
      case ErrorCode::foreign_database:
      case ErrorCode::schema_too_new:
      case ErrorCode::migration_mismatch:
        throw;
      default:
        break;  // as above: the header decided
    }
  }
}

}  // namespace

int latest_schema_version() noexcept {
  return static_cast<int>(embedded_migrations().size());
}

int schema_version(SQLite::Database& db) {
  return static_cast<int>(query_int(db, "PRAGMA user_version"));
}

std::unique_ptr<SQLite::Database> open_database(const std::string& path, const Options& options,
                                                spdlog::logger& log, BusyWaiter& busy) {
  if (path.empty()) {
    throw invalid_field("path", path, "must name a file or \":memory:\":");
  }
  const bool memory = is_memory_path(path);
  const bool read_only = options.read_only;
  if (!memory && (read_only || !options.create_if_missing)) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      throw Error(ErrorCode::not_found, "database '" + path + "' does not exist", "path", path);
    }
  }
  if (options.busy_timeout.count() < 0 || options.busy_timeout > std::chrono::hours(24)) {
    throw invalid_field("busy_timeout", std::to_string(options.busy_timeout.count()) + " ms",
                        "must be from 0 to 24 hours, not");
  }
  if (options.filing_window_days < 0 || options.filing_window_days > 366) {
    throw invalid_field("filing_window_days", std::to_string(options.filing_window_days),
                        "must be from 0 to 366 days, not");
  }
  if (options.bulk_load_min_events < 1) {
    throw invalid_field("bulk_load_min_events", std::to_string(options.bulk_load_min_events),
                        "must be at least 1, not");
  }

  if (!memory) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > 0) {
      vet_existing_file(path);
    }
  }

  int flags = read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
  if (!read_only && options.create_if_missing) {
    flags |= SQLite::OPEN_CREATE;
  }
  // The Tracker's own mutex serializes every use of its connection, so
  // SQLite's per-connection mutex (taken and released by every
  // sqlite3_column_* call in serialized mode) only costs time.
  flags |= SQLITE_OPEN_NOMUTEX;
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(path, flags,
                                            static_cast<int>(options.busy_timeout.count()));
    busy.install(db->getHandle());
    configure_connection(*db);
  } catch (const SQLite::Exception& e) {
    throw translate(e, "cannot open '" + path + "'");
  }

  // Again on the real connection: the file may have changed since it was vetted.
  const Probe p = probe(*db, path);
  refuse_unless_ours(p, path);
  verify_applied(*db, path, p.user_version);
  const int latest = latest_schema_version();

  try {
    if (const int rc = configure_durability(db->getHandle()); rc != SQLITE_OK) {
      throw SQLite::Exception(db->getHandle(), rc);
    }
  } catch (const SQLite::Exception& e) {
    throw translate(e, "cannot configure '" + path + "'");
  }

  if (read_only) {
    if (p.user_version < latest) {
      throw Error(ErrorCode::schema_outdated,
                  "'" + path + "' has schema version " + std::to_string(p.user_version) +
                      " and needs migrating to " + std::to_string(latest) +
                      ", which a read-only open cannot do; open it once for writing",
                  "path", path);
    }
    return db;
  }
  try {
    if (!memory) {
      enable_wal(*db, options.busy_timeout, path);
    }
    apply_migrations(*db, path, log);
    // A newer library may have migrated the file between our probe and our
    // write lock; then it is too new for us after all.
    const Probe after = probe(*db, path);
    refuse_unless_ours(after, path);
    verify_applied(*db, path, after.user_version);
  } catch (const SQLite::Exception& e) {
    throw translate(e, "cannot migrate '" + path + "'");
  }
  return db;
}

}  // namespace layoffs::detail
