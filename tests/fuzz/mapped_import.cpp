// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Fuzz target: the column-mapping importer (io::import_csv with a Mapping,
// mapping.h). The bytes decode into a header (column names from a small
// pool, written in varying case and spacing), a Mapping (fields to columns,
// mostly of the header, some not; its options) and up to 12 rows whose cells
// are values from a pool (dates, counts, shares, booleans, names, keys,
// URLs, places, text that needs quoting) or raw bytes.
//
// Properties: those of import_check.h (only an ImportError naming the file
// and line escapes, with a documented code; a failed import leaves the
// database empty; strict succeeds exactly when skip_bad rejects nothing,
// and both give the same data; check() finds nothing; importing again adds
// and changes nothing; the export round-trips), and after a successful
// strict import every row with a key of its own reads back as given: its
// event (found by the mapping's key prefix + the key) belongs to a company
// whose name has the row's name key, on the row's date, with the row's
// headcount, of the mapping's kind. A refused row's message names a column
// of the header.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "csv_text.h"
#include "import_check.h"
#include "mapping.h"
#include "names.h"

namespace {

namespace io = layoffs::io;
using layoffs::Headcount;
using layoffs::Tracker;
using layoffs::fuzz::quoted;

constexpr std::array<const char*, 16> kColumns{
    {"Company", "Date", "Laid Off", "Location", "Notes", "Department", "Id", "Percentage", "Closed",
     "Amends", "Parent", "State", "Source", "Industry", "Stage", "Extra"}};

constexpr std::array<const char*, 40> kValues{{"Acme",
                                               "ACME Inc.",
                                               "Beta Corp",
                                               "Gamma - Seattle",
                                               "",
                                               "n/a",
                                               "Unknown",
                                               "2023-01-15",
                                               "2023-02",
                                               "2023",
                                               "1/15/2023",
                                               "2023-13-01",
                                               "2023-01-04T00:00:00.000Z",
                                               "100",
                                               "about 50",
                                               "0",
                                               "12.0",
                                               "-5",
                                               "several hundred",
                                               "16%",
                                               "0.05",
                                               "150%",
                                               "true",
                                               "no",
                                               "maybe",
                                               "Sales",
                                               "k1",
                                               "k2",
                                               "https://news.example/a",
                                               "not a url",
                                               "Seattle|Austin",
                                               "Seattle; Austin",
                                               "CA",
                                               "Texas",
                                               "$2,500",
                                               "a,b",
                                               "say \"hi\"",
                                               "two\nlines",
                                               " padded ",
                                               "Zeta"}};

// The bytes, read from the front; 0 when they run out.
struct Bytes {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;
  bool done() const { return at >= size; }
  std::uint8_t next() { return at < size ? data[at++] : 0; }
};

struct Input {
  std::vector<std::string> header;  // as written
  io::Mapping mapping;
  std::vector<std::vector<std::string>> rows;
};

std::string header_spelling(const char* name, std::uint8_t b) {
  std::string s = name;
  if (b & 1u) {
    for (char& c : s) {
      c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  if (b & 2u) {
    s = " " + s + " ";
  }
  return s;
}

Input decode(Bytes& in) {
  Input out;
  const std::size_t columns = 1 + in.next() % 6;
  for (std::size_t i = 0; i < columns; ++i) {
    const std::uint8_t b = in.next();
    out.header.push_back(header_spelling(kColumns[b % kColumns.size()], b >> 4));
  }
  const std::size_t fields = in.next() % 7;
  for (std::size_t i = 0; i < fields; ++i) {
    const auto field =
        static_cast<io::Field>(in.next() % (static_cast<int>(io::Field::ignore) + 1));
    const std::uint8_t b = in.next();
    // Mostly a column of the header (as named in kColumns), sometimes not.
    std::string column = b < 224 ? out.header[b % columns] : kColumns[b % kColumns.size()];
    out.mapping.columns.push_back({field, column});
  }
  const std::uint8_t options = in.next();
  io::Mapping& m = out.mapping;
  m.name = "fuzz";
  m.share_scale = (options & 1u) ? io::ShareScale::percent : io::ShareScale::fraction;
  m.location_separators = (options & 2u) ? "|;" : "";
  m.key_prefix = (options & 4u) ? "m:" : "csv:";
  m.key_from_whole_row = (options & 8u) != 0;
  m.zero_headcount_unknown = (options & 16u) != 0;
  m.kind = (options & 32u) ? layoffs::EventKind::filing : layoffs::EventKind::announcement;
  m.event_country = (options & 64u) ? "United States" : "";
  m.strict_header = (options & 128u) != 0;

  while (!in.done() && out.rows.size() < 12) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < columns; ++i) {
      const std::uint8_t b = in.next();
      if (b == 0xFF) {
        // Raw bytes: a length, then the text.
        const std::size_t n = in.next() % 16;
        std::string raw;
        for (std::size_t k = 0; k < n && !in.done(); ++k) {
          raw += static_cast<char>(in.next());
        }
        row.push_back(raw);
      } else {
        row.emplace_back(kValues[b % kValues.size()]);
      }
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::string csv_text(const Input& in) {
  std::string out;
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) {
        out += ',';
      }
      io::detail::append_csv_field(out, cells[i]);
    }
    out += '\n';
  };
  line(in.header);
  for (const auto& row : in.rows) {
    line(row);
  }
  return out;
}

// The header index of the first column mapped to `f`, or -1 (as the
// importer reads a mapping: a column matched by header_key).
int column_of(const Input& in, io::Field f) {
  for (const io::ColumnMapping& c : in.mapping.columns) {
    if (c.field != f) {
      continue;
    }
    for (std::size_t i = 0; i < in.header.size(); ++i) {
      if (io::detail::header_key(in.header[i]) == io::detail::header_key(c.column)) {
        return static_cast<int>(i);
      }
    }
  }
  return -1;
}

// Every row with a key of its own reads back as given.
void check_rows(const Input& in, const Tracker& t) {
  const int key = column_of(in, io::Field::key);
  const int company = column_of(in, io::Field::company);
  const int date = column_of(in, io::Field::date);
  const int count = column_of(in, io::Field::headcount);
  if (key < 0 || company < 0 || date < 0) {
    return;
  }
  const auto cell = [](const std::vector<std::string>& row, int i) {
    return std::string(io::detail::trim(row[static_cast<std::size_t>(i)]));
  };
  std::map<std::string, int> uses;
  for (const auto& row : in.rows) {
    ++uses[cell(row, key)];
  }
  for (const auto& row : in.rows) {
    const std::string k = cell(row, key);
    // An empty key fails a strict import, unless the row is a blank line
    // (one empty cell, or spaces), which the reader skips as no row at all.
    if (k.empty() || uses[k] != 1) {
      continue;
    }
    const auto id = t.find_event(in.mapping.key_prefix + k);
    FUZZ_CHECK(id.has_value(), "no event with the key " + quoted(in.mapping.key_prefix + k) +
                                   " after importing\n" + csv_text(in));
    const layoffs::Event e = t.event(*id);
    const std::string name = t.company(e.company).name;
    FUZZ_CHECK(io::name_match_key(name) == io::name_match_key(cell(row, company)),
               "the row of key " + quoted(k) + " names " + quoted(cell(row, company)) +
                   ", its event's company is " + quoted(name));
    FUZZ_CHECK(e.announced_on == io::detail::parse_csv_date(cell(row, date), "date"),
               "the row of key " + quoted(k) + " is dated " + quoted(cell(row, date)) +
                   ", its event " + e.announced_on.to_string());
    FUZZ_CHECK(e.kind == in.mapping.kind, "the row of key " + quoted(k) + " has another kind");
    if (count >= 0) {
      const std::string c = cell(row, count);
      const bool none = io::detail::is_missing(c) ||
                        (in.mapping.zero_headcount_unknown && (c == "0" || c == "0.0"));
      const Headcount want = none ? Headcount::unknown() : Headcount::parse(c);
      FUZZ_CHECK(e.headcount == want, "the row of key " + quoted(k) + " counts " + quoted(c) +
                                          ", its event " + quoted(e.headcount.phrase()));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1024) {
    return 0;
  }
  Bytes bytes{data, size};
  const Input in = decode(bytes);
  const std::string text = csv_text(in);
  layoffs::fuzz::import_and_check(
      text,
      [&](Tracker& t, const std::string& path, const io::ImportOptions& options) {
        try {
          return io::import_csv(t, path, in.mapping, options);
        } catch (const io::ImportError& e) {
          // A refused data row names a column of the header.
          if (e.line() > 1 && e.code() == layoffs::ErrorCode::invalid_argument) {
            bool named = false;
            for (const std::string& c : in.header) {
              named = named || std::string_view(e.what()).find(io::detail::trim(c)) !=
                                   std::string_view::npos;
            }
            FUZZ_CHECK(named, std::string("the error names no column: ") + e.what());
          }
          throw;
        }
      },
      io::Format::csv, "csv", /*rows_add_up=*/true,
      [&](const Tracker& t, const io::ImportSummary&) { check_rows(in, t); });
  return 0;
}
