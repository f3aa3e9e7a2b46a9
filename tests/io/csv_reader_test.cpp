// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The streaming CSV reader: RFC 4180 quoting, line numbers, BOM, line ends,
// syntax errors with resynchronization, limits, and the field helpers.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "csv_reader.h"
#include "import.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

using io::detail::CsvReader;
using io::detail::CsvReaderOptions;
using io::detail::CsvRecord;

struct Row {
  std::int64_t line = 0;
  std::vector<std::string> fields;
  std::string text;
  std::string error;
};

class CsvReaderTest : public ::testing::Test {
 protected:
  std::vector<Row> read(const std::string& bytes, const CsvReaderOptions& options = {}) {
    const std::string path = dir_.file("in.csv");
    write_file(path, bytes);
    CsvReader reader(path, options);
    std::vector<Row> rows;
    CsvRecord r;
    while (reader.next(r)) {
      Row row;
      row.line = r.line();
      for (std::size_t i = 0; i < r.size(); ++i) {
        row.fields.emplace_back(r[i]);
      }
      row.text = r.text();
      row.error = r.error();
      rows.push_back(std::move(row));
    }
    EXPECT_EQ(reader.bytes_read(), static_cast<std::int64_t>(bytes.size()));
    EXPECT_EQ(reader.file_size(), static_cast<std::int64_t>(bytes.size()));
    return rows;
  }

  TempDir dir_;
};

using Fields = std::vector<std::string>;

TEST_F(CsvReaderTest, QuotingPerRfc4180) {
  const auto rows = read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\n\"\",, z \n");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields, (Fields{"x, y", "say \"hi\"", ""}));
  EXPECT_EQ(rows[2].fields, (Fields{"", "", " z "}));  // spaces are data
  EXPECT_EQ(rows[1].text, "\"x, y\",\"say \"\"hi\"\"\",");
  for (const Row& r : rows) {
    EXPECT_EQ(r.error, "");
  }
}

TEST_F(CsvReaderTest, RecordsReportTheLineTheyStartOn) {
  const auto rows = read("h1,h2\n\"multi\nline\nfield\",x\n\nlast,\"one\r\nmore\"\r\n\r\nend,1");
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].fields, (Fields{"multi\nline\nfield", "x"}));
  EXPECT_EQ(rows[1].text, "\"multi\nline\nfield\",x");
  EXPECT_EQ(rows[2].line, 6);  // after the blank line 5
  EXPECT_EQ(rows[2].fields, (Fields{"last", "one\r\nmore"}));
  EXPECT_EQ(rows[2].text, "last,\"one\r\nmore\"");
  EXPECT_EQ(rows[3].line, 9);  // no line end at the end of the file
  EXPECT_EQ(rows[3].fields, (Fields{"end", "1"}));
  EXPECT_EQ(rows[3].text, "end,1");
}

TEST_F(CsvReaderTest, BomIsSkippedAndCrlfOrLfAreLineEnds) {
  const auto rows = read(
      "\xEF\xBB\xBF"
      "a,b\r\n1,2\n3,4\r\n");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].fields, (Fields{"3", "4"}));
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].text, "3,4");
}

TEST_F(CsvReaderTest, APartialBomIsData) {
  const auto rows = read(
      "\xEF\xBB"
      "a\n");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].fields, (Fields{"\xEF\xBB"
                                    "a"}));
}

TEST_F(CsvReaderTest, EmptyAndBlankFilesHaveNoRecords) {
  EXPECT_TRUE(read("").empty());
  EXPECT_TRUE(read("\n\r\n\n").empty());
  EXPECT_TRUE(read("\xEF\xBB\xBF").empty());
}

