// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <layoffs/layoffs.h>

namespace layoffs::test {

// A fresh directory under the system temp dir, removed with everything in it
// when the object goes away. One per test, so tests never share files.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The bytes of a file ("" if it does not exist).
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& bytes);

// A fingerprint of the logical content of a database: every row of every
// table, in order, plus user_version and application_id. Two databases
// with the same content give the same string.
std::string dump(const std::string& db_path);

// Runs a query through a plain read-only SQLite connection; each row is its
// columns joined by '|' with a trailing '|' (NULL as "NULL").
std::vector<std::string> query(const std::string& db_path, const std::string& sql);

// The rows of a query run through a plain read-only SQLite connection, each
// row its columns (NULL reads as "NULL"). A connection or query that fails
// is a test failure (ADD_FAILURE) and gives the rows read so far.
using Rows = std::vector<std::vector<std::string>>;
Rows query_rows(const std::string& db_path, const std::string& sql);

// The first column of the first row of query_rows; a test failure if none.
std::string query_one(const std::string& db_path, const std::string& sql);

// Runs one SQL statement through a plain SQLite connection (not the library),
// as a person at the sqlite3 prompt would. Returns the SQLite result code and
// fills `error` with the message.
int exec_raw(const std::string& db_path, const std::string& sql, std::string* error = nullptr);

// Like exec_raw, but with the sqlite3 shell's defaults: PRAGMA foreign_keys
// is off (as it is at the prompt unless the user turns it on).
int exec_at_prompt(const std::string& db_path, const std::string& sql,
                   std::string* error = nullptr);

}  // namespace layoffs::test
