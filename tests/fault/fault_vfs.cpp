// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The I/O fault shim: an sqlite3_vfs that wraps the default ("unix") VFS and
// is registered as the default. The library opens files by plain path (no
// SQLITE_OPEN_URI), so being the default is the only way to get under it.
#include <sys/stat.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "fault_hooks.h"

namespace layoffs::fault {

namespace {

constexpr std::size_t kOps = std::size(kAllIoOps);

std::atomic<bool> g_armed{false};
std::atomic<int> g_target{0};
std::atomic<std::int64_t> g_nth{0};
std::atomic<bool> g_persistent{false};
std::array<std::atomic<std::int64_t>, kOps> g_calls{};
std::atomic<std::int64_t> g_injected{0};
std::atomic<std::int64_t> g_disk_limit{-1};
std::atomic<std::int64_t> g_full_injected{0};
std::atomic<std::int64_t> g_disk_peak{0};

sqlite3_vfs* g_base = nullptr;

// Counts one call; true if it is to fail.
bool hit(IoOp op) noexcept {
  if (!g_armed.load()) {
    return false;
  }
  const auto index = static_cast<std::size_t>(op);
  const std::int64_t n = ++g_calls[index];
  const std::int64_t nth = g_nth.load();
  if (nth <= 0 || g_target.load() != static_cast<int>(index)) {
    return false;
  }
  if (n == nth || (n > nth && g_persistent.load())) {
    ++g_injected;
    return true;
  }
  return false;
}

// Our file: the bookkeeping, then the wrapped VFS's file right behind it (its
// size is the base VFS's szOsFile; sizeof(FaultFile) keeps it aligned).
struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real;
  const char* name;  // valid until xClose (SQLite guarantees it); null for temp files
};

sqlite3_file* real_of(sqlite3_file* f) {
  return reinterpret_cast<FaultFile*>(f)->real;
}

std::int64_t file_size_on_disk(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::int64_t>(st.st_size) : 0;
}

// The database a file belongs to: "x.db" for "x.db", "x.db-wal", "x.db-journal".
std::string database_of(const std::string& path) {
  for (const std::string_view suffix : {"-wal", "-journal"}) {
    if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(),
                                                    suffix.data(), suffix.size()) == 0) {
      return path.substr(0, path.size() - suffix.size());
    }
  }
  return path;
}

int x_close(sqlite3_file* f) {
  sqlite3_file* real = real_of(f);
  return real->pMethods->xClose(real);
}

int x_read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  if (hit(IoOp::read)) {
    return SQLITE_IOERR_READ;
  }
  sqlite3_file* real = real_of(f);
  return real->pMethods->xRead(real, buf, amount, offset);
}

int x_write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  if (hit(IoOp::write)) {
    return SQLITE_IOERR_WRITE;
  }
  auto* ff = reinterpret_cast<FaultFile*>(f);
  sqlite3_file* real = ff->real;
  if (ff->name == nullptr) {
    // Temporary files (statement journals, sorters) live elsewhere.
    return real->pMethods->xWrite(real, buf, amount, offset);
  }
  sqlite3_int64 size = 0;
  const bool grows = real->pMethods->xFileSize(real, &size) == SQLITE_OK && offset + amount > size;
  if (!grows) {
    return real->pMethods->xWrite(real, buf, amount, offset);  // in place: takes no space
  }
  const std::string database = database_of(ff->name);
  const std::int64_t limit = g_disk_limit.load();
  if (limit >= 0 && disk_usage(database) + (offset + amount - size) > limit) {
    ++g_full_injected;
    return SQLITE_FULL;
  }
  const int rc = real->pMethods->xWrite(real, buf, amount, offset);
  if (rc == SQLITE_OK) {
    const std::int64_t usage = disk_usage(database);
    std::int64_t peak = g_disk_peak.load();
    while (usage > peak && !g_disk_peak.compare_exchange_weak(peak, usage)) {
    }
  }
  return rc;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (hit(IoOp::truncate)) {
    return SQLITE_IOERR_TRUNCATE;
  }
  sqlite3_file* real = real_of(f);
  return real->pMethods->xTruncate(real, size);
}

