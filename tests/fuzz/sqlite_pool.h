// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The fuzz targets' memory allocator for SQLite (SQLITE_CONFIG_MALLOC).
//
// SQLite is the system library, built without the sanitizers, but under ASan
// every malloc it makes still goes through ASan's allocator, which records a
// stack trace and passes each free through the quarantine: a third of the
// op-log fuzzer's time went there (docs/FUZZING.md). This pool serves
// SQLite's allocations from one reserved mapping instead, and keeps what ASan
// gives the library's own code: a chunk is poisoned when SQLite frees it and
// stays poisoned while it waits in a first-in first-out queue, so the
// library reading memory SQLite has freed (a column's text after the next
// step or a reset) is still reported as a use-after-free. What is lost is
// ASan's view of SQLite's own accesses, which it never had (SQLite is not
// instrumented), and a stack trace of the allocation in a report.
//
// Installed by fuzz::use_sqlite_pool() in the libFuzzer executables only: the
// corpus replay in ctest keeps the system allocator, so every checked-in input
// also runs with ASan watching SQLite's allocations as it always did.
// LAYOFFS_FUZZ_SQLITE_MALLOC=system leaves the system allocator in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <sqlite3.h>
#include <sys/mman.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define LAYOFFS_POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define LAYOFFS_POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#endif
#endif
#ifndef LAYOFFS_POOL_POISON
#define LAYOFFS_POOL_POISON(p, n) ((void)(p), (void)(n))
#define LAYOFFS_POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace layoffs::fuzz::sqlite_pool {

// A chunk is a power of two of at least 32 bytes: a 16-byte header (the size
// class, then the next chunk while queued) and what SQLite asked for, 16-byte
// aligned. The mapping is reserved, not committed: only touched pages cost.
constexpr int kMinClass = 5;
constexpr int kMaxClass = 34;
constexpr std::size_t kHeader = 16;
constexpr std::size_t kReserved = std::size_t(1) << 36;
// A freed chunk is reused only after this many bytes of its class were freed
// after it (at least one chunk): the pool's quarantine.
constexpr std::size_t kQuarantineBytes = std::size_t(1) << 16;

struct Header {
  std::int64_t size_class;
  Header* next;
};
static_assert(sizeof(Header) == kHeader);

struct Queue {
  Header* head = nullptr;
  Header* tail = nullptr;
  std::size_t length = 0;
};

struct State {
  std::mutex mutex;
  char* next = nullptr;
  char* end = nullptr;
  Queue queues[kMaxClass + 1];
};

inline State& state() {
  static State s;
  return s;
}

inline int class_of(std::size_t n) {
  int c = kMinClass;
  while (c <= kMaxClass && (std::size_t(1) << c) < n + kHeader) {
    ++c;
  }
  return c;
}

inline std::size_t usable(int size_class) {
  return (std::size_t(1) << size_class) - kHeader;
}

inline void* allocate(int n) {
  if (n <= 0) {
    return nullptr;
  }
  const int c = class_of(static_cast<std::size_t>(n));
  if (c > kMaxClass) {
    return nullptr;
  }
  const std::size_t bytes = std::size_t(1) << c;
  State& s = state();
  Header* h = nullptr;
  {
    const std::lock_guard<std::mutex> lock(s.mutex);
    Queue& q = s.queues[c];
    const std::size_t keep = kQuarantineBytes / bytes;
    if (q.head != nullptr && q.length > keep) {
      h = q.head;
      q.head = h->next;
      if (q.head == nullptr) {
        q.tail = nullptr;
      }
      --q.length;
    } else if (s.next != nullptr && bytes <= static_cast<std::size_t>(s.end - s.next)) {
      h = reinterpret_cast<Header*>(s.next);
      s.next += bytes;
    }
  }
  if (h == nullptr) {
    return nullptr;  // SQLite reports SQLITE_NOMEM
  }
  h->size_class = c;
  h->next = nullptr;
  char* user = reinterpret_cast<char*>(h) + kHeader;
  LAYOFFS_POOL_UNPOISON(user, usable(c));
  return user;
}

inline Header* header_of(void* p) {
  return reinterpret_cast<Header*>(static_cast<char*>(p) - kHeader);
}

inline void release(void* p) {
  if (p == nullptr) {
    return;
  }
  Header* h = header_of(p);
  const int c = static_cast<int>(h->size_class);
  LAYOFFS_POOL_POISON(p, usable(c));
  State& s = state();
  const std::lock_guard<std::mutex> lock(s.mutex);
  Queue& q = s.queues[c];
  h->next = nullptr;
  if (q.tail != nullptr) {
    q.tail->next = h;
  } else {
    q.head = h;
  }
  q.tail = h;
  ++q.length;
}

inline int size_of(void* p) {
  return static_cast<int>(usable(static_cast<int>(header_of(p)->size_class)));
}

inline void* reallocate(void* p, int n) {
  if (p == nullptr) {
    return allocate(n);
  }
  const int have = size_of(p);
  if (n <= have) {
    return p;
  }
  void* q = allocate(n);
  if (q == nullptr) {
    return nullptr;
  }
  std::memcpy(q, p, static_cast<std::size_t>(have));
  release(p);
  return q;
}

inline int round_up(int n) {
  const int c = class_of(static_cast<std::size_t>(n < 1 ? 1 : n));
  return c > kMaxClass ? n : static_cast<int>(usable(c));
}

inline int init(void*) {
  State& s = state();
  if (s.next != nullptr) {
    return SQLITE_OK;  // after a sqlite3_shutdown: the chunks are still ours
  }
  void* m = mmap(nullptr, kReserved, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) {
    return SQLITE_NOMEM;
  }
  s.next = static_cast<char*>(m);
  s.end = s.next + kReserved;
  return SQLITE_OK;
}

inline void shutdown(void*) {}

}  // namespace layoffs::fuzz::sqlite_pool

namespace layoffs::fuzz {

// Before SQLite's first use (it must not be initialized with a connection
// open): SQLite's allocations come from the pool above.
inline void use_sqlite_pool() {
#ifndef LAYOFFS_FUZZ_REPLAY
  static const bool once = [] {
    const char* choice = std::getenv("LAYOFFS_FUZZ_SQLITE_MALLOC");
    if (choice != nullptr && std::strcmp(choice, "system") == 0) {
      return false;
    }
    static const sqlite3_mem_methods methods{&sqlite_pool::allocate,   &sqlite_pool::release,
                                             &sqlite_pool::reallocate, &sqlite_pool::size_of,
                                             &sqlite_pool::round_up,   &sqlite_pool::init,
                                             &sqlite_pool::shutdown,   nullptr};
    sqlite3_shutdown();
    // No memory statistics (nothing reads them): SQLite then calls the pool
    // without taking its own mutex around every allocation.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK ||
        sqlite3_initialize() != SQLITE_OK) {
      std::fprintf(stderr, "fuzz: SQLite was in use already; it keeps the system allocator\n");
      return false;
    }
    return true;
  }();
  (void)once;
#endif
}

}  // namespace layoffs::fuzz