TEST_F(CsvReaderTest, UnterminatedQuoteIsReportedWhereItOpened) {
  const auto rows = read("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_NE(rows[2].error.find("unterminated quote"), std::string::npos);
  EXPECT_EQ(rows[2].text, "3,\"open\n4,5\n6,7");
}

TEST_F(CsvReaderTest, UnterminatedQuoteAfterAClosedMultiLineField) {
  // The record starts on line 2; the field left open starts on line 3.
  const auto rows = read("h\n\"one\ntwo\",\"three\nfour\n");
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_NE(rows[1].error.find("never closed"), std::string::npos);
}

TEST_F(CsvReaderTest, StrayQuotesMakeABadRecordAndReadingGoesOn) {
  const auto rows = read("a,b\nx\"y,1\n\"q\"z,2\nok,3\n");
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_NE(rows[1].error.find("malformed quoting on line 2"), std::string::npos) << rows[1].error;
  EXPECT_EQ(rows[1].text, "x\"y,1");
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_NE(rows[2].error.find("malformed quoting"), std::string::npos);
  EXPECT_EQ(rows[2].text, "\"q\"z,2");
  EXPECT_EQ(rows[3].error, "");
  EXPECT_EQ(rows[3].line, 4);
  EXPECT_EQ(rows[3].fields, (Fields{"ok", "3"}));
}

TEST_F(CsvReaderTest, OversizedFieldsAreRefusedWithoutBufferingThem) {
  CsvReaderOptions o;
  o.max_field_bytes = 10;
  const auto rows =
      read("a,b\n0123456789,x\n0123456789A,x\n\"0123456789\n0123456789\",y\nok,z\n", o);
  ASSERT_EQ(rows.size(), 5U);
  EXPECT_EQ(rows[1].error, "");
  EXPECT_EQ(rows[2].error, "field 1 is longer than 10 bytes");
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[3].error, "field 1 is longer than 10 bytes");
  EXPECT_EQ(rows[3].line, 4);
  EXPECT_EQ(rows[4].fields, (Fields{"ok", "z"}));
  EXPECT_EQ(rows[4].line, 6);
}

TEST_F(CsvReaderTest, AMegabyteFieldIsCutOffAndTheNextRecordIsSound) {
  const std::string big(1024 * 1024, 'x');
  for (const std::string& quote : {std::string(), std::string("\"")}) {
    const auto rows = read("a,b\n1," + quote + big + quote + "\n2,3\n");
    ASSERT_EQ(rows.size(), 3U);
    EXPECT_EQ(rows[1].error, "field 2 is longer than 65,536 bytes");
    EXPECT_EQ(rows[1].line, 2);
    EXPECT_EQ(rows[1].text.size(), 16U * 1024U);  // the text kept is capped
    EXPECT_EQ(rows[2].fields, (Fields{"2", "3"}));
  }
}

TEST_F(CsvReaderTest, LongFieldsUnderTheLimitReadWhole) {
  CsvReaderOptions o;
  o.max_field_bytes = 1024 * 1024;
  const std::string big(300 * 1000, 'y');
  const auto rows = read("a,b\n1," + big + "\n\"" + big + "\",2\n", o);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[1].fields[1], big);
  EXPECT_EQ(rows[2].fields[0], big);
  EXPECT_EQ(rows[2].line, 3);
}

TEST_F(CsvReaderTest, TooManyFieldsOrBytesInARecord) {
  CsvReaderOptions o;
  o.max_fields = 3;
  o.max_record_bytes = 8;
  const auto rows = read("a,b,c,d\n12345,6789\nok\n", o);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].error, "the record has more than 3 fields");
  EXPECT_EQ(rows[1].error, "the record is longer than 8 bytes");
  EXPECT_EQ(rows[2].error, "");
}

// Many records of many shapes, line ends falling at every offset of the
// read blocks: every field, line and text must come back as written.
TEST_F(CsvReaderTest, RandomRecordsRoundTrip) {
  std::mt19937 rng(42);
  const std::string alphabet = "abc ,\"\r\n\xC3\xA1";
  std::string file;
  std::vector<Row> expected;
  std::int64_t line = 1;
  for (int r = 0; r < 4000; ++r) {
    Row row;
    row.line = line;
    const int nfields = 1 + static_cast<int>(rng() % 5);
    std::string text;
    for (int f = 0; f < nfields; ++f) {
      std::string value;
      const std::size_t len = rng() % 8 == 0 ? rng() % 200 : rng() % 12;
      for (std::size_t i = 0; i < len; ++i) {
        value += alphabet[rng() % alphabet.size()];
      }
      if (nfields == 1 && value.empty()) {
        value.push_back('e');  // a lone empty field would be a blank line
      }
      if (f > 0) {
        text += ',';
      }
      io::detail::append_csv_field(text, value);
      row.fields.push_back(value);
    }
    row.text = text;
    const std::string end = rng() % 2 == 0 ? "\r\n" : "\n";
    file += text + end;
    for (const char c : text) {
      line += c == '\n' ? 1 : 0;
    }
    ++line;
    expected.push_back(std::move(row));
  }
  ASSERT_GT(file.size(), 3U * 64U * 1024U);
  const auto rows = read(file);
  ASSERT_EQ(rows.size(), expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].error, "") << i;
    ASSERT_EQ(rows[i].fields, expected[i].fields) << i;
    ASSERT_EQ(rows[i].line, expected[i].line) << i;
    ASSERT_EQ(rows[i].text, expected[i].text) << i;
  }
}

