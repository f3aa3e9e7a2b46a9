// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The body of the two importer targets (csv_import, jsonl_import): the
// fuzzer's bytes become a file, imported into fresh in-memory databases.
//
// Properties (import.h, export.h):
//  - only layoffs::io::ImportError escapes io::import_file, its message
//    starting with "FILE:LINE: ";
//  - a failed import leaves the database as it was (here: empty);
//  - a strict import succeeds exactly when a skip_bad import of the same
//    file rejects nothing, and then both databases hold the same data;
//  - after any successful import, Tracker::check() (integrity_check and
//    foreign_key_check, on one input in eight: see g_thorough) finds
//    nothing, the summary adds up, and importing
//    the same file again adds nothing and changes nothing;
//  - export_jsonl -> import into an empty database -> export_jsonl gives the
//    same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <layoffs/layoffs.h>

#include "export.h"
#include "fuzz_check.h"
#include "import.h"

namespace layoffs::fuzz {

inline std::string export_text(const Tracker& t) {
  std::ostringstream out;
  io::export_jsonl(t, out);
  return out.str();
}

inline std::string summary_text(const io::ImportSummary& s) {
  return io::to_string(s);
}

// An error from import_file must be an ImportError naming the file.
inline void check_import_error(const Error& e, const std::string& path) {
  const auto* import_error = dynamic_cast<const io::ImportError*>(&e);
  FUZZ_CHECK(import_error != nullptr,
             std::string("a layoffs::Error that is not an ImportError escaped import_file: ") +
                 std::string(to_string(e.code())) + ": " + e.what());
  const std::string prefix = path + ":" + std::to_string(import_error->line()) + ": ";
  FUZZ_CHECK(std::string_view(e.what()).substr(0, prefix.size()) == prefix,
             "the message does not start with " + quoted(prefix) + ": " + quoted(e.what()));
  FUZZ_CHECK(import_error->file() == path && import_error->line() >= 0, e.what());
  // Only bad input (or an unreadable file) may fail an import of a regular file
  // into an in-memory database: never a constraint the library let through.
  const ErrorCode code = e.code();
  FUZZ_CHECK(
      code == ErrorCode::invalid_argument || code == ErrorCode::not_found ||
          code == ErrorCode::already_exists || code == ErrorCode::cycle ||
          code == ErrorCode::invalid_inclusion,
      std::string("import failed with code ") + std::string(to_string(code)) + ": " + e.what());
}

// Whether this input runs Tracker::check(): SQLite compiles PRAGMA
// integrity_check anew every time, which costs more than a small import, so
// only one input in eight (by its bytes: a reproducer does the same) and
// every input of the corpus replay.
inline bool g_thorough = true;

inline void check_sound(const Tracker& t, const std::string& what) {
  if (!g_thorough) {
    return;
  }
  const auto problems = t.check();
  std::string all;
  for (const auto& p : problems) {
    all += p + "\n";
  }
  FUZZ_CHECK(problems.empty(), what + ": " + all);
}

// The export of `t` imported into an empty database exports the same bytes.
inline void check_round_trip(const std::string& exported, const std::string& what) {
  static const std::string path = temp_path("round-trip.jsonl");
  write_file(path, exported);
  static std::optional<Tracker> slot;
  Tracker& copy = fresh_tracker(slot);
  try {
    io::import_file(copy, path, {.format = io::Format::jsonl});
  } catch (const Error& e) {
    FUZZ_CHECK(false,
               what + ": the export does not import: " + e.what() + "\nexport:\n" + exported);
  }
  check_sound(copy, what + ": after importing the export");
  const std::string again = export_text(copy);
  FUZZ_CHECK(again == exported, what + ": export -> import -> export differs\nfirst:\n" + exported +
                                    "second:\n" + again);
}

// How a target imports a file: io::import_file with a format, or
// io::import_csv with a Mapping.
using Importer = std::function<io::ImportSummary(Tracker&, const std::string& path,
                                                 const io::ImportOptions& options)>;
// Called after a successful strict import of `path` with the new database.
using StrictCheck = std::function<void(const Tracker&, const io::ImportSummary&)>;

// Imports `bytes` with `import` strictly and with skip_bad and checks the
// properties above; the summary must say it read `format`. `rows_add_up`:
// every data row is an event, so the summary's counts add up to rows_read.
inline void import_and_check(std::string_view bytes, const Importer& import, io::Format format,
                             std::string_view ext, bool rows_add_up,
                             const StrictCheck& strict_check = {}) {
#ifndef LAYOFFS_FUZZ_REPLAY
  std::uint32_t hash = 2166136261u;  // FNV-1a
  for (const char c : bytes) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  g_thorough = hash % 8 == 0;
#endif
  static const std::string path = temp_path(std::string("input.") + std::string(ext));
  static const std::string rejects = temp_path("rejects.csv");
  write_file(path, bytes);

  // Strict.
  bool strict_ok = false;
  std::string strict_export;
  // After a failed strict import the database is checked to be empty, that
  // is as good as new: skip_bad then reuses it.
  static std::optional<Tracker> strict_slot;
  static std::optional<Tracker> skip_bad_slot;
  Tracker* fresh = nullptr;
  {
    Tracker& t = fresh_tracker(strict_slot);
    const std::string empty = export_text(t);
    try {
      const io::ImportSummary s = import(t, path, {.format = format});
      strict_ok = true;
      FUZZ_CHECK(s.rejected == 0 && s.format == format, summary_text(s));
      if (rows_add_up) {
        FUZZ_CHECK(s.rows_read == s.imported + s.duplicates + s.already_present, summary_text(s));
      }
      check_sound(t, "after a strict import");
      strict_export = export_text(t);
      FUZZ_CHECK(t.count_events() == s.imported,
                 summary_text(s) + "; events: " + std::to_string(t.count_events()));
      // Again: nothing new.
      try {
        const io::ImportSummary again = import(t, path, {.format = format});
        FUZZ_CHECK(again.imported == 0, "second import: " + summary_text(again));
      } catch (const Error& e) {
        FUZZ_CHECK(false, std::string("importing the same file again failed: ") + e.what());
      }
      const std::string after = export_text(t);
      FUZZ_CHECK(after == strict_export, "importing the same file again changed the database\n" +
                                             strict_export + "--- became ---\n" + after);
      if (strict_check) {
        strict_check(t, s);
      }
      check_round_trip(strict_export, "strict import");
    } catch (const Error& e) {
      FUZZ_CHECK(!strict_ok,
                 std::string("unexpected error after a successful import: ") + e.what());
      check_import_error(e, path);
      FUZZ_CHECK(export_text(t) == empty && t.count_events() == 0 && t.companies().empty() &&
                     t.claims().empty(),
                 std::string("a failed strict import left data behind: ") + e.what() + "\n" +
                     export_text(t));
      check_sound(t, "after a failed strict import");
      fresh = &t;
    }
  }

  // skip_bad, with a rejects file.
  {
    Tracker& t = fresh != nullptr ? *fresh : fresh_tracker(skip_bad_slot);
    const std::string empty = export_text(t);
    bool ok = false;
    try {
      const io::ImportSummary s =
          import(t, path, {.format = format, .skip_bad = true, .rejects_path = rejects});
      ok = true;
      if (rows_add_up) {
        FUZZ_CHECK(s.rows_read == s.imported + s.duplicates + s.already_present + s.rejected,
                   summary_text(s));
      }
      check_sound(t, "after a skip_bad import");
      const std::string exported = export_text(t);
      FUZZ_CHECK(strict_ok == (s.rejected == 0), std::string("strict import ") +
                                                     (strict_ok ? "succeeded" : "failed") +
                                                     " but skip_bad: " + summary_text(s));
      if (strict_ok) {
        FUZZ_CHECK(exported == strict_export, "strict and skip_bad imports differ\n" +
                                                  strict_export + "--- skip_bad ---\n" + exported);
      } else if (exported != empty) {
        check_round_trip(exported, "skip_bad import");
      }
      const std::string rejected = read_file(rejects);
      FUZZ_CHECK(rejected.rfind("line,reason,record\n", 0) == 0,
                 "rejects file: " + quoted(rejected));
    } catch (const Error& e) {
      FUZZ_CHECK(!ok, std::string("unexpected error after a successful import: ") + e.what());
      FUZZ_CHECK(!strict_ok, std::string("strict import succeeded, skip_bad failed: ") + e.what());
      check_import_error(e, path);
      FUZZ_CHECK(export_text(t) == empty,
                 std::string("a failed skip_bad import left data behind: ") + e.what());
    }
  }
}

// The same with io::import_file.
inline void import_and_check(std::string_view bytes, io::Format format, std::string_view ext,
                             bool rows_add_up) {
  import_and_check(bytes, io::import_file, format, ext, rows_add_up);
}

}  // namespace layoffs::fuzz
