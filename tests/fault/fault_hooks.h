// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Process-wide fault injection under SQLite, for the fault tests only: a VFS
// shim that fails the Nth read, write, sync, truncate, size query or lock
// (or refuses writes past a disk limit), and an allocator wrapper that fails
// the Nth allocation. Both are process-global (SQLITE_CONFIG_MALLOC and the
// default VFS), which is why these tests are a binary of their own.
//
// Threads: the counters are atomics, but the tests arm and disarm from one
// thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace layoffs::fault {

// Installs both hooks: the allocator wrapper (after sqlite3_shutdown, before
// sqlite3_initialize) and the VFS shim as the default VFS. Idempotent.
// REQUIRES: no SQLite connection is open yet on the first call.
void install_hooks();

// ---- I/O errors --------------------------------------------------------

// The sqlite3_io_methods calls the shim counts. Shared memory (the -shm
// wal-index) is left alone: it is memory-mapped, not read or written.
enum class IoOp { read, write, sync, truncate, file_size, lock };
inline constexpr IoOp kAllIoOps[] = {IoOp::read,     IoOp::write,     IoOp::sync,
                                     IoOp::truncate, IoOp::file_size, IoOp::lock};
std::string_view to_string(IoOp op) noexcept;

// Resets the counters and starts counting calls of every kind, across all
// files. With nth > 0 the nth call of `op` fails with its SQLITE_IOERR_*
// code; if `persistent`, so does every later call of `op` until disarmed.
void arm_io(IoOp op, std::int64_t nth, bool persistent = false);
// Counts calls, fails none.
void count_io();
// Stops counting and failing; io_calls() keeps the counts of the last arm.
void disarm_io();
std::int64_t io_calls(IoOp op) noexcept;
// Failures injected since the last arm.
std::int64_t io_injected() noexcept;

// Disk full: a write that would make a database's files (the file, its -wal
// and its -journal together) larger than `bytes` fails with SQLITE_FULL,
// whether or not I/O faults are armed. nullopt: no limit.
void set_disk_limit(std::optional<std::int64_t> bytes) noexcept;
// The bytes a database's files take now (the file, -wal, -journal).
std::int64_t disk_usage(const std::string& db_path);
// Since the last reset: writes refused with SQLITE_FULL, and the largest
// disk_usage() of any database after a write that grew one of its files.
void reset_disk_stats() noexcept;
std::int64_t disk_full_injected() noexcept;
std::int64_t disk_peak() noexcept;

// ---- Out of memory -----------------------------------------------------

// Resets the counter and counts SQLite's allocations (xMalloc and xRealloc);
// with nth > 0 the nth fails (returns null), and with `persistent` every
// later one too, until disarmed.
void arm_oom(std::int64_t nth, bool persistent = false);
void count_oom();
void disarm_oom();
std::int64_t oom_calls() noexcept;
std::int64_t oom_injected() noexcept;
// Blocks SQLite holds now: with every connection closed this returns to the
// same value, so a leak shows up per iteration even without ASan.
std::int64_t live_allocations() noexcept;

namespace detail {
void install_malloc();  // called by install_hooks()
void install_vfs();     // called by install_hooks(), after install_malloc()
}  // namespace detail

}  // namespace layoffs::fault
