// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Fuzz target: Headcount::parse.
//
// Any input either throws layoffs::Error(invalid_argument) naming the field,
// or gives a value that
//  - has the shape headcount.h documents for its kind (bounds, estimate,
//    approximate(), the phrase table);
//  - reads back equal from canonical(), whose own canonical() is the same
//    text (stable), and from its phrase();
//  - is rebuilt unchanged by from_parts() and agrees with the factories.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <layoffs/layoffs.h>

#include "fuzz_check.h"

namespace {

using layoffs::Error;
using layoffs::ErrorCode;
using layoffs::Headcount;
using layoffs::HeadcountKind;
using layoffs::fuzz::quoted;

struct Phrase {
  std::int64_t low, high, estimate;
};

// headcount.h's table of phrases, written out again here.
constexpr std::array<Phrase, 10> kPhrases{{
    {2, 9, 5},             // a handful
    {24, 99, 50},          // dozens
    {24, 59, 36},          // a few dozen
    {200, 499, 300},       // a few hundred
    {300, 999, 500},       // several hundred
    {200, 999, 500},       // hundreds
    {2000, 4999, 3000},    // a few thousand
    {3000, 9999, 5000},    // several thousand
    {2000, 9999, 5000},    // thousands
    {20000, 99999, 50000}  // tens of thousands
}};

std::string describe(const Headcount& h) {
  return std::string(layoffs::to_string(h.kind())) + " [" + std::to_string(h.low()) + ", " +
         (h.high() ? std::to_string(*h.high()) : std::string("unbounded")) + "] estimate " +
         std::to_string(h.estimate()) + " phrase " + quoted(h.phrase());
}

Headcount must_parse(const std::string& text, const std::string& what, const Headcount& from) {
  try {
    return Headcount::parse(text);
  } catch (const Error& e) {
    layoffs::fuzz::fail(
        __FILE__, __LINE__,
        what + " " + quoted(text) + " of " + describe(from) + " does not parse: " + e.what());
  }
}

void check_shape(const Headcount& h, const std::string& input) {
  const std::string where = "input " + quoted(input) + " gave " + describe(h);
  const std::int64_t low = h.low();
  const std::int64_t est = h.estimate();
  FUZZ_CHECK(0 <= low && low <= est && est <= Headcount::kMax, where);
  if (h.high()) {
    FUZZ_CHECK(est <= *h.high() && *h.high() <= Headcount::kMax, where);
  }
  FUZZ_CHECK(
      h.approximate() == (h.kind() == HeadcountKind::about || h.kind() == HeadcountKind::phrase),
      where);
  FUZZ_CHECK(h.is_unknown() == (h.kind() == HeadcountKind::unknown), where);
  FUZZ_CHECK(!h.phrase().empty(), where);
  switch (h.kind()) {
    case HeadcountKind::exact:
    case HeadcountKind::about:
      FUZZ_CHECK(h.high() && *h.high() == low && est == low, where);
      break;
    case HeadcountKind::at_least:
      FUZZ_CHECK(!h.high() && est == low, where);
      break;
    case HeadcountKind::up_to:
      FUZZ_CHECK(h.high() && low == 0 && est == *h.high(), where);
      break;
    case HeadcountKind::range:
      FUZZ_CHECK(h.high() && est == (low + *h.high()) / 2, where);
      break;
    case HeadcountKind::phrase: {
      bool documented = false;
      for (const Phrase& p : kPhrases) {
        documented =
            documented || (h.high() && p.low == low && p.high == *h.high() && p.estimate == est);
      }
      FUZZ_CHECK(documented, where + " (not a documented phrase)");
      break;
    }
    case HeadcountKind::unknown:
      FUZZ_CHECK(!h.high() && low == 0 && est == 0, where);
      break;
  }
}

// The factory that builds the same value, where there is one.
std::optional<Headcount> from_factory(const Headcount& h) {
  switch (h.kind()) {
    case HeadcountKind::exact:
      return Headcount::exact(h.low());
    case HeadcountKind::about:
      return Headcount::about(h.low());
    case HeadcountKind::at_least:
      return Headcount::at_least(h.low());
    case HeadcountKind::up_to:
      return Headcount::up_to(*h.high());
    case HeadcountKind::range:
      return Headcount::range(h.low(), *h.high());
    case HeadcountKind::unknown:
      return Headcount::unknown();
    case HeadcountKind::phrase:
      break;
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) {
    return 0;
  }
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::optional<Headcount> parsed;
  try {
    parsed = Headcount::parse(input);
  } catch (const Error& e) {
    FUZZ_CHECK(e.code() == ErrorCode::invalid_argument,
               "input " + quoted(input) + " threw " + e.what());
    FUZZ_CHECK(e.field() == "headcount", "input " + quoted(input) + " threw " + e.what());
    // The field name given is the one reported.
    try {
      (void)Headcount::parse(input, "rows[7].count");
      FUZZ_CHECK(false, "input " + quoted(input) + " parses with another field name");
    } catch (const Error& e2) {
      FUZZ_CHECK(e2.field() == "rows[7].count" && e2.code() == ErrorCode::invalid_argument,
                 "input " + quoted(input) + " threw " + e2.what());
    }
    return 0;
  }
  const Headcount& h = *parsed;
  check_shape(h, input);
  const std::string where = "input " + quoted(input) + " gave " + describe(h);

  // The phrase is the input, trimmed: a part of the input.
  FUZZ_CHECK(input.find(h.phrase()) != std::string::npos, where);

  // canonical() reads back as the same value, and is stable.
  const std::string canonical = h.canonical();
  const Headcount again = must_parse(canonical, "canonical()", h);
  FUZZ_CHECK(again.same_value(h),
             where + "; canonical " + quoted(canonical) + " reads as " + describe(again));
  FUZZ_CHECK(again.canonical() == canonical, where + "; canonical " + quoted(canonical) +
                                                 " is not stable: " + quoted(again.canonical()));
  FUZZ_CHECK(again.phrase() == canonical, where + "; canonical's phrase " + quoted(again.phrase()));

  // The phrase reads back as the same value (parse is idempotent).
  const Headcount from_phrase = must_parse(h.phrase(), "phrase()", h);
  FUZZ_CHECK(from_phrase == h, where + "; its phrase reads as " + describe(from_phrase));

  // What storage keeps rebuilds the same value, with or without the phrase.
  try {
    const Headcount rebuilt =
        Headcount::from_parts(h.kind(), h.low(), h.high(), h.estimate(), h.phrase());
    FUZZ_CHECK(rebuilt == h, where + "; from_parts gave " + describe(rebuilt));
    const Headcount bare = Headcount::from_parts(h.kind(), h.low(), h.high(), h.estimate(), "");
    FUZZ_CHECK(bare.same_value(h) && bare.phrase() == canonical,
               where + "; from_parts without a phrase gave " + describe(bare));
  } catch (const Error& e) {
    FUZZ_CHECK(false, where + "; from_parts refused it: " + e.what());
  }

  // The factories agree (and their phrase is the canonical form).
  try {
    if (const auto made = from_factory(h)) {
      FUZZ_CHECK(made->same_value(h) && made->phrase() == canonical,
                 where + "; the factory gave " + describe(*made));
    }
  } catch (const Error& e) {
    FUZZ_CHECK(false, where + "; the factory refused it: " + e.what());
  }
  return 0;
}
