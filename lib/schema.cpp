// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "schema.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <layoffs/error.h>

#include "connection_settings.h"
#include "migration_data.h"
#include "sqlite_util.h"
#include "testing.h"

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

[[noreturn]] void throw_cannot_open(const std::string& path, const std::string& why) {
  throw Error(ErrorCode::cannot_open, "cannot open '" + path + "': " + why, "path", path);
}

// faccessat with the effective ids: what the process may do, in the
// operating system's words when it may not ("Permission denied"). Never
// opens a descriptor on the file (see read_header).
std::optional<std::string> access_denied(const std::filesystem::path& p, int mode) {
  if (faccessat(AT_FDCWD, p.c_str(), mode, AT_EACCESS) != 0) {
    return std::string(std::strerror(errno));
  }
  return std::nullopt;
}

std::filesystem::path directory_of(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

// How a file is opened, decided before SQLite sees it, so that what the
// operating system refuses is reported as it says it (SQLite says "unable to
// open database file" or "disk I/O error" for all of them).
struct OpenMode {
  bool exists = false;
  // A read-only Tracker whose file and directory we may write: opened
  // read-write with PRAGMA query_only, so that closing it removes the -wal
  // and -shm SQLite creates for any reader of a WAL file (a read-only
  // connection cannot, and leaves them behind empty).
  bool read_only_as_writer = false;
  // A read-only open that cannot create the -wal and -shm (someone else's
  // file in someone else's directory) and finds none: SQLite can then only
  // read the file as immutable.
  bool immutable = false;
};

OpenMode vet_path(const std::string& path, bool read_only, bool create) {
  namespace fs = std::filesystem;
  OpenMode mode;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) {
    throw_cannot_open(path, std::strerror(EISDIR));
  }
  const fs::path dir = directory_of(path);
  mode.exists = fs::exists(status);
  if (!mode.exists) {
    const fs::file_status dir_status = fs::status(dir, ec);
    if (!fs::exists(dir_status)) {
      throw_cannot_open(path, "no such directory '" + dir.string() + "'");
    }
    if (!fs::is_directory(dir_status)) {
      throw_cannot_open(path, "'" + dir.string() + "' is not a directory");
    }
    if (read_only || !create) {
      throw Error(ErrorCode::not_found, "database '" + path + "' does not exist", "path", path);
    }
    if (const auto why = access_denied(dir, W_OK | X_OK)) {
      throw_cannot_open(path, "cannot create a file in '" + dir.string() + "': " + *why);
    }
    return mode;
  }
  if (const auto why = access_denied(path, R_OK)) {
    throw_cannot_open(path, *why);
  }
  const bool file_writable = !access_denied(path, W_OK);
  const bool dir_writable = !access_denied(dir, W_OK | X_OK);
  if (!read_only) {
    if (!file_writable) {
      throw_cannot_open(path, std::string(std::strerror(EACCES)) +
                                  " (it can be opened read-only, without writing)");
    }
    if (!dir_writable && !fs::exists(path + "-wal", ec)) {
      throw_cannot_open(
          path, "cannot create its -wal file in '" + dir.string() + "': " + std::strerror(EACCES));
    }
    return mode;
  }
  const bool wal_exists = fs::exists(path + "-wal", ec);
  const bool shm_exists = fs::exists(path + "-shm", ec);
  mode.read_only_as_writer = file_writable && dir_writable && !wal_exists;
  mode.immutable = !dir_writable && !wal_exists && !shm_exists;
  return mode;
}

// "file:/a%20b/c.db?immutable=1": a path as an SQLite URI.
std::string immutable_uri(const std::string& path) {
  std::string out = "file:";
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '%' || c == '?' || c == '#' || u < 0x21 || u >= 0x7f) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "?immutable=1";
}

// ---- testing::set_memory_from_image (testing.h) ----------------------------

std::atomic<bool> g_memory_from_image{false};

// Replaces the (empty) main database of `db` by a copy of the image.
void load_migrated_image(SQLite::Database& db, spdlog::logger& log) {
  const std::string& image = migrated_image(log).bytes;
  const auto size = static_cast<sqlite3_int64>(image.size());
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(static_cast<sqlite3_uint64>(size)));
  if (copy == nullptr) {
    throw Error(ErrorCode::out_of_memory, "cannot copy the migrated image");
  }
  std::memcpy(copy, image.data(), image.size());
  // FREEONCLOSE: SQLite owns `copy` from here on, even if this fails.
  const int rc =
      sqlite3_deserialize(db.getHandle(), "main", copy, size, size,
                          SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  if (rc != SQLITE_OK) {
    throw Error(error_code_for_sqlite(rc), "cannot load the migrated image", {}, {}, rc);
  }
}

}  // namespace

namespace testing {

void set_memory_from_image(bool on) noexcept {
  g_memory_from_image.store(on, std::memory_order_relaxed);
}

bool memory_from_image() noexcept {
  return g_memory_from_image.load(std::memory_order_relaxed);
}

}  // namespace testing

