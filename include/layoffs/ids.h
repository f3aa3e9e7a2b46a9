// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace layoffs {

// Strong id types: a CompanyId cannot be passed where an EventId is wanted.
// Values are the rowids of the database and are stable for the file's life.
template <class Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(std::int64_t value) : value_(value) {}
  constexpr std::int64_t value() const noexcept { return value_; }
  constexpr bool valid() const noexcept { return value_ > 0; }
  friend constexpr auto operator<=>(Id, Id) = default;

 private:
  std::int64_t value_ = 0;
};

using CompanyId = Id<struct CompanyTag>;
using EventId = Id<struct EventTag>;
using ClaimId = Id<struct ClaimTag>;

}  // namespace layoffs

template <class Tag>
struct std::hash<layoffs::Id<Tag>> {
  std::size_t operator()(layoffs::Id<Tag> id) const noexcept {
    return std::hash<std::int64_t>{}(id.value());
  }
};
