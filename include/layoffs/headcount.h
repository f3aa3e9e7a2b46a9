// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <layoffs/export.h>

namespace layoffs {

// The shape of a reported headcount.
enum class HeadcountKind {
  exact,     // "10,000"                          [n, n]
  about,     // "about 10,000", "~9,000"          [n, n], flagged approximate
  at_least,  // "more than 27,000", "27,000+"     [n, unbounded)
  up_to,     // "up to 300"                       [0, n]
  range,     // "40-60", "40 to 60"               [a, b]
  phrase,    // "several hundred"                 documented bounds, see below
  unknown,   // "unknown"                         [0, unbounded)
};

// "exact", "about", "at_least", "up_to", "range", "phrase", "unknown": the
// values stored in layoff_event.headcount_kind.
LAYOFFS_EXPORT std::string_view to_string(HeadcountKind kind) noexcept;
// Inverse of to_string; throws Error(invalid_argument) naming `field`.
LAYOFFS_EXPORT HeadcountKind parse_headcount_kind(std::string_view text,
                                                  std::string_view field = "headcount_kind");

// A number of people laid off, as honestly as it was reported: an interval
// [low, high] (high empty = unbounded), a best estimate inside it, and the
// phrase it came from.
//
// The meaning of each kind, used the same way everywhere (totals, claims,
// reconciliation):
//
//   exact n        [n, n]           estimate n
//   about n        [n, n]           estimate n, approximate() is true.  We do
//                                   not invent a margin: "about 10,000" keeps
//                                   10,000 as both bounds and is flagged, so
//                                   totals built on it print as "about ...".
//   at least n     [n, unbounded)   estimate n ("more than n" and "just over n"
//                                   also use n itself as the lower bound)
//   up to n        [0, n]           estimate n (the figure that was reported)
//   range a-b      [a, b]           estimate (a + b) / 2, rounded down
//   unknown        [0, unbounded)   estimate 0
//   phrases (kind phrase, approximate):
//     "a handful"        [2, 9]              estimate 5
//     "dozens"           [24, 99]            estimate 50
//     "a few dozen"      [24, 59]            estimate 36
//     "a few hundred"    [200, 499]          estimate 300
//     "several hundred"  [300, 999]          estimate 500
//     "hundreds"         [200, 999]          estimate 500
//     "a few thousand"   [2,000, 4,999]      estimate 3,000
//     "several thousand" [3,000, 9,999]      estimate 5,000
//     "thousands"        [2,000, 9,999]      estimate 5,000
//     "tens of thousands" [20,000, 99,999]   estimate 50,000
//
// Headcount is a plain value: cheap to copy, thread-compatible.
class LAYOFFS_EXPORT Headcount {
 public:
  // Largest count accepted anywhere: bigger than any employer on Earth.
  static constexpr std::int64_t kMax = 100'000'000;

  // Reads what reporters write (case-insensitive, runs of whitespace count as
  // one, surrounding whitespace and a trailing "people"/"employees"/"jobs"/
  // "workers"/"staff"/"roles"/"positions" or its singular ignored; a phrase may
  // be joined to that noun by "of": "hundreds of jobs"):
  //   "10,000"  "10000"  "16000.0"  "10k"  "1.5k"              exact
  //   "about 10,000"  "~9,000"  "roughly 400"  "around 400"
  //   "approximately 400"  "nearly 500"  "almost 500"  "some 400"  about
  //   "just over 18,000"  "more than 27,000"  "over 500"  "at least 300"
  //   "27,000+"  ">500"                                       at_least
  //   "up to 300"  "as many as 300"  "fewer than 300"  "less than 300"
  //   "at most 300"  "under 300"  "<300"                      up_to
  //   "40-60"  "40–60" (en dash)  "40 to 60"  "between 40 and 60"  range
  //   the phrases above                                       phrase
  //   "unknown"  "undisclosed"  "unspecified"  "n/a"          unknown
  // Numbers take commas only in groups of three, a fraction only if the count
  // is whole ("16000.0", "1.5k"; not "16000.5"), and no leading zeros;
  // "10.000" is refused because it means 10,000 in much of the world.
  // An empty or blank string is rejected (say "unknown" when it is unknown).
  // Anything else, a negative number, a number above kMax, or an inverted
  // range throws Error(invalid_argument) with field `field` that quotes the
  // input, as does a phrase that is not valid UTF-8, holds a control
  // character other than whitespace (a NUL, say) or is longer than 500 bytes.
  // The result's phrase() is the input with surrounding whitespace trimmed.
  static Headcount parse(std::string_view text, std::string_view field = "headcount");

  // Factories. They validate (0 <= n <= kMax, a <= b) and throw
  // Error(invalid_argument) naming field "headcount". The phrase is the
  // canonical form, e.g. about(9000) has phrase "about 9,000".
  static Headcount exact(std::int64_t n);
  static Headcount about(std::int64_t n);
  static Headcount at_least(std::int64_t n);
  static Headcount up_to(std::int64_t n);
  static Headcount range(std::int64_t low, std::int64_t high);
  static Headcount unknown();

  // Rebuilds a value read back from storage; validates that the parts agree
  // with each other and throws Error(invalid_argument) naming field
  // "headcount" if not. Every kind needs 0 <= low <= estimate <= high <= kMax;
  // beyond that exact/about need low == high == estimate, at_least an unbounded
  // high and estimate == low, up_to low == 0 and estimate == high, range
  // estimate == (low + high) / 2, phrase a bounded high, unknown 0/unbounded/0.
  // An empty phrase is replaced by canonical() (and refused for a phrase-kind
  // value whose bounds match no documented phrase); a phrase is checked as
  // parse() checks it.
  static Headcount from_parts(HeadcountKind kind, std::int64_t low,
                              std::optional<std::int64_t> high, std::int64_t estimate,
                              std::string phrase);

  // An unknown headcount.
  Headcount();

  HeadcountKind kind() const noexcept { return kind_; }
  std::int64_t low() const noexcept { return low_; }
  std::optional<std::int64_t> high() const noexcept { return high_; }  // empty = unbounded
  std::int64_t estimate() const noexcept { return estimate_; }
  const std::string& phrase() const noexcept { return phrase_; }
  bool is_unknown() const noexcept { return kind_ == HeadcountKind::unknown; }
  // True for the about and phrase kinds: the figure was given loosely.
  bool approximate() const noexcept;

  // The phrase it came from ("just over 18,000").
  std::string to_string() const { return phrase_; }
  // A canonical rendering of the value itself, parseable back into an equal
  // kind/low/high/estimate: "10,000", "about 10,000", "at least 18,000",
  // "up to 300", "40-60", "unknown"; phrases render as the documented phrase
  // with the same bounds ("several hundred"). A phrase-kind value from
  // from_parts whose bounds match no documented phrase renders as phrase() and
  // is the one case that may not read back equal.
  std::string canonical() const;

  // Same kind, bounds and estimate (the phrase is not compared).
  bool same_value(const Headcount& other) const noexcept;
  friend bool operator==(const Headcount&, const Headcount&) = default;

 private:
  Headcount(HeadcountKind kind, std::int64_t low, std::optional<std::int64_t> high,
            std::int64_t estimate, std::string phrase);

  HeadcountKind kind_;
  std::int64_t low_;
  std::optional<std::int64_t> high_;
  std::int64_t estimate_;
  std::string phrase_;
};

// Formats a count with thousands separators: 27000 -> "27,000".
LAYOFFS_EXPORT std::string format_count(std::int64_t n);

}  // namespace layoffs
