// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace layoffs::io {

// A 128-bit hash of `bytes` as 32 lower-case hex digits. Stable across
// platforms, versions and runs (it names events in files), not
// cryptographic: two 64-bit FNV-1a variants with different offsets, each
// finished with a splitmix64 mix. At a million rows the chance of any
// collision is about 1e-27.
std::string stable_hash_hex(std::string_view bytes);

}  // namespace layoffs::io