int x_sync(sqlite3_file* /*f*/, int /*flags*/) {
  if (hit(IoOp::sync)) {
    return SQLITE_IOERR_FSYNC;
  }
  // The call is counted and may fail, but the real fsync is skipped: these
  // tests never cut the power, and on a real disk fsync is most of the time
  // a fault loop takes.
  return SQLITE_OK;
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (hit(IoOp::file_size)) {
    return SQLITE_IOERR_FSTAT;
  }
  sqlite3_file* real = real_of(f);
  return real->pMethods->xFileSize(real, size);
}

int x_lock(sqlite3_file* f, int level) {
  if (hit(IoOp::lock)) {
    return SQLITE_IOERR_LOCK;
  }
  sqlite3_file* real = real_of(f);
  return real->pMethods->xLock(real, level);
}

int x_unlock(sqlite3_file* f, int level) {
  sqlite3_file* real = real_of(f);
  return real->pMethods->xUnlock(real, level);
}

int x_check_reserved_lock(sqlite3_file* f, int* out) {
  sqlite3_file* real = real_of(f);
  return real->pMethods->xCheckReservedLock(real, out);
}

int x_file_control(sqlite3_file* f, int op, void* arg) {
  sqlite3_file* real = real_of(f);
  return real->pMethods->xFileControl(real, op, arg);
}

int x_sector_size(sqlite3_file* f) {
  sqlite3_file* real = real_of(f);
  return real->pMethods->xSectorSize(real);
}

int x_device_characteristics(sqlite3_file* f) {
  sqlite3_file* real = real_of(f);
  return real->pMethods->xDeviceCharacteristics(real);
}

int x_shm_map(sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
  sqlite3_file* real = real_of(f);
  if (real->pMethods->iVersion < 2) {
    return SQLITE_IOERR_SHMMAP;
  }
  return real->pMethods->xShmMap(real, page, page_size, extend, out);
}

int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  sqlite3_file* real = real_of(f);
  return real->pMethods->xShmLock(real, offset, n, flags);
}

void x_shm_barrier(sqlite3_file* f) {
  sqlite3_file* real = real_of(f);
  real->pMethods->xShmBarrier(real);
}

int x_shm_unmap(sqlite3_file* f, int delete_flag) {
  sqlite3_file* real = real_of(f);
  return real->pMethods->xShmUnmap(real, delete_flag);
}

int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  sqlite3_file* real = real_of(f);
  if (real->pMethods->iVersion < 3) {
    *out = nullptr;
    return SQLITE_OK;
  }
  return real->pMethods->xFetch(real, offset, amount, out);
}

int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  sqlite3_file* real = real_of(f);
  if (real->pMethods->iVersion < 3) {
    return SQLITE_OK;
  }
  return real->pMethods->xUnfetch(real, offset, p);
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

int v_open(sqlite3_vfs* /*vfs*/, sqlite3_filename name, sqlite3_file* file, int flags,
           int* out_flags) {
  auto* ff = reinterpret_cast<FaultFile*>(file);
  ff->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + sizeof(FaultFile));
  ff->real->pMethods = nullptr;
  ff->name = name;
  const int rc = g_base->xOpen(g_base, name, ff->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // Our pMethods stays null so SQLite will not call xClose on us; close
    // what the base VFS may have half-opened ourselves.
    if (ff->real->pMethods != nullptr) {
      ff->real->pMethods->xClose(ff->real);
    }
    file->pMethods = nullptr;
    return rc;
  }
  file->pMethods = &kMethods;
  return SQLITE_OK;
}