const MigratedImage& migrated_image(spdlog::logger& log) {
  static std::once_flag once;
  static MigratedImage image;
  std::call_once(once, [&] {
    SQLite::Database scratch(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    configure_connection(scratch);
    apply_migrations(scratch, ":memory:", log);
    SQLite::Statement tables(scratch,
                             "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                             "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    while (tables.executeStep()) {
      const std::string name = tables.getColumn(0).getString();
      const std::string dump = table_dump(scratch, name);
      if (dump.empty()) {
        image.empty_tables.push_back(name);
      } else {
        image.filled_tables.push_back(name);
        image.filled_dumps.push_back(dump);
      }
    }
    // Referencing tables before the tables they reference, so that deleting
    // every row in this order never breaks a foreign key midway.
    std::vector<std::string> ordered;
    std::vector<std::string> pending = image.empty_tables;
    SQLite::Statement refs(scratch, "SELECT \"table\" FROM pragma_foreign_key_list(?)");
    while (!pending.empty()) {
      const std::size_t before = pending.size();
      for (auto it = pending.begin(); it != pending.end();) {
        // Ready when no other pending table references it.
        bool referenced = false;
        for (const std::string& other : pending) {
          if (other == *it) {
            continue;
          }
          refs.bind(1, other);
          while (refs.executeStep()) {
            referenced = referenced || refs.getColumn(0).getString() == *it;
          }
          refs.reset();
        }
        if (referenced) {
          ++it;
        } else {
          ordered.push_back(*it);
          it = pending.erase(it);
        }
      }
      if (pending.size() == before) {
        throw Error(ErrorCode::database, "the schema's foreign keys form a cycle");
      }
    }
    image.empty_tables = std::move(ordered);
    // A table referencing itself with ON DELETE RESTRICT (company.parent_id)
    // cannot lose a parent before its children, even in one DELETE: those
    // columns are cleared first.
    SQLite::Statement self_refs(
        scratch, "SELECT \"from\" FROM pragma_foreign_key_list(?1) WHERE \"table\" = ?1");
    for (const std::string& table : image.empty_tables) {
      self_refs.bind(1, table);
      while (self_refs.executeStep()) {
        const std::string column = quote_identifier(self_refs.getColumn(0).getString());
        image.clear_self_references.push_back("UPDATE " + quote_identifier(table) + " SET " +
                                              column + " = NULL WHERE " + column + " IS NOT NULL");
      }
      self_refs.reset();
    }
    sqlite3_int64 size = 0;
    unsigned char* bytes = sqlite3_serialize(scratch.getHandle(), "main", &size, 0);
    if (bytes == nullptr) {
      throw Error(ErrorCode::out_of_memory, "cannot serialize the migrated image");
    }
    image.bytes.assign(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
    sqlite3_free(bytes);
  });
  return image;
}

std::string quote_identifier(const std::string& name) {
  std::string quoted = "\"";
  for (const char c : name) {
    quoted += c;
    if (c == '"') {
      quoted += c;
    }
  }
  return quoted + "\"";
}

std::string table_dump(SQLite::Database& db, const std::string& table) {
  SQLite::Statement st(db, "SELECT * FROM " + quote_identifier(table));
  return table_dump(st);
}

std::string table_dump(SQLite::Statement& st) {
  std::vector<std::string> rows;
  while (st.executeStep()) {
    std::string row;
    for (int i = 0; i < st.getColumnCount(); ++i) {
      const SQLite::Column c = st.getColumn(i);
      row += std::to_string(c.getType()) + ":" + std::to_string(c.getBytes()) + ":";
      if (c.getBytes() > 0) {
        row.append(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
      }
      row += '|';
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (const std::string& r : rows) {
    out += r + "\n";
  }
  return out;
}

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
  const OpenMode mode = memory ? OpenMode{} : vet_path(path, read_only, options.create_if_missing);
  if (options.busy_timeout.count() < 0 || options.busy_timeout > std::chrono::hours(24)) {
    throw invalid_field("busy_timeout", std::to_string(options.busy_timeout.count()) + " ms",
                        "must be from 0 to 24 hours, not");
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

  const bool sqlite_read_only = read_only && !mode.read_only_as_writer;
  int flags = sqlite_read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
  if (!read_only && options.create_if_missing) {
    flags |= SQLite::OPEN_CREATE;
  }
  std::string filename = path;
  if (mode.immutable) {
    flags |= SQLITE_OPEN_URI;
    filename = immutable_uri(path);
  }
  // The Tracker's own mutex serializes every use of its connection, so
  // SQLite's per-connection mutex (taken and released by every
  // sqlite3_column_* call in serialized mode) only costs time.
  flags |= SQLITE_OPEN_NOMUTEX;
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(filename, flags,
                                            static_cast<int>(options.busy_timeout.count()));
    busy.install(db->getHandle());
    configure_connection(*db);
    if (read_only) {
      db->exec("PRAGMA query_only = ON");  // read_only_as_writer: still writes nothing
    }
    if (memory && !read_only && testing::memory_from_image()) {
      load_migrated_image(*db, log);
    }
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
