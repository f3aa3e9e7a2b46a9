// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include <layoffs/headcount.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <layoffs/error.h>

#include "text.h"

namespace layoffs {

namespace {

using std::int64_t;

constexpr std::string_view kDefaultField = "headcount";
// A phrase is a few words ("just over 18,000"); this bounds what a source can
// put in one without refusing any wording seen in the real files.
constexpr std::size_t kMaxPhraseBytes = 500;

struct PhraseBounds {
  std::string_view text;
  int64_t low;
  int64_t high;
  int64_t estimate;
};

// The documented table in headcount.h; canonical() depends on no two rows
// sharing the same bounds and estimate.
constexpr std::array<PhraseBounds, 10> kPhrases{{
    {"a handful", 2, 9, 5},
    {"dozens", 24, 99, 50},
    {"a few dozen", 24, 59, 36},
    {"a few hundred", 200, 499, 300},
    {"several hundred", 300, 999, 500},
    {"hundreds", 200, 999, 500},
    {"a few thousand", 2'000, 4'999, 3'000},
    {"several thousand", 3'000, 9'999, 5'000},
    {"thousands", 2'000, 9'999, 5'000},
    {"tens of thousands", 20'000, 99'999, 50'000},
}};

constexpr std::array<std::string_view, 4> kUnknownWords{"unknown", "undisclosed", "unspecified",
                                                        "n/a"};

// Singular forms are accepted too: "1 employee" is as likely as "2 employees".
constexpr std::array<std::string_view, 13> kNouns{
    "people", "person", "employees", "employee", "jobs",      "job",     "workers",
    "worker", "staff",  "roles",     "role",     "positions", "position"};

constexpr std::array<std::string_view, 8> kAboutWords{
    "about ", "roughly ", "around ", "approximately ", "nearly ", "almost ", "some ", "~"};
constexpr std::array<std::string_view, 5> kAtLeastWords{"just over ", "more than ", "over ",
                                                        "at least ", ">"};
constexpr std::array<std::string_view, 7> kUpToWords{
    "up to ", "as many as ", "fewer than ", "less than ", "at most ", "under ", "<"};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// Lower-cased, whitespace runs collapsed to one space, en dash folded to '-',
// so the grammar below only has to describe one spelling of each form.
std::string normalize(std::string_view text) {
  constexpr std::string_view kEnDash = "\xE2\x80\x93";
  std::string out;
  out.reserve(text.size());
  text = trim(text);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_space(c)) {
      if (out.empty() || out.back() != ' ') {
        out += ' ';
      }
    } else if (text.substr(i, kEnDash.size()) == kEnDash) {
      out += '-';
      i += kEnDash.size() - 1;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

bool consume_prefix(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) {
    return false;
  }
  s.remove_prefix(prefix.size());
  // Symbol prefixes ("~", ">") may be followed by a space; word prefixes
  // already carry theirs.
  if (!s.empty() && s.front() == ' ') {
    s.remove_prefix(1);
  }
  return true;
}

bool consume_suffix(std::string_view& s, std::string_view suffix) {
  if (s.size() < suffix.size() || s.substr(s.size() - suffix.size()) != suffix) {
    return false;
  }
  s.remove_suffix(suffix.size());
  return true;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

enum class NumberStatus { ok, garbage, negative, too_big };

struct Number {
  NumberStatus status;
  int64_t value = 0;
};

// digits | d{1,3}(,ddd)+, then optionally "." digits, then optionally "k".
// Without "k" the fraction must be zero ("16000.0"); with it, the product must
// be whole ("1.5k" is 1500, "1.2345k" is not a count).
Number parse_number(std::string_view s) {
  if (!s.empty() && s.front() == '-') {
    const Number rest = parse_number(s.substr(1));
    return {rest.status == NumberStatus::garbage ? NumberStatus::garbage : NumberStatus::negative};
  }
  bool big = false;
  int64_t whole = 0;
  const auto add_digit = [&](char c) {
    whole = whole * 10 + (c - '0');
    if (whole > Headcount::kMax) {
      // Saturate so later digits cannot overflow; syntax is still checked.
      big = true;
      whole = Headcount::kMax + 1;
    }
  };

  std::size_t i = 0;
  std::size_t lead = 0;
  while (i < s.size() && is_digit(s[i])) {
    add_digit(s[i++]);
    ++lead;
  }
  // Leading zeros ("007", "0,500") are more likely a typo than a count.
  if (lead == 0 || (s[0] == '0' && (lead > 1 || (i < s.size() && s[i] == ',')))) {
    return {NumberStatus::garbage};
  }
  if (i < s.size() && s[i] == ',') {
    if (lead > 3) {
      return {NumberStatus::garbage};
    }
    while (i < s.size() && s[i] == ',') {
      ++i;
      for (int g = 0; g < 3; ++g, ++i) {
        if (i >= s.size() || !is_digit(s[i])) {
          return {NumberStatus::garbage};
        }
        add_digit(s[i]);
      }
    }
    if (i < s.size() && is_digit(s[i])) {
      return {NumberStatus::garbage};  // "1,0000"
    }
  }

  std::string_view fraction;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) {
      ++i;
    }
    fraction = s.substr(start, i - start);
    if (fraction.empty()) {
      return {NumberStatus::garbage};
    }
  }
  const bool thousands = i < s.size() && s[i] == 'k';
  if (thousands) {
    ++i;
  }
  if (i != s.size()) {
    return {NumberStatus::garbage};
  }

  // "10.000" is ten thousand where the dot groups thousands; reading it as 10
  // would be a silent thousandfold error, so that shape is refused outright.
  if (!thousands && fraction.size() == 3 && lead <= 3 && s[lead] == '.') {
    return {NumberStatus::garbage};
  }

  // Digits of the fraction that the multiplier moves into the whole part.
  const std::size_t kept = thousands ? 3 : 0;
  int64_t fraction_value = 0;
  for (std::size_t d = 0; d < kept; ++d) {
    fraction_value = fraction_value * 10 + (d < fraction.size() ? fraction[d] - '0' : 0);
  }
  for (std::size_t d = kept; d < fraction.size(); ++d) {
    if (fraction[d] != '0') {
      return {NumberStatus::garbage};
    }
  }
  if (big) {
    return {NumberStatus::too_big};
  }
  const int64_t value = thousands ? whole * 1000 + fraction_value : whole;
  if (value > Headcount::kMax) {
    return {NumberStatus::too_big};
  }
  return {NumberStatus::ok, value};
}

std::string describe_parts(HeadcountKind kind, int64_t low, std::optional<int64_t> high,
                           int64_t estimate) {
  std::string out(to_string(kind));
  out += " low=" + std::to_string(low);
  out += " high=" + (high ? std::to_string(*high) : std::string("unbounded"));
  out += " estimate=" + std::to_string(estimate);
  return out;
}

void check_count(int64_t n) {
  if (n < 0 || n > Headcount::kMax) {
    throw invalid_field(kDefaultField, std::to_string(n), "must be between 0 and 100,000,000, not");
  }
}

// from_parts takes kinds read back from storage, which may have been cast
// from an integer that names no enumerator.
bool is_known_kind(HeadcountKind kind) {
  switch (kind) {
    case HeadcountKind::exact:
    case HeadcountKind::about:
    case HeadcountKind::at_least:
    case HeadcountKind::up_to:
    case HeadcountKind::range:
    case HeadcountKind::phrase:
    case HeadcountKind::unknown:
      return true;
  }
  return false;
}

// Keeps the input and field together so every rejection quotes the text the
// caller passed, not the normalized copy the grammar works on.
class Reader {
 public:
  Reader(std::string_view text, std::string_view field) : text_(text), field_(field) {}

  int64_t number(std::string_view token) const {
    const Number n = parse_number(token);
    switch (n.status) {
      case NumberStatus::ok:
        return n.value;
      case NumberStatus::negative:
        throw invalid_field(field_, text_, "cannot be negative:");
      case NumberStatus::too_big:
        throw invalid_field(field_, text_, "is above the maximum of 100,000,000:");
      case NumberStatus::garbage:
        break;
    }
    throw garbage();
  }

  // Both ends, or nullopt if `s` does not have the shape of a range.
  std::optional<std::pair<int64_t, int64_t>> range(std::string_view s) const {
    std::string_view a;
    std::string_view b;
    if (consume_prefix(s, "between ")) {
      const std::size_t sep = s.find(" and ");
      if (sep == std::string_view::npos) {
        throw garbage();
      }
      a = s.substr(0, sep);
      b = s.substr(sep + 5);
    } else if (const std::size_t to = s.find(" to "); to != std::string_view::npos) {
      a = s.substr(0, to);
      b = s.substr(to + 4);
    } else if (const std::size_t dash = s.find('-', 1); dash != std::string_view::npos) {
      a = trim(s.substr(0, dash));
      b = trim(s.substr(dash + 1));
    } else {
      return std::nullopt;
    }
    const int64_t low = number(a);
    const int64_t high = number(b);
    if (low > high) {
      throw invalid_field(field_, text_, "is a range whose low end is above its high end:");
    }
    return std::pair{low, high};
  }

  Error garbage() const { return invalid_field(field_, text_, "cannot read a headcount from"); }

 private:
  std::string_view text_;
  std::string_view field_;
};

}  // namespace

std::string_view to_string(HeadcountKind kind) noexcept {
  switch (kind) {
    case HeadcountKind::exact:
      return "exact";
    case HeadcountKind::about:
      return "about";
    case HeadcountKind::at_least:
      return "at_least";
    case HeadcountKind::up_to:
      return "up_to";
    case HeadcountKind::range:
      return "range";
    case HeadcountKind::phrase:
      return "phrase";
    case HeadcountKind::unknown:
      return "unknown";
  }
  return "unknown";
}

HeadcountKind parse_headcount_kind(std::string_view text, std::string_view field) {
  for (HeadcountKind k :
       {HeadcountKind::exact, HeadcountKind::about, HeadcountKind::at_least, HeadcountKind::up_to,
        HeadcountKind::range, HeadcountKind::phrase, HeadcountKind::unknown}) {
    if (text == to_string(k)) {
      return k;
    }
  }
  throw invalid_field(field, text, "is not a headcount kind:");
}

Headcount::Headcount() : Headcount(HeadcountKind::unknown, 0, std::nullopt, 0, "unknown") {}

Headcount::Headcount(HeadcountKind kind, int64_t low, std::optional<int64_t> high, int64_t estimate,
                     std::string phrase)
    : kind_(kind), low_(low), high_(high), estimate_(estimate), phrase_(std::move(phrase)) {}

Headcount Headcount::parse(std::string_view text, std::string_view field) {
  const Reader reader(text, field);
  // The phrase is stored and printed as written: valid UTF-8, no NUL (SQLite's
  // length() stops at one) and no control character but whitespace.
  std::string phrase = detail::checked_text(field, text, kMaxPhraseBytes, false, true);
  if (phrase.empty()) {
    throw invalid_field(field, text, "is blank (write \"unknown\" if it is not known):");
  }
  const std::string normalized = normalize(text);
  std::string_view s = normalized;

  for (std::string_view noun : kNouns) {
    // The noun must follow something: "staff" alone is not a count.
    if (s.size() > noun.size() && consume_suffix(s, noun)) {
      if (consume_suffix(s, " ")) {
        break;
      }
      s = normalized;
    }
  }
  // "hundreds of jobs", "a handful of workers": "of" only joins a phrase to
  // its noun, so it is allowed nowhere else.
  const bool joined_by_of = consume_suffix(s, " of");

  for (const PhraseBounds& p : kPhrases) {
    if (s == p.text) {
      return Headcount(HeadcountKind::phrase, p.low, p.high, p.estimate, std::move(phrase));
    }
  }
  if (joined_by_of) {
    throw reader.garbage();
  }
  for (std::string_view word : kUnknownWords) {
    if (s == word) {
      return Headcount(HeadcountKind::unknown, 0, std::nullopt, 0, std::move(phrase));
    }
  }
  for (std::string_view word : kAboutWords) {
    if (consume_prefix(s, word)) {
      const int64_t n = reader.number(s);
      return Headcount(HeadcountKind::about, n, n, n, std::move(phrase));
    }
  }
  for (std::string_view word : kAtLeastWords) {
    if (consume_prefix(s, word)) {
      const int64_t n = reader.number(s);
      return Headcount(HeadcountKind::at_least, n, std::nullopt, n, std::move(phrase));
    }
  }
  if (consume_suffix(s, "+")) {
    const int64_t n = reader.number(trim(s));
    return Headcount(HeadcountKind::at_least, n, std::nullopt, n, std::move(phrase));
  }
  for (std::string_view word : kUpToWords) {
    if (consume_prefix(s, word)) {
      const int64_t n = reader.number(s);
      return Headcount(HeadcountKind::up_to, 0, n, n, std::move(phrase));
    }
  }
  if (!s.empty() && s.front() != '-') {
    if (const auto r = reader.range(s)) {
      return Headcount(HeadcountKind::range, r->first, r->second, (r->first + r->second) / 2,
                       std::move(phrase));
    }
  }
  const int64_t n = reader.number(s);
  return Headcount(HeadcountKind::exact, n, n, n, std::move(phrase));
}

Headcount Headcount::exact(int64_t n) {
  check_count(n);
  return Headcount(HeadcountKind::exact, n, n, n, format_count(n));
}

Headcount Headcount::about(int64_t n) {
  check_count(n);
  return Headcount(HeadcountKind::about, n, n, n, "about " + format_count(n));
}

Headcount Headcount::at_least(int64_t n) {
  check_count(n);
  return Headcount(HeadcountKind::at_least, n, std::nullopt, n, "at least " + format_count(n));
}

Headcount Headcount::up_to(int64_t n) {
  check_count(n);
  return Headcount(HeadcountKind::up_to, 0, n, n, "up to " + format_count(n));
}

Headcount Headcount::range(int64_t low, int64_t high) {
  check_count(low);
  check_count(high);
  if (low > high) {
    throw invalid_field(kDefaultField, std::to_string(low) + "-" + std::to_string(high),
                        "is a range whose low end is above its high end:");
  }
  return Headcount(HeadcountKind::range, low, high, (low + high) / 2,
                   format_count(low) + "-" + format_count(high));
}

Headcount Headcount::unknown() {
  return Headcount();
}

Headcount Headcount::from_parts(HeadcountKind kind, int64_t low, std::optional<int64_t> high,
                                int64_t estimate, std::string phrase) {
  const auto consistent = [&]() -> bool {
    if (!is_known_kind(kind)) {
      return false;
    }
    if (low < 0 || low > kMax || estimate < low || estimate > (high ? *high : kMax)) {
      return false;
    }
    if (high && (*high < low || *high > kMax)) {
      return false;
    }
    switch (kind) {
      case HeadcountKind::exact:
      case HeadcountKind::about:
        return high && *high == low && estimate == low;
      case HeadcountKind::at_least:
        return !high && estimate == low;
      case HeadcountKind::up_to:
        return high && low == 0 && estimate == *high;
      // The midpoint rule is enforced so canonical() ("a-b") reads back equal.
      case HeadcountKind::range:
        return high && estimate == (low + *high) / 2;
      case HeadcountKind::phrase:
        return high.has_value();
      case HeadcountKind::unknown:
        return !high && low == 0 && estimate == 0;
    }
    return false;
  };
  if (!consistent()) {
    throw invalid_field(kDefaultField, describe_parts(kind, low, high, estimate),
                        "has parts that do not agree:");
  }
  Headcount h(kind, low, high, estimate,
              detail::checked_text(kDefaultField, phrase, kMaxPhraseBytes, false, true));
  if (h.phrase_.empty()) {
    h.phrase_ = h.canonical();
    // An undocumented phrase-kind interval has no words of its own to fall
    // back on, and an empty phrase would print as nothing at all.
    if (h.phrase_.empty()) {
      throw invalid_field(kDefaultField, describe_parts(kind, low, high, estimate),
                          "needs a phrase for bounds that match no documented phrase:");
    }
  }
  return h;
}

bool Headcount::approximate() const noexcept {
  return kind_ == HeadcountKind::about || kind_ == HeadcountKind::phrase;
}

std::string Headcount::canonical() const {
  switch (kind_) {
    case HeadcountKind::exact:
      return format_count(low_);
    case HeadcountKind::about:
      return "about " + format_count(low_);
    case HeadcountKind::at_least:
      return "at least " + format_count(low_);
    case HeadcountKind::up_to:
      return "up to " + format_count(high_.value_or(0));
    case HeadcountKind::range:
      return format_count(low_) + "-" + format_count(high_.value_or(0));
    case HeadcountKind::phrase:
      for (const PhraseBounds& p : kPhrases) {
        if (p.low == low_ && high_ == p.high && p.estimate == estimate_) {
          return std::string(p.text);
        }
      }
      // Bounds from storage that match no documented phrase: the stored
      // phrase is the only honest rendering left.
      return phrase_;
    case HeadcountKind::unknown:
      return "unknown";
  }
  return phrase_;
}

bool Headcount::same_value(const Headcount& other) const noexcept {
  return kind_ == other.kind_ && low_ == other.low_ && high_ == other.high_ &&
         estimate_ == other.estimate_;
}

std::string format_count(int64_t n) {
  // Widened to unsigned before negating so INT64_MIN does not overflow.
  const bool negative = n < 0;
  std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(n) + 1 : static_cast<std::uint64_t>(n);
  std::string digits = std::to_string(magnitude);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3 + 1);
  if (negative) {
    out += '-';
  }
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

}  // namespace layoffs
