// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace layoffs::detail {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

// `s` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s) noexcept;

// The key names are matched by: trimmed, runs of whitespace collapsed to one
// space, ASCII and Latin-1 letters lower-cased (other characters as written:
// full Unicode case folding would need ICU, which we do not depend on).
std::string name_key(std::string_view s);

// Validates a free-text field and returns it trimmed. Throws
// Error(invalid_argument) naming `field` if it is not valid UTF-8, contains a
// NUL or other control character (tab and newline are allowed only when
// `multiline`), is longer than `max_bytes`, or is blank while `required`.
std::string checked_text(std::string_view field, std::string_view value, std::size_t max_bytes,
                         bool required, bool multiline = false);

}  // namespace layoffs::detail
