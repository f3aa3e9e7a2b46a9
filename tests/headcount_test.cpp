// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include <layoffs/headcount.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <layoffs/error.h>

namespace layoffs {
namespace {

using K = HeadcountKind;
constexpr std::optional<std::int64_t> kUnbounded = std::nullopt;
constexpr std::int64_t kMax = Headcount::kMax;

// ---------------------------------------------------------------------------
// Accepted input. One row per form the header promises to read; the bounds
// and estimates are the documented contract, so they are spelled out here
// rather than derived.

struct AcceptedRow {
  const char* input;
  HeadcountKind kind;
  std::int64_t low;
  std::optional<std::int64_t> high;
  std::int64_t estimate;
  bool approximate;
  const char* phrase;  // what phrase() must be: the input, trimmed
};

void PrintTo(const AcceptedRow& row, std::ostream* os) {
  *os << '"' << row.input << '"';
}

const AcceptedRow kAccepted[] = {
    // exact
    {"10,000", K::exact, 10'000, 10'000, 10'000, false, "10,000"},
    {"10000", K::exact, 10'000, 10'000, 10'000, false, "10000"},
    {"16000.0", K::exact, 16'000, 16'000, 16'000, false, "16000.0"},
    {"16,000.00", K::exact, 16'000, 16'000, 16'000, false, "16,000.00"},
    {"10k", K::exact, 10'000, 10'000, 10'000, false, "10k"},
    {"10K", K::exact, 10'000, 10'000, 10'000, false, "10K"},
    {"1.5k", K::exact, 1'500, 1'500, 1'500, false, "1.5k"},
    {"1.234k", K::exact, 1'234, 1'234, 1'234, false, "1.234k"},
    {"0.5k", K::exact, 500, 500, 500, false, "0.5k"},
    {"0", K::exact, 0, 0, 0, false, "0"},
    {"1,234,567", K::exact, 1'234'567, 1'234'567, 1'234'567, false, "1,234,567"},
    {"100,000,000", K::exact, kMax, kMax, kMax, false, "100,000,000"},
    {"100000k", K::exact, kMax, kMax, kMax, false, "100000k"},
    {"  10,000\t", K::exact, 10'000, 10'000, 10'000, false, "10,000"},
    {"10,000 people", K::exact, 10'000, 10'000, 10'000, false, "10,000 people"},
    {"1 employee", K::exact, 1, 1, 1, false, "1 employee"},
    {"250 Jobs", K::exact, 250, 250, 250, false, "250 Jobs"},
    {"250 staff", K::exact, 250, 250, 250, false, "250 staff"},
    // about
    {"about 10,000", K::about, 10'000, 10'000, 10'000, true, "about 10,000"},
    {"About 10K Employees", K::about, 10'000, 10'000, 10'000, true, "About 10K Employees"},
    {"about   10,000  workers", K::about, 10'000, 10'000, 10'000, true, "about   10,000  workers"},
    {"~9,000", K::about, 9'000, 9'000, 9'000, true, "~9,000"},
    {"~ 9,000", K::about, 9'000, 9'000, 9'000, true, "~ 9,000"},
    {"roughly 400", K::about, 400, 400, 400, true, "roughly 400"},
    {"around 400", K::about, 400, 400, 400, true, "around 400"},
    {"approximately 400", K::about, 400, 400, 400, true, "approximately 400"},
    {"APPROXIMATELY 1.2k roles", K::about, 1'200, 1'200, 1'200, true, "APPROXIMATELY 1.2k roles"},
    {"nearly 500", K::about, 500, 500, 500, true, "nearly 500"},
    {"almost 500", K::about, 500, 500, 500, true, "almost 500"},
    {"some 400", K::about, 400, 400, 400, true, "some 400"},
    // at_least: the reported figure itself is the lower bound
    {"just over 18,000", K::at_least, 18'000, kUnbounded, 18'000, false, "just over 18,000"},
    {"more than 27,000", K::at_least, 27'000, kUnbounded, 27'000, false, "more than 27,000"},
    {"More Than 27,000 jobs", K::at_least, 27'000, kUnbounded, 27'000, false,
     "More Than 27,000 jobs"},
    {"over 500", K::at_least, 500, kUnbounded, 500, false, "over 500"},
    {"at least 300", K::at_least, 300, kUnbounded, 300, false, "at least 300"},
    {"27,000+", K::at_least, 27'000, kUnbounded, 27'000, false, "27,000+"},
    {"27,000 + positions", K::at_least, 27'000, kUnbounded, 27'000, false, "27,000 + positions"},
    {"10k+", K::at_least, 10'000, kUnbounded, 10'000, false, "10k+"},
    {">500", K::at_least, 500, kUnbounded, 500, false, ">500"},
    {"> 500", K::at_least, 500, kUnbounded, 500, false, "> 500"},
    // up_to: [0, n], estimate n
    {"up to 300", K::up_to, 0, 300, 300, false, "up to 300"},
    {"Up To 1.2k Roles", K::up_to, 0, 1'200, 1'200, false, "Up To 1.2k Roles"},
    {"as many as 300", K::up_to, 0, 300, 300, false, "as many as 300"},
    {"fewer than 300", K::up_to, 0, 300, 300, false, "fewer than 300"},
    {"less than 300", K::up_to, 0, 300, 300, false, "less than 300"},
    {"at most 300", K::up_to, 0, 300, 300, false, "at most 300"},
    {"under 300", K::up_to, 0, 300, 300, false, "under 300"},
    {"<300", K::up_to, 0, 300, 300, false, "<300"},
    // range: estimate is the midpoint rounded down
    {"40-60", K::range, 40, 60, 50, false, "40-60"},
    // En dash, in octal escapes: a \x escape would swallow the "60".
    {"40\342\200\22360", K::range, 40, 60, 50, false, "40\342\200\22360"},
    {"40 \342\200\223 60 people", K::range, 40, 60, 50, false, "40 \342\200\223 60 people"},
    {"40 - 60", K::range, 40, 60, 50, false, "40 - 60"},
    {"40 to 60", K::range, 40, 60, 50, false, "40 to 60"},
    {"between 40 and 60", K::range, 40, 60, 50, false, "between 40 and 60"},
    {"Between 40 AND 60 employees", K::range, 40, 60, 50, false, "Between 40 AND 60 employees"},
    {"41-60", K::range, 41, 60, 50, false, "41-60"},
    {"40-40", K::range, 40, 40, 40, false, "40-40"},
    {"0-1", K::range, 0, 1, 0, false, "0-1"},
    {"1,000-2,500 jobs", K::range, 1'000, 2'500, 1'750, false, "1,000-2,500 jobs"},
    {"1k-2k", K::range, 1'000, 2'000, 1'500, false, "1k-2k"},
    // phrases: the documented table
    {"a handful", K::phrase, 2, 9, 5, true, "a handful"},
    {"dozens", K::phrase, 24, 99, 50, true, "dozens"},
    {"a few dozen", K::phrase, 24, 59, 36, true, "a few dozen"},
    {"a few hundred", K::phrase, 200, 499, 300, true, "a few hundred"},
    {"several hundred", K::phrase, 300, 999, 500, true, "several hundred"},
    {"hundreds", K::phrase, 200, 999, 500, true, "hundreds"},
    {"a few thousand", K::phrase, 2'000, 4'999, 3'000, true, "a few thousand"},
    {"several thousand", K::phrase, 3'000, 9'999, 5'000, true, "several thousand"},
    {"thousands", K::phrase, 2'000, 9'999, 5'000, true, "thousands"},
    {"tens of thousands", K::phrase, 20'000, 99'999, 50'000, true, "tens of thousands"},
    {"Several Hundred employees", K::phrase, 300, 999, 500, true, "Several Hundred employees"},
    {"a  few\tthousand", K::phrase, 2'000, 4'999, 3'000, true, "a  few\tthousand"},
    {"hundreds of jobs", K::phrase, 200, 999, 500, true, "hundreds of jobs"},
    {"a handful of staff", K::phrase, 2, 9, 5, true, "a handful of staff"},
    {"tens of thousands of workers", K::phrase, 20'000, 99'999, 50'000, true,
     "tens of thousands of workers"},
    // unknown
    {"unknown", K::unknown, 0, kUnbounded, 0, false, "unknown"},
    {"Unknown", K::unknown, 0, kUnbounded, 0, false, "Unknown"},
    {"undisclosed", K::unknown, 0, kUnbounded, 0, false, "undisclosed"},
    {"unspecified", K::unknown, 0, kUnbounded, 0, false, "unspecified"},
    {"n/a", K::unknown, 0, kUnbounded, 0, false, "n/a"},
    {" N/A ", K::unknown, 0, kUnbounded, 0, false, "N/A"},
};

class HeadcountParseAccepts : public testing::TestWithParam<AcceptedRow> {};

TEST_P(HeadcountParseAccepts, ReadsDocumentedBounds) {
  const AcceptedRow& row = GetParam();
  const Headcount h = Headcount::parse(row.input);
  EXPECT_EQ(h.kind(), row.kind) << to_string(h.kind());
  EXPECT_EQ(h.low(), row.low);
  EXPECT_EQ(h.high(), row.high);
  EXPECT_EQ(h.estimate(), row.estimate);
  EXPECT_EQ(h.approximate(), row.approximate);
  EXPECT_EQ(h.is_unknown(), row.kind == K::unknown);
  EXPECT_EQ(h.phrase(), row.phrase);
  EXPECT_EQ(h.to_string(), row.phrase);
}

TEST_P(HeadcountParseAccepts, CanonicalReadsBackToTheSameValue) {
  const Headcount h = Headcount::parse(GetParam().input);
  const std::string canonical = h.canonical();
  const Headcount back = Headcount::parse(canonical);
  EXPECT_TRUE(back.same_value(h)) << '"' << canonical << '"';
  // Canonical of canonical is a fixed point: storage never drifts.
  EXPECT_EQ(back.canonical(), canonical);
  EXPECT_EQ(back.phrase(), canonical);
}

TEST_P(HeadcountParseAccepts, RebuildsFromStoredParts) {
  const Headcount h = Headcount::parse(GetParam().input);
  const Headcount rebuilt =
      Headcount::from_parts(h.kind(), h.low(), h.high(), h.estimate(), h.phrase());
  EXPECT_EQ(rebuilt, h);
}

INSTANTIATE_TEST_SUITE_P(Table, HeadcountParseAccepts, testing::ValuesIn(kAccepted));

// ---------------------------------------------------------------------------
// Rejected input.

const char* const kRejected[] = {
    "",
    "   ",
    "a bunch",
    "abc",
    "10 000 000 000",
    "1,2,3",
    "5-",
    "-5",
    "-1,000",
    "about -5",
    "60-40",
    "60 to 40",
    "between 60 and 40",
    "100,000,001",
    "1,000,000,000",
    "100001k",
    "99999999999999999999999",
    "more than 100,000,001",
    "1,0000",
    "10,00",
    ",100",
    "100,",
    "1,,000",
    "16000.5",
    "1.2345k",
    "1.5",
    "10.000",
    "1.",
    ".5k",
    "10kk",
    "10 k",
    "1e4",
    "0x10",
    "007",
    "0,500",
    "people",
    "employees",
    "10 of jobs",
    "10 bananas",
    "about",
    "~",
    "+",
    ">",
    "over",
    "up to",
    "between 40",
    "between 40 and",
    "40 to",
    "40-60-80",
    "about 40-60",
    "more than 27,000+",
    "up to 300+",
    "dozen",
    "several",
    "a few",
    "some",
    "unknown unknown",
};

class HeadcountParseRejects : public testing::TestWithParam<const char*> {};

TEST_P(HeadcountParseRejects, ThrowsInvalidArgumentQuotingTheInput) {
  const std::string input = GetParam();
  try {
    const Headcount h = Headcount::parse(input);
    FAIL() << "accepted \"" << input << "\" as " << h.canonical();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "headcount");
    EXPECT_EQ(e.value(), input);
    EXPECT_NE(std::string(e.what()).find('"' + input + '"'), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("headcount: ", 0), 0u) << e.what();
  }
}

TEST_P(HeadcountParseRejects, ErrorNamesTheCallersField) {
  try {
    (void)Headcount::parse(GetParam(), "event.headcount");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "event.headcount");
  }
}

INSTANTIATE_TEST_SUITE_P(Table, HeadcountParseRejects, testing::ValuesIn(kRejected));

TEST(HeadcountParse, BlankWithControlCharactersIsRejected) {
  try {
    (void)Headcount::parse("\t\n ");
    FAIL() << "accepted blank";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.value(), "\t\n ");
  }
}

// A phrase is stored and printed as written, so it holds no NUL (SQLite's
// length() would stop there) and no control character but whitespace (which
// the grammar reads as a space), inside or out of the grammar; from_parts, which importers feed,
// refuses the same.
TEST(HeadcountParse, ControlCharactersInsideAPhraseAreRejected) {
  for (const std::string& bad : {std::string("1,000\0", 6), std::string("\0 hundreds", 10),
                                 std::string("about\x01 100"), std::string("50\x7f")}) {
    try {
      (void)Headcount::parse(bad, "event.headcount");
      ADD_FAILURE() << "accepted " << testing::PrintToString(bad);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.field(), "event.headcount");
      EXPECT_NE(std::string(e.what()).find("control character"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)Headcount::from_parts(HeadcountKind::exact, 1000, 1000, 1000, bad), Error)
        << testing::PrintToString(bad);
  }
  EXPECT_EQ(Headcount::parse(" \t about 100\n").phrase(), "about 100");
  EXPECT_EQ(Headcount::from_parts(HeadcountKind::about, 100, 100, 100, " about 100 ").phrase(),
            "about 100");
  EXPECT_THROW((void)Headcount::from_parts(HeadcountKind::about, 100, 100, 100,
                                           "about 100" + std::string(600, ' ') + "x"),
               Error);
}

TEST(HeadcountParse, MessagesSayWhatIsWrong) {
  const auto message = [](const char* input) {
    try {
      (void)Headcount::parse(input);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("-5").find("negative"), std::string::npos) << message("-5");
  EXPECT_NE(message("100,000,001").find("maximum"), std::string::npos);
  EXPECT_NE(message("60-40").find("range"), std::string::npos);
  EXPECT_NE(message("  ").find("blank"), std::string::npos);
  EXPECT_NE(message("a bunch").find("cannot read"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Factories.

struct FactoryRow {
  const char* name;
  Headcount value;
  HeadcountKind kind;
  std::int64_t low;
  std::optional<std::int64_t> high;
  std::int64_t estimate;
  const char* phrase;
};

// Built lazily: factories throw, and a throw during static initialization
// would abort the whole test binary instead of failing one test.
std::vector<FactoryRow> factory_rows() {
  return {
      {"exact(10000)", Headcount::exact(10'000), K::exact, 10'000, 10'000, 10'000, "10,000"},
      {"exact(0)", Headcount::exact(0), K::exact, 0, 0, 0, "0"},
      {"exact(kMax)", Headcount::exact(kMax), K::exact, kMax, kMax, kMax, "100,000,000"},
      {"about(9000)", Headcount::about(9'000), K::about, 9'000, 9'000, 9'000, "about 9,000"},
      {"at_least(18000)", Headcount::at_least(18'000), K::at_least, 18'000, kUnbounded, 18'000,
       "at least 18,000"},
      {"up_to(300)", Headcount::up_to(300), K::up_to, 0, 300, 300, "up to 300"},
      {"up_to(0)", Headcount::up_to(0), K::up_to, 0, 0, 0, "up to 0"},
      {"range(40,60)", Headcount::range(40, 60), K::range, 40, 60, 50, "40-60"},
      {"range(1000,2001)", Headcount::range(1'000, 2'001), K::range, 1'000, 2'001, 1'500,
       "1,000-2,001"},
      {"range(7,7)", Headcount::range(7, 7), K::range, 7, 7, 7, "7-7"},
      {"range(0,kMax)", Headcount::range(0, kMax), K::range, 0, kMax, kMax / 2, "0-100,000,000"},
      {"unknown()", Headcount::unknown(), K::unknown, 0, kUnbounded, 0, "unknown"},
      {"Headcount()", Headcount(), K::unknown, 0, kUnbounded, 0, "unknown"},
  };
}

TEST(HeadcountFactories, BuildDocumentedValuesWithCanonicalPhrases) {
  for (const FactoryRow& row : factory_rows()) {
    SCOPED_TRACE(row.name);
    const Headcount& h = row.value;
    EXPECT_EQ(h.kind(), row.kind);
    EXPECT_EQ(h.low(), row.low);
    EXPECT_EQ(h.high(), row.high);
    EXPECT_EQ(h.estimate(), row.estimate);
    EXPECT_EQ(h.phrase(), row.phrase);
    EXPECT_EQ(h.canonical(), row.phrase);
    EXPECT_EQ(h.approximate(), row.kind == K::about);
    // The canonical phrase must parse back to the same value, phrase included.
    EXPECT_EQ(Headcount::parse(h.canonical()), h);
  }
}

TEST(HeadcountFactories, RejectOutOfRangeCounts) {
  for (std::int64_t bad : {std::int64_t{-1}, kMax + 1, std::int64_t{INT64_MIN}}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW((void)Headcount::exact(bad), Error);
    EXPECT_THROW((void)Headcount::about(bad), Error);
    EXPECT_THROW((void)Headcount::at_least(bad), Error);
    EXPECT_THROW((void)Headcount::up_to(bad), Error);
    EXPECT_THROW((void)Headcount::range(bad, 10), Error);
    EXPECT_THROW((void)Headcount::range(0, bad), Error);
  }
  try {
    (void)Headcount::exact(-1);
    FAIL() << "accepted -1";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "headcount");
    EXPECT_NE(std::string(e.what()).find("\"-1\""), std::string::npos) << e.what();
  }
}

TEST(HeadcountFactories, RejectInvertedRange) {
  try {
    (void)Headcount::range(60, 40);
    FAIL() << "accepted range(60, 40)";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "headcount");
  }
}

// ---------------------------------------------------------------------------
// from_parts: what storage hands back must agree with itself.

struct PartsRow {
  HeadcountKind kind;
  std::int64_t low;
  std::optional<std::int64_t> high;
  std::int64_t estimate;
};

void PrintTo(const PartsRow& r, std::ostream* os) {
  *os << to_string(r.kind) << " [" << r.low << ", "
      << (r.high ? std::to_string(*r.high) : std::string("unbounded")) << "] ~" << r.estimate;
}

const PartsRow kConsistentParts[] = {
    {K::exact, 5, 5, 5},
    {K::about, 9'000, 9'000, 9'000},
    {K::at_least, 18'000, kUnbounded, 18'000},
    {K::up_to, 0, 300, 300},
    {K::range, 40, 60, 50},
    {K::range, 41, 60, 50},
    {K::phrase, 300, 999, 500},
    {K::unknown, 0, kUnbounded, 0},
    {K::exact, kMax, kMax, kMax},
};

class HeadcountFromPartsAccepts : public testing::TestWithParam<PartsRow> {};

TEST_P(HeadcountFromPartsAccepts, KeepsThePartsAndPhrase) {
  const PartsRow& r = GetParam();
  const Headcount h = Headcount::from_parts(r.kind, r.low, r.high, r.estimate, "as reported");
  EXPECT_EQ(h.kind(), r.kind);
  EXPECT_EQ(h.low(), r.low);
  EXPECT_EQ(h.high(), r.high);
  EXPECT_EQ(h.estimate(), r.estimate);
  EXPECT_EQ(h.phrase(), "as reported");
}

TEST_P(HeadcountFromPartsAccepts, EmptyPhraseBecomesCanonical) {
  const PartsRow& r = GetParam();
  const Headcount h = Headcount::from_parts(r.kind, r.low, r.high, r.estimate, "");
  EXPECT_FALSE(h.phrase().empty());
  EXPECT_EQ(h.phrase(), h.canonical());
}

INSTANTIATE_TEST_SUITE_P(Table, HeadcountFromPartsAccepts, testing::ValuesIn(kConsistentParts));

TEST(HeadcountFromParts, UndocumentedPhraseBoundsKeepTheirPhrase) {
  // Self-consistent but in no table: storage may hold phrases a later version
  // documents, so they are kept, and canonical() can only repeat the phrase.
  const Headcount h = Headcount::from_parts(K::phrase, 10, 20, 10, "a couple dozen-ish");
  EXPECT_EQ(h.phrase(), "a couple dozen-ish");
  EXPECT_EQ(h.canonical(), "a couple dozen-ish");
  EXPECT_TRUE(h.approximate());
  EXPECT_THROW((void)Headcount::from_parts(K::phrase, 10, 20, 10, ""), Error);
}

TEST(HeadcountFromParts, DocumentedPhraseBoundsCanonicalizeToTheTableWording) {
  const Headcount h = Headcount::from_parts(K::phrase, 200, 999, 500, "Hundreds of staffers");
  EXPECT_EQ(h.canonical(), "hundreds");
  EXPECT_TRUE(Headcount::parse(h.canonical()).same_value(h));
}

const PartsRow kInconsistentParts[] = {
    {K::exact, 5, 6, 5},                       // exact needs low == high
    {K::exact, 5, 5, 4},                       // and the estimate equal to both
    {K::exact, 5, kUnbounded, 5},              // and a bound
    {K::about, 9'000, 9'001, 9'000},           // about is [n, n] too
    {K::at_least, 100, 200, 100},              // at_least is unbounded
    {K::at_least, 100, kUnbounded, 150},       // with estimate n
    {K::up_to, 1, 300, 300},                   // up_to starts at 0
    {K::up_to, 0, 300, 150},                   // estimate is the reported figure
    {K::up_to, 0, kUnbounded, 300},            // up_to is bounded
    {K::range, 60, 40, 50},                    // inverted
    {K::range, 40, 60, 45},                    // not the midpoint
    {K::range, 40, kUnbounded, 40},            // a range has two ends
    {K::phrase, 300, 999, 1'000},              // estimate above the interval
    {K::phrase, 300, 999, 299},                // estimate below it
    {K::phrase, 300, kUnbounded, 500},         // phrases are bounded
    {K::unknown, 0, kUnbounded, 5},            // unknown estimates 0
    {K::unknown, 1, kUnbounded, 1},            // and starts at 0
    {K::unknown, 0, 10, 0},                    // and is unbounded
    {K::exact, -1, -1, -1},                    // negative
    {K::exact, kMax + 1, kMax + 1, kMax + 1},  // above the maximum
    {K::range, 0, kMax + 1, kMax / 2 + 1},     // high above the maximum
    {K::at_least, kMax + 1, kUnbounded, kMax + 1},
    {static_cast<HeadcountKind>(99), 0, 0, 0},  // no such kind
};

class HeadcountFromPartsRejects : public testing::TestWithParam<PartsRow> {};

TEST_P(HeadcountFromPartsRejects, ThrowsInvalidArgument) {
  const PartsRow& r = GetParam();
  try {
    (void)Headcount::from_parts(r.kind, r.low, r.high, r.estimate, "stored phrase");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "headcount");
  }
}

INSTANTIATE_TEST_SUITE_P(Table, HeadcountFromPartsRejects, testing::ValuesIn(kInconsistentParts));

// ---------------------------------------------------------------------------
// Equality, kinds and number formatting.

TEST(HeadcountEquality, SameValueIgnoresPhraseButEqualityDoesNot) {
  const Headcount a = Headcount::parse("about 10,000");
  const Headcount b = Headcount::parse("~10k");
  EXPECT_TRUE(a.same_value(b));
  EXPECT_NE(a, b);
  EXPECT_EQ(a, Headcount::parse("  about 10,000 "));
  EXPECT_FALSE(a.same_value(Headcount::parse("10,000")));
  EXPECT_FALSE(Headcount::parse("at least 0").same_value(Headcount::unknown()));
  EXPECT_FALSE(Headcount::parse("hundreds").same_value(Headcount::parse("several hundred")));
}

TEST(HeadcountKindText, RoundTripsAndRejects) {
  const std::pair<HeadcountKind, const char*> kinds[] = {
      {K::exact, "exact"}, {K::about, "about"},   {K::at_least, "at_least"}, {K::up_to, "up_to"},
      {K::range, "range"}, {K::phrase, "phrase"}, {K::unknown, "unknown"},
  };
  for (const auto& [kind, text] : kinds) {
    EXPECT_EQ(to_string(kind), text);
    EXPECT_EQ(parse_headcount_kind(text), kind);
  }
  for (const char* bad : {"", "Exact", "at least", "at-least", "approximate"}) {
    try {
      (void)parse_headcount_kind(bad);
      ADD_FAILURE() << "accepted \"" << bad << '"';
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.field(), "headcount_kind");
      EXPECT_NE(std::string(e.what()).find('"' + std::string(bad) + '"'), std::string::npos);
    }
  }
}

struct FormatRow {
  std::int64_t n;
  const char* text;
};

void PrintTo(const FormatRow& r, std::ostream* os) {
  *os << r.n;
}

const FormatRow kFormats[] = {
    {0, "0"},
    {7, "7"},
    {999, "999"},
    {1'000, "1,000"},
    {27'000, "27,000"},
    {100'000, "100,000"},
    {1'234'567, "1,234,567"},
    {kMax, "100,000,000"},
    {-1'234, "-1,234"},
    {INT64_MAX, "9,223,372,036,854,775,807"},
    {INT64_MIN, "-9,223,372,036,854,775,808"},
};

class HeadcountFormatCount : public testing::TestWithParam<FormatRow> {};

TEST_P(HeadcountFormatCount, GroupsThousands) {
  EXPECT_EQ(format_count(GetParam().n), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(Table, HeadcountFormatCount, testing::ValuesIn(kFormats));

}  // namespace
}  // namespace layoffs