// The rest forwards to the base VFS, passing the base VFS itself: the unix
// VFS reads its own pAppData.
int v_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_base->xDelete(g_base, name, sync_dir);
}
int v_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_base->xAccess(g_base, name, flags, out);
}
int v_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_base->xFullPathname(g_base, name, n, out);
}
void* v_dl_open(sqlite3_vfs*, const char* name) {
  return g_base->xDlOpen(g_base, name);
}
void v_dl_error(sqlite3_vfs*, int n, char* out) {
  g_base->xDlError(g_base, n, out);
}
void (*v_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return g_base->xDlSym(g_base, handle, symbol);
}
void v_dl_close(sqlite3_vfs*, void* handle) {
  g_base->xDlClose(g_base, handle);
}
int v_randomness(sqlite3_vfs*, int n, char* out) {
  return g_base->xRandomness(g_base, n, out);
}
int v_sleep(sqlite3_vfs*, int microseconds) {
  return g_base->xSleep(g_base, microseconds);
}
int v_current_time(sqlite3_vfs*, double* out) {
  return g_base->xCurrentTime(g_base, out);
}
int v_get_last_error(sqlite3_vfs*, int n, char* out) {
  return g_base->xGetLastError(g_base, n, out);
}
int v_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_base->xCurrentTimeInt64(g_base, out);
}
int v_set_system_call(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
  return g_base->xSetSystemCall(g_base, name, p);
}
sqlite3_syscall_ptr v_get_system_call(sqlite3_vfs*, const char* name) {
  return g_base->xGetSystemCall(g_base, name);
}
const char* v_next_system_call(sqlite3_vfs*, const char* name) {
  return g_base->xNextSystemCall(g_base, name);
}

sqlite3_vfs g_vfs{};

}  // namespace

std::string_view to_string(IoOp op) noexcept {
  switch (op) {
    case IoOp::read:
      return "read";
    case IoOp::write:
      return "write";
    case IoOp::sync:
      return "sync";
    case IoOp::truncate:
      return "truncate";
    case IoOp::file_size:
      return "file_size";
    case IoOp::lock:
      return "lock";
  }
  return "?";
}

void detail::install_vfs() {
  g_base = sqlite3_vfs_find(nullptr);
  if (g_base == nullptr || g_base->iVersion < 3) {
    throw std::runtime_error("fault VFS: no usable default VFS to wrap");
  }
  g_vfs.iVersion = 3;
  g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_base->szOsFile;
  g_vfs.mxPathname = g_base->mxPathname;
  g_vfs.zName = "layoffs_fault";
  g_vfs.xOpen = v_open;
  g_vfs.xDelete = v_delete;
  g_vfs.xAccess = v_access;
  g_vfs.xFullPathname = v_full_pathname;
  g_vfs.xDlOpen = v_dl_open;
  g_vfs.xDlError = v_dl_error;
  g_vfs.xDlSym = v_dl_sym;
  g_vfs.xDlClose = v_dl_close;
  g_vfs.xRandomness = v_randomness;
  g_vfs.xSleep = v_sleep;
  g_vfs.xCurrentTime = v_current_time;
  g_vfs.xGetLastError = v_get_last_error;
  g_vfs.xCurrentTimeInt64 = v_current_time_int64;
  g_vfs.xSetSystemCall = v_set_system_call;
  g_vfs.xGetSystemCall = v_get_system_call;
  g_vfs.xNextSystemCall = v_next_system_call;
  if (sqlite3_vfs_register(&g_vfs, 1) != SQLITE_OK) {
    throw std::runtime_error("fault VFS: sqlite3_vfs_register failed");
  }
}

void arm_io(IoOp op, std::int64_t nth, bool persistent) {
  g_armed = false;
  for (auto& c : g_calls) {
    c = 0;
  }
  g_injected = 0;
  g_target = static_cast<int>(op);
  g_nth = nth;
  g_persistent = persistent;
  g_armed = true;
}

void count_io() {
  arm_io(IoOp::read, 0);
}

void disarm_io() {
  g_armed = false;
}

std::int64_t io_calls(IoOp op) noexcept {
  return g_calls[static_cast<std::size_t>(op)].load();
}

std::int64_t io_injected() noexcept {
  return g_injected.load();
}

void set_disk_limit(std::optional<std::int64_t> bytes) noexcept {
  g_disk_limit = bytes ? *bytes : -1;
}

void reset_disk_stats() noexcept {
  g_full_injected = 0;
  g_disk_peak = 0;
}

std::int64_t disk_full_injected() noexcept {
  return g_full_injected.load();
}

std::int64_t disk_peak() noexcept {
  return g_disk_peak.load();
}

std::int64_t disk_usage(const std::string& db_path) {
  return file_size_on_disk(db_path) + file_size_on_disk(db_path + "-wal") +
         file_size_on_disk(db_path + "-journal");
}

}  // namespace layoffs::fault
