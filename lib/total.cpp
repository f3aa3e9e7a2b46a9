// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include <layoffs/headcount.h>
#include <layoffs/query.h>

namespace layoffs {

std::string Total::to_string() const {
  if (!high) {
    return "at least " + format_count(low);
  }
  if (low == *high) {
    return (approximate ? "about " : "") + format_count(low);
  }
  return format_count(low) + "\u2013" + format_count(*high);
}

std::string Total::to_short_string() const {
  if (!high) {
    return format_count(low) + "+";
  }
  return to_string();
}

}  // namespace layoffs
