// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "text.h"

#include <layoffs/error.h>

namespace layoffs::detail {

bool is_valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    char32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;  // a continuation byte, an overlong lead (C0, C1) or F5..FF
    }
    if (end - p <= extra) {
      return false;
    }
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += extra + 1;
  }
  return true;
}

namespace {
bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
}  // namespace

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

std::string name_key(std::string_view s) {
  s = trim(s);
  std::string key;
  key.reserve(s.size());
  bool in_space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (is_space(static_cast<char>(c))) {
      in_space = true;
      continue;
    }
    if (in_space) {
      key += ' ';
      in_space = false;
    }
    if (c >= 'A' && c <= 'Z') {
      key += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && i + 1 < s.size()) {
      // Latin-1 capitals U+00C0..U+00DE (except U+00D7, the multiplication
      // sign) are C3 80..C3 9E; their small letters are 0x20 higher.
      auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) {
        next = static_cast<unsigned char>(next + 0x20);
      }
      key += static_cast<char>(c);
      key += static_cast<char>(next);
      ++i;
    } else {
      key += static_cast<char>(c);
    }
  }
  return key;
}

std::string checked_text(std::string_view field, std::string_view value, std::size_t max_bytes,
                         bool required, bool multiline) {
  if (value.size() > max_bytes) {
    throw invalid_field(field, value, "is longer than " + std::to_string(max_bytes) + " bytes:");
  }
  if (!is_valid_utf8(value)) {
    throw invalid_field(field, value, "is not valid UTF-8:");
  }
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    const bool allowed_space = multiline ? (c == '\n' || c == '\t' || c == '\r') : false;
    if ((u < 0x20 && !allowed_space && !(c == ' ')) || u == 0x7f) {
      if (!multiline && (c == '\t' || c == '\n' || c == '\r') &&
          trim(value).find(c) == std::string_view::npos) {
        continue;  // surrounding whitespace is trimmed away below
      }
      throw invalid_field(field, value, "contains a control character:");
    }
  }
  const std::string_view trimmed = trim(value);
  if (required && trimmed.empty()) {
    throw invalid_field(field, value, "must not be empty or blank:");
  }
  return std::string(trimmed);
}

}  // namespace layoffs::detail
