// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// layoffs.fyi exports. The tracker has been republished with several
// headers (the Kaggle copy, the Airtable export, a lower-case 11-column
// form), so columns are found by name and any of the known spellings.
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include "csv_reader.h"
#include "importers.h"
#include "stable_hash.h"

namespace layoffs::io::detail {

namespace {

enum Column {
  kCompany,
  kLocation,
  kIndustry,
  kCount,
  kPercentage,
  kDate,
  kStage,
  kCountry,
  kFunds,
  kSource,
  kColumnCount,
  kIgnored = kColumnCount,  // known, but carries nothing we store
};

struct Synonym {
  std::string_view key;  // as header_key() writes it
  Column column;
};

// Every spelling seen in the wild, plus a few obvious variants.
constexpr Synonym kSynonyms[] = {
    {"company", kCompany},
    {"company name", kCompany},
    {"location", kLocation},
    {"location hq", kLocation},
    {"hq", kLocation},
    {"headquarters", kLocation},
    {"industry", kIndustry},
    {"total laid off", kCount},
    {"# laid off", kCount},
    {"laid off", kCount},
    {"laid off count", kCount},
    {"number laid off", kCount},
    {"percentage laid off", kPercentage},
    {"percent laid off", kPercentage},
    {"% laid off", kPercentage},
    {"percentage", kPercentage},
    {"%", kPercentage},
    {"date", kDate},
    {"stage", kStage},
    {"funding stage", kStage},
    {"country", kCountry},
    {"funds raised millions", kFunds},
    {"funds raised", kFunds},
    {"funds raised (mm)", kFunds},
    {"$ raised (mm)", kFunds},
    {"$ raised", kFunds},
    {"money raised", kFunds},
    {"source", kSource},
    {"source url", kSource},
    {"url", kSource},
    {"date added", kIgnored},
    {"list of employees laid off", kIgnored},
    {"list of employees", kIgnored},
};

constexpr std::string_view kKnown =
    "company, location (or Location HQ), industry, total_laid_off (or # Laid Off), "
    "percentage_laid_off (or %), date, stage, country, funds_raised_millions (or $ Raised (mm), "
    "funds_raised), source, date_added, List of Employees Laid Off";

// "Tel Aviv, Non-U.S." -> "Tel Aviv": the marker only says the city lies
// outside the US, which the country column says better.
std::string_view strip_non_us(std::string_view location) {
  constexpr std::string_view kMarker = "non-u.s.";
  if (location.size() >= kMarker.size() &&
      iequals(location.substr(location.size() - kMarker.size()), kMarker)) {
    location.remove_suffix(kMarker.size());
    location = trim(location);
    if (!location.empty() && location.back() == ',') {
      location.remove_suffix(1);
    }
  }
  return trim(location);
}

// The same test the library applies to a source URL (scheme:rest, no
// whitespace), so that a value that would be refused lands in the notes.
bool looks_like_url(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= s.size() || s.size() > 2048) {
    return false;
  }
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool rest = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!(alpha || (i > 0 && rest))) {
      return false;
    }
  }
  return s.find_first_of(" \t\r\n") == std::string_view::npos;
}

// layoffs.fyi writes the share laid off as a fraction (0.05 = 5 %); a value
// with a '%' sign is already a percentage.
double parse_percentage(std::string_view text, const std::string& column) {
  const std::string_view given = trim(text);
  std::string_view number = given;
  const bool percent = !number.empty() && number.back() == '%';
  if (percent) {
    number = trim(number.substr(0, number.size() - 1));
  }
  const auto bad = [&] {
    return invalid_field(column, given,
                         "is not a share of the workforce (a fraction from 0 to 1, such as 0.05, "
                         "or a percentage such as 5%):");
  };
  double value = 0;
  try {
    value = parse_csv_number(number, column);
  } catch (const Error&) {
    throw bad();
  }
  if (value < 0 || value > (percent ? 100.0 : 1.0)) {
    throw bad();
  }
  const double pct = percent ? value : value * 100.0;
  // 0.07 * 100 is 7.000000000000001 in binary; keep what was meant.
  return std::round(pct * 1e6) / 1e6;
}

Error missing(const std::string& column) {
  return Error(ErrorCode::invalid_argument, column + ": is missing", column);
}

class LayoffsFyiImport final : public CsvImport {
 public:
  LayoffsFyiImport(Tracker& tracker, const std::string& path, const ImportOptions& options)
      : CsvImport(tracker, path, options, Format::layoffsfyi) {
    index_.fill(-1);
  }

