// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// What the fuzz targets share: the check macro and a few file helpers.
//
// A target checks its properties with FUZZ_CHECK. Built for libFuzzer, a
// failed check prints where and why and aborts, which libFuzzer reports as a
// crash and saves the input. Built into the corpus replay test
// (LAYOFFS_FUZZ_REPLAY defined), it throws layoffs::fuzz::Failure instead, so
// one bad seed fails one test and the others still run.
//
// Exceptions other than layoffs::Error (and Failure) are never caught by a
// target: one escaping the library is a finding in its own right.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <unistd.h>

#include "sqlite_pool.h"
#include "testing.h"  // lib/: test-only hooks

namespace layoffs::fuzz {

// A property of the library that did not hold (replay builds only).
class Failure : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] inline void fail(const char* file, int line, const std::string& what) {
  const std::string message = std::string(file) + ":" + std::to_string(line) + ": " + what;
#ifdef LAYOFFS_FUZZ_REPLAY
  throw Failure(message);
#else
  std::fprintf(stderr, "\n==== layoffs fuzz check failed ====\n%s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
#endif
}

// Quotes text for a failure message: printable ASCII as is, the rest escaped.
inline std::string quoted(std::string_view text, std::size_t max = 300) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (text.size() > max) {
    out += "...";
  }
  return out + "\"";
}

// A path in the temporary directory private to this process and `name`.
inline std::string temp_path(std::string_view name) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = dir != nullptr && *dir != '\0' ? dir : "/tmp";
  path += "/layoffs-fuzz-" + std::to_string(static_cast<long>(::getpid())) + "-";
  path += name;
  return path;
}

// Tracker::open(":memory:") starts from an image of a migrated database
// instead of running the migrations for every input (lib/testing.h). The
// stateful targets call this first.
inline void use_migrated_image() {
  static const bool once = (use_sqlite_pool(), detail::testing::set_memory_from_image(true), true);
  (void)once;
}

// A Tracker on a fresh, migrated in-memory database. `slot` keeps one across
// inputs: it is reset to the data of a new database
// (detail::testing::reset_memory_database), which keeps its connection and
// prepared statements, or replaced by a new Tracker when it cannot be.
// LAYOFFS_FUZZ_FRESH=1 opens a new Tracker every time (to check that an
// input does the same either way).
inline Tracker& fresh_tracker(std::optional<Tracker>& slot) {
  use_migrated_image();
  static const bool always_new = std::getenv("LAYOFFS_FUZZ_FRESH") != nullptr;
  if (!slot || always_new || !detail::testing::reset_memory_database(*slot)) {
    slot.reset();
    slot.emplace(Tracker::open(":memory:"));
  }
  return *slot;
}

inline void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    fail(__FILE__, __LINE__, "cannot write the temporary file " + path);
  }
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace layoffs::fuzz

// Checks a property; `message` (anything that adds to a std::string) is only
// built when the check fails.
#define FUZZ_CHECK(condition, message)                                                    \
  do {                                                                                    \
    if (!(condition)) {                                                                   \
      ::layoffs::fuzz::fail(__FILE__, __LINE__,                                           \
                            std::string("check failed: " #condition "\n  ") + (message)); \
    }                                                                                     \
  } while (false)
