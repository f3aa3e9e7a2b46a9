// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "test_util.h"

#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace layoffs::test {

TempDir::TempDir() {
  std::random_device rd;
  const auto base = std::filesystem::temp_directory_path();
  for (;;) {
    path_ = base / ("layoffs-test-" + std::to_string(rd()) + std::to_string(rd()));
    if (std::filesystem::create_directory(path_)) {
      break;
    }
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

namespace {

struct RawDb {
  sqlite3* db = nullptr;
  explicit RawDb(const std::string& path, int flags = SQLITE_OPEN_READONLY) {
    sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  }
  ~RawDb() { sqlite3_close(db); }
};

}  // namespace

std::vector<std::string> query(const std::string& db_path, const std::string& sql) {
  RawDb raw(db_path);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(raw.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    return {"error: " + std::string(sqlite3_errmsg(raw.db))};
  }
  std::vector<std::string> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* text = sqlite3_column_text(st, i);
      row += text ? reinterpret_cast<const char*>(text) : "NULL";
      row += '|';
    }
    rows.push_back(row);
  }
  sqlite3_finalize(st);
  return rows;
}

std::string dump(const std::string& db_path) {
  std::string out;
  auto run = [&](const std::string& sql) { return query(db_path, sql); };
  for (const auto& v : run("PRAGMA user_version"))
    out += "user_version " + v + "\n";
  for (const auto& v : run("PRAGMA application_id"))
    out += "application_id " + v + "\n";
  for (const auto& table :
       run("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
    const std::string name = table.substr(0, table.size() - 1);
    out += "table " + name + "\n";
    for (const auto& row : run("SELECT * FROM \"" + name + "\" ORDER BY 1, 2")) {
      out += "  " + row + "\n";
    }
  }
  return out;
}

int exec_raw(const std::string& db_path, const std::string& sql, std::string* error) {
  RawDb raw(db_path, SQLITE_OPEN_READWRITE);
  sqlite3_exec(raw.db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  char* message = nullptr;
  const int rc = sqlite3_exec(raw.db, sql.c_str(), nullptr, nullptr, &message);
  if (error) {
    *error = message ? message : "";
  }
  sqlite3_free(message);
  return rc;
}

int exec_at_prompt(const std::string& db_path, const std::string& sql, std::string* error) {
  RawDb raw(db_path, SQLITE_OPEN_READWRITE);
  sqlite3_exec(raw.db, "PRAGMA foreign_keys = OFF", nullptr, nullptr, nullptr);
  char* message = nullptr;
  const int rc = sqlite3_exec(raw.db, sql.c_str(), nullptr, nullptr, &message);
  if (error) {
    *error = message ? message : "";
  }
  sqlite3_free(message);
  return rc;
}

Rows query_rows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  Rows rows;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot prepare " << sql << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* text = sqlite3_column_text(st, i);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    ADD_FAILURE() << "query " << sql << " failed: " << sqlite3_errmsg(db);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

std::string query_one(const std::string& path, const std::string& sql) {
  const Rows rows = query_rows(path, sql);
  if (rows.empty() || rows[0].empty()) {
    ADD_FAILURE() << "no value from " << sql;
    return {};
  }
  return rows[0][0];
}

}  // namespace layoffs::test