 private:
  void read_header(const CsvRecord& /*header*/) override {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const std::string& given = columns_[i];
      const std::string key = header_key(given);
      if (key.empty()) {
        throw Error(ErrorCode::invalid_argument,
                    "header column " + std::to_string(i + 1) + " has no name", "header");
      }
      const Synonym* found = nullptr;
      for (const Synonym& s : kSynonyms) {
        if (s.key == key) {
          found = &s;
          break;
        }
      }
      if (found == nullptr) {
        throw Error(ErrorCode::invalid_argument,
                    "unknown column \"" + given + "\" (column " + std::to_string(i + 1) +
                        "); a layoffs.fyi export has the columns " + std::string(kKnown),
                    "header", given);
      }
      if (found->column == kIgnored) {
        continue;
      }
      int& slot = index_[found->column];
      if (slot >= 0) {
        throw Error(ErrorCode::invalid_argument,
                    "columns \"" + columns_[static_cast<std::size_t>(slot)] + "\" and \"" + given +
                        "\" (column " + std::to_string(i + 1) + ") hold the same thing",
                    "header", given);
      }
      slot = static_cast<int>(i);
    }
    for (const auto& [column, label] : {std::pair{kCompany, "company"}, std::pair{kDate, "date"}}) {
      if (index_[column] < 0) {
        throw Error(ErrorCode::invalid_argument,
                    std::string("no \"") + label +
                        "\" column; a layoffs.fyi export has the columns " + std::string(kKnown),
                    "header", label);
      }
    }
  }

  // The field of `column` in `row`, trimmed; "" if the file has no such
  // column or the value is missing.
  std::string_view get(const CsvRecord& row, Column column) const {
    const int i = index_[column];
    if (i < 0) {
      return {};
    }
    const std::string_view value = trim(row[static_cast<std::size_t>(i)]);
    return is_missing(value) ? std::string_view() : value;
  }
  const std::string& name(Column column) const {
    return columns_[static_cast<std::size_t>(index_[column])];
  }

  void read_row(const CsvRecord& row, NewEvent& event, NewCompany& company) override {
    const std::string_view name_value = get(row, kCompany);
    if (name_value.empty()) {
      throw missing(name(kCompany));
    }
    company.name = name_value;
    company.industry = get(row, kIndustry);
    company.hq_location = strip_non_us(get(row, kLocation));
    company.country = get(row, kCountry);

    const std::string_view date = get(row, kDate);
    if (date.empty()) {
      throw missing(name(kDate));
    }
    event.announced_on = parse_csv_date(date, name(kDate));
    if (const std::string_view count = get(row, kCount); !count.empty()) {
      event.headcount = Headcount::parse(count, name(kCount));
    }
    if (const std::string_view pct = get(row, kPercentage); !pct.empty()) {
      event.workforce_pct = parse_percentage(pct, name(kPercentage));
    }
    event.company_stage = get(row, kStage);
    if (const std::string_view funds = get(row, kFunds); !funds.empty()) {
      const double musd = parse_csv_number(funds, name(kFunds));
      if (musd < 0) {
        throw invalid_field(name(kFunds), funds, "must not be negative:");
      }
      event.funds_raised_musd = musd;
    }
    if (const std::string_view source = get(row, kSource); !source.empty()) {
      if (looks_like_url(source)) {
        event.sources.push_back(
            Source{.url = std::string(source), .tier = SourceTier::media_report});
      } else {
        event.notes = "Source: ";
        event.notes += source;
      }
    }

    // The key is the whole row as read, so exact repeats of a row share it
    // and any difference (even in spacing) makes another event.
    key_text_.clear();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) {
        key_text_ += '\x1f';
      }
      key_text_ += row[i];
    }
    event.key = "lfyi:";
    event.key += stable_hash_hex(key_text_);
  }

  const std::string* column_of(std::string_view field) const override {
    static constexpr std::pair<std::string_view, Column> kFields[] = {
        {"announced_on", kDate},
        {"headcount", kCount},
        {"workforce_pct", kPercentage},
        {"company_stage", kStage},
        {"funds_raised_musd", kFunds},
        {"sources", kSource},
        {"notes", kSource},
        {"name", kCompany},
        {"industry", kIndustry},
        {"hq_location", kLocation},
        {"country", kCountry},
    };
    for (const auto& [f, column] : kFields) {
      if (f == field && index_[column] >= 0) {
        return &name(column);
      }
    }
    return nullptr;
  }

  std::array<int, kColumnCount> index_{};
  std::string key_text_;  // reused for every row
};

}  // namespace

ImportSummary import_layoffsfyi(Tracker& tracker, const std::string& path,
                                const ImportOptions& options) {
  LayoffsFyiImport import(tracker, path, options);
  return import.run();
}

}  // namespace layoffs::io::detail
