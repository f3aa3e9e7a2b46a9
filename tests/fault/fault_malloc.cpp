// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The out-of-memory hook: SQLITE_CONFIG_MALLOC with a wrapper around the
// allocator SQLite would have used, and the one-time installation of both
// hooks.
#include <atomic>
#include <mutex>
#include <stdexcept>

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "fault_hooks.h"

namespace layoffs::fault {

namespace {

sqlite3_mem_methods g_default{};
sqlite3_mem_methods g_wrapper{};

std::atomic<bool> g_armed{false};
std::atomic<std::int64_t> g_nth{0};
std::atomic<bool> g_persistent{false};
std::atomic<std::int64_t> g_calls{0};
std::atomic<std::int64_t> g_injected{0};
std::atomic<std::int64_t> g_live{0};

bool fail_this_one() noexcept {
  if (!g_armed.load()) {
    return false;
  }
  const std::int64_t n = ++g_calls;
  const std::int64_t nth = g_nth.load();
  if (nth > 0 && (n == nth || (n > nth && g_persistent.load()))) {
    ++g_injected;
    return true;
  }
  return false;
}

void* x_malloc(int bytes) {
  if (fail_this_one()) {
    return nullptr;
  }
  void* p = g_default.xMalloc(bytes);
  if (p != nullptr) {
    ++g_live;
  }
  return p;
}

void x_free(void* p) {
  if (p != nullptr) {
    --g_live;
  }
  g_default.xFree(p);
}

// SQLite only reallocates blocks it has (sqlite3Realloc turns a null into
// a malloc), so a successful realloc leaves the number of blocks unchanged.
void* x_realloc(void* p, int bytes) {
  if (fail_this_one()) {
    return nullptr;
  }
  return g_default.xRealloc(p, bytes);
}

int x_size(void* p) {
  return g_default.xSize(p);
}

int x_roundup(int bytes) {
  return g_default.xRoundup(bytes);
}

int x_init(void* app) {
  return g_default.xInit(app);
}

void x_shutdown(void* app) {
  g_default.xShutdown(app);
}

std::once_flag g_installed;

// Installs the hooks before the first test, so that no connection can be
// open yet when sqlite3_shutdown() runs.
class HooksEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { install_hooks(); }
};

[[maybe_unused]] ::testing::Environment* const g_environment =
    ::testing::AddGlobalTestEnvironment(new HooksEnvironment);

}  // namespace

void detail::install_malloc() {
  // SQLITE_CONFIG_* is refused once SQLite is initialized; shutting down
  // first makes the order of static initialization irrelevant.
  sqlite3_shutdown();
  if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &g_default) != SQLITE_OK) {
    throw std::runtime_error("SQLITE_CONFIG_GETMALLOC failed");
  }
  g_wrapper = g_default;
  g_wrapper.xMalloc = x_malloc;
  g_wrapper.xFree = x_free;
  g_wrapper.xRealloc = x_realloc;
  g_wrapper.xSize = x_size;
  g_wrapper.xRoundup = x_roundup;
  g_wrapper.xInit = x_init;
  g_wrapper.xShutdown = x_shutdown;
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &g_wrapper) != SQLITE_OK) {
    throw std::runtime_error("SQLITE_CONFIG_MALLOC failed");
  }
  if (sqlite3_initialize() != SQLITE_OK) {
    throw std::runtime_error("sqlite3_initialize failed");
  }
}

void install_hooks() {
  std::call_once(g_installed, [] {
    detail::install_malloc();
    detail::install_vfs();
  });
}

void arm_oom(std::int64_t nth, bool persistent) {
  g_armed = false;
  g_calls = 0;
  g_injected = 0;
  g_nth = nth;
  g_persistent = persistent;
  g_armed = true;
}

void count_oom() {
  arm_oom(0);
}

void disarm_oom() {
  g_armed = false;
}

std::int64_t oom_calls() noexcept {
  return g_calls.load();
}

std::int64_t oom_injected() noexcept {
  return g_injected.load();
}

std::int64_t live_allocations() noexcept {
  return g_live.load();
}

}  // namespace layoffs::fault