TEST_F(CsvReaderTest, MissingFileIsAnIoError) {
  try {
    CsvReader reader(dir_.file("nope.csv"));
    FAIL();
  } catch (const io::ImportError& e) {
    EXPECT_EQ(e.code(), ErrorCode::io_error);
    EXPECT_EQ(e.file(), dir_.file("nope.csv"));
  }
}

// ---- Helpers ------------------------------------------------------------

TEST(CsvHelpers, Utf8Validation) {
  using io::detail::is_valid_utf8;
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("Ual\xC3\xA1 D\xC3\xBCsseldorf \xE2\x80\x93 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("abc\xE2\x80"));       // cut short
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(CsvHelpers, Dates) {
  using io::detail::parse_csv_date;
  EXPECT_EQ(parse_csv_date("3/6/2023", "date"), Date::ymd(2023, 3, 6));
  EXPECT_EQ(parse_csv_date("12/31/2022", "date"), Date::ymd(2022, 12, 31));
  EXPECT_EQ(parse_csv_date(" 2023-01-04 ", "date"), Date::ymd(2023, 1, 4));
  EXPECT_EQ(parse_csv_date("2023-01-04T00:00:00.000Z", "date"), Date::ymd(2023, 1, 4));
  EXPECT_EQ(parse_csv_date("2023-01-04 10:11:12", "date"), Date::ymd(2023, 1, 4));
  EXPECT_EQ(parse_csv_date("2023-01", "date"), Date::year_month(2023, 1));
  // layoffs.fyi's own export writes M/D/YY; the century is 2000.
  EXPECT_EQ(parse_csv_date("4/3/25", "date"), Date::ymd(2025, 4, 3));
  for (const char* bad : {"2/30/2023", "13/1/2023", "1/2/3", "1/2/023", "1//2023", "2023/01/04",
                          "Jan 4", "2023-1-4", "1/2/2023x"}) {
    try {
      parse_csv_date(bad, "Date");
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.field(), "Date");
      EXPECT_NE(std::string(e.what()).find("is not a date"), std::string::npos) << e.what();
    }
  }
}

TEST(CsvHelpers, Numbers) {
  using io::detail::parse_csv_number;
  EXPECT_DOUBLE_EQ(parse_csv_number("108", "f"), 108.0);
  EXPECT_DOUBLE_EQ(parse_csv_number("$1,200", "f"), 1200.0);
  EXPECT_DOUBLE_EQ(parse_csv_number(" 26.5 ", "f"), 26.5);
  EXPECT_DOUBLE_EQ(parse_csv_number("-3", "f"), -3.0);  // range is the caller's business
  for (const char* bad : {"", "$", "12abc", "1e999", "nan", "twelve"}) {
    EXPECT_THROW(parse_csv_number(bad, "f"), Error) << bad;
  }
}

TEST(CsvHelpers, HeaderKeysAndMissingValues) {
  using io::detail::header_key;
  using io::detail::is_missing;
  EXPECT_EQ(header_key("  Total_Laid_Off "), "total laid off");
  EXPECT_EQ(header_key("Location  HQ"), "location hq");
  EXPECT_EQ(header_key("$ Raised (mm)"), "$ raised (mm)");
  EXPECT_TRUE(is_missing(""));
  EXPECT_TRUE(is_missing("  "));
  EXPECT_TRUE(is_missing("NULL"));
  EXPECT_TRUE(is_missing("null"));
  EXPECT_TRUE(is_missing("Unknown"));
  EXPECT_FALSE(is_missing("0"));
  EXPECT_FALSE(is_missing("Nullable"));
}

TEST(CsvHelpers, QuotingForOutput) {
  std::string out;
  io::detail::append_csv_field(out, "plain");
  out += '|';
  io::detail::append_csv_field(out, "a,b");
  out += '|';
  io::detail::append_csv_field(out, "say \"hi\"\nbye");
  EXPECT_EQ(out, "plain|\"a,b\"|\"say \"\"hi\"\"\nbye\"");
}

}  // namespace
}  // namespace layoffs::test
