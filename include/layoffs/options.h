// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

namespace spdlog {
class logger;
}

namespace layoffs {

// How Tracker::open behaves. Every field has a sane default.
struct Options {
  // Open for reading only: nothing is written to the file, not even
  // migrations (a database that needs migrating is refused with
  // ErrorCode::schema_outdated), and every write throws ErrorCode::read_only.
  // A file only readable to us (another user's) is read as it is; one we
  // may write is read through a connection with PRAGMA query_only, so that,
  // as the last connection to close, it removes the -wal and -shm files any
  // reader of a WAL database creates (that housekeeping moves pages other
  // connections committed from the -wal into the file, and changes no row).
  // Another user's file, in a directory we cannot write and with no -wal
  // or -shm beside it, can only be read as immutable: SQLite then cannot
  // see a writer that starts meanwhile.
  bool read_only = false;

  // Create the file if it does not exist (ignored when read_only).
  bool create_if_missing = true;

  // How long a write waits for another connection's write lock before giving
  // up with ErrorCode::busy. 0 to 24 hours.
  std::chrono::milliseconds busy_timeout{5000};

  // Announced dates may lie this many days after today (UTC), for time zones
  // and embargoed announcements; later dates are refused.
  int future_tolerance_days = 1;

  // An announcement may include filings (WARN notices and the like) dated up
  // to this many days after it: the filing is the paperwork of the announced
  // cut. Every other inclusion is of earlier or same-day events. 0 to 366
  // (the schema's own limit).
  int filing_window_days = 90;

  // In a Tracker::transaction with Workload::bulk_load, layoff_event's
  // indexes are dropped (and built again before the commit) once it has
  // recorded this many events, and more than the file held before it. At
  // least 1.
  std::int64_t bulk_load_min_events = 20'000;

  // Where the library logs. Null means the library's own logger named
  // "layoffs", which writes to stderr and is silent below warn.
  std::shared_ptr<spdlog::logger> logger;
};

}  // namespace layoffs
