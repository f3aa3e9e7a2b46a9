// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "stable_hash.h"

#include <cstdint>
#include <cstdio>

namespace layoffs::io {

namespace {

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t offset) {
  std::uint64_t h = offset;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::string stable_hash_hex(std::string_view bytes) {
  const std::uint64_t a = mix(fnv1a(bytes, 0xcbf29ce484222325ULL));
  const std::uint64_t b = mix(fnv1a(bytes, 0x84222325cbf29ce4ULL) ^ bytes.size());
  char out[33];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return out;
}

}  // namespace layoffs::io
