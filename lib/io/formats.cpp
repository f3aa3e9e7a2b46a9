// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The known CSV formats, as tables (mapping.h), and the user's own:
// --columns, a JSON mapping file, --show-columns.
#include "formats.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "csv_reader.h"

namespace layoffs::io {

namespace {

using F = Field;

constexpr std::pair<Field, std::string_view> kFieldNames[] = {
    {F::company, "company"},
    {F::parent, "parent"},
    {F::industry, "industry"},
    {F::hq, "hq"},
    {F::country, "country"},
    {F::date, "date"},
    {F::effective_date, "effective_date"},
    {F::date_added, "date_added"},
    {F::headcount, "headcount"},
    {F::workforce_pct, "workforce_pct"},
    {F::stage, "stage"},
    {F::funds_musd, "funds_musd"},
    {F::source, "source"},
    {F::location, "location"},
    {F::state, "state"},
    {F::notes, "notes"},
    {F::department, "department"},
    {F::reason, "reason"},
    {F::key, "key"},
    {F::closure, "closure"},
    {F::temporary, "temporary"},
    {F::superseded, "superseded"},
    {F::amendment, "amendment"},
    {F::amends, "amends"},
    {F::ignore, "ignore"},
};

Mapping lfyi(std::string name, std::vector<ColumnMapping> columns,
             ShareScale scale = ShareScale::fraction) {
  Mapping m;
  m.name = std::move(name);
  m.columns = std::move(columns);
  m.share_scale = scale;
  m.key_prefix = "lfyi:";
  m.key_from_whole_row = true;  // as every earlier release keyed these rows
  m.strict_header = true;
  return m;
}

// Every spelling of a layoffs.fyi column seen in the wild, for a header
// that is no known variant but whose columns are all known.
constexpr std::pair<std::string_view, Field> kSynonyms[] = {
    {"company", F::company},
    {"company name", F::company},
    {"location", F::hq},
    {"location hq", F::hq},
    {"hq", F::hq},
    {"headquarters", F::hq},
    {"industry", F::industry},
    {"total laid off", F::headcount},
    {"# laid off", F::headcount},
    {"laid off", F::headcount},
    {"laid off count", F::headcount},
    {"number laid off", F::headcount},
    {"percentage laid off", F::workforce_pct},
    {"percent laid off", F::workforce_pct},
    {"% laid off", F::workforce_pct},
    {"percentage", F::workforce_pct},
    {"%", F::workforce_pct},
    {"date", F::date},
    {"stage", F::stage},
    {"funding stage", F::stage},
    {"country", F::country},
    {"funds raised millions", F::funds_musd},
    {"funds raised", F::funds_musd},
    {"funds raised (mm)", F::funds_musd},
    {"$ raised (mm)", F::funds_musd},
    {"$ raised", F::funds_musd},
    {"money raised", F::funds_musd},
    {"source", F::source},
    {"source url", F::source},
    {"url", F::source},
    {"date added", F::date_added},
    {"list of employees laid off", F::ignore},
    {"list of employees", F::ignore},
};

std::vector<std::string> keys_of(const std::vector<std::string>& header) {
  std::vector<std::string> keys;
  keys.reserve(header.size());
  for (const std::string& h : header) {
    keys.push_back(detail::header_key(h));
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> keys_of(const Mapping& m) {
  std::vector<std::string> names;
  for (const ColumnMapping& c : m.columns) {
    names.push_back(c.column);
  }
  return keys_of(names);
}

std::string variants_list(Format format) {
  std::string out;
  const auto add = [&](const Mapping& m) {
    out += "\n  ";
    out += m.name;
    out += ": ";
    for (std::size_t i = 0; i < m.columns.size(); ++i) {
      out += i > 0 ? "," : "";
      out += m.columns[i].column;
    }
  };
  if (format != Format::warn) {
    for (const Mapping& m : known_layoffsfyi_variants()) {
      add(m);
    }
  }
  if (format != Format::layoffsfyi) {
    add(warn_integrated_mapping());
  }
  return out;
}

}  // namespace

std::string_view to_string(Field f) noexcept {
  for (const auto& [field, name] : kFieldNames) {
    if (field == f) {
      return name;
    }
  }
  return "ignore";
}

std::string field_names() {
  std::string out;
  for (const auto& [field, name] : kFieldNames) {
    out += out.empty() ? "" : ", ";
    out += name;
  }
  return out;
}

Field parse_field(std::string_view name, std::string_view what) {
  const std::string_view t = detail::trim(name);
  for (const auto& [field, n] : kFieldNames) {
    if (detail::iequals(n, t)) {
      return field;
    }
  }
  throw Error(
      ErrorCode::invalid_argument,
      std::string(what) + ": \"" + std::string(t) + "\" is not a field (" + field_names() + ")",
      std::string(what), std::string(t));
}

const std::vector<Mapping>& known_layoffsfyi_variants() {
  static const std::vector<Mapping> variants = {
      lfyi("layoffs.fyi native export",
           {{F::company, "Company"},
            {F::hq, "Location HQ"},
            {F::headcount, "# Laid Off"},
            {F::date, "Date"},
            {F::workforce_pct, "%"},
            {F::industry, "Industry"},
            {F::stage, "Stage"},
            {F::funds_musd, "$ Raised (mm)"},
            {F::country, "Country"},
            {F::date_added, "Date Added"}},
           ShareScale::percent),
      lfyi("layoffs.fyi Kaggle copy", {{F::company, "company"},
                                       {F::hq, "location"},
                                       {F::industry, "industry"},
                                       {F::headcount, "total_laid_off"},
                                       {F::workforce_pct, "percentage_laid_off"},
                                       {F::date, "date"},
                                       {F::stage, "stage"},
                                       {F::country, "country"},
                                       {F::funds_musd, "funds_raised_millions"}}),
      lfyi("layoffs.fyi Airtable export", {{F::company, "Company"},
                                           {F::hq, "Location HQ"},
                                           {F::industry, "Industry"},
                                           {F::headcount, "# Laid Off"},
                                           {F::workforce_pct, "%"},
                                           {F::date, "Date"},
                                           {F::source, "Source"},
                                           {F::funds_musd, "$ Raised (mm)"},
                                           {F::stage, "Stage"},
                                           {F::date_added, "Date Added"},
                                           {F::country, "Country"},
                                           {F::ignore, "List of Employees Laid Off"}}),
      lfyi("layoffs.fyi 12-column dump", {{F::company, "Company"},
                                          {F::hq, "Location_HQ"},
                                          {F::industry, "Industry"},
                                          {F::headcount, "Laid_Off_Count"},
                                          {F::workforce_pct, "Percentage"},
                                          {F::date, "Date"},
                                          {F::source, "Source"},
                                          {F::funds_musd, "Funds_Raised"},
                                          {F::stage, "Stage"},
                                          {F::date_added, "Date_Added"},
                                          {F::country, "Country"},
                                          {F::ignore, "List_of_Employees_Laid_Off"}}),
      lfyi("layoffs.fyi lower-case 11 columns", {{F::company, "company"},
                                                 {F::hq, "location"},
                                                 {F::industry, "industry"},
                                                 {F::headcount, "total_laid_off"},
                                                 {F::workforce_pct, "percentage_laid_off"},
                                                 {F::date, "date"},
                                                 {F::stage, "stage"},
                                                 {F::country, "country"},
                                                 {F::funds_musd, "funds_raised"},
                                                 {F::source, "source"},
                                                 {F::date_added, "date_added"}}),
      lfyi("tech layoffs 16-column dump",
           {{F::ignore, "#"},
            {F::company, "Company"},
            {F::hq, "Location_HQ"},
            {F::country, "Country"},
            {F::ignore, "Continent"},
            {F::headcount, "Laid_Off"},
            {F::date, "Date_layoffs"},
            {F::workforce_pct, "Percentage"},
            {F::ignore, "Company_Size_before_Layoffs"},
            {F::ignore, "Company_Size_after_layoffs"},
            {F::industry, "Industry"},
            {F::stage, "Stage"},
            {F::funds_musd, "Money_Raised_in_$_mil"},
            {F::ignore, "Year"},
            {F::ignore, "latitude"},
            {F::ignore, "longitude"}},
           ShareScale::percent),
      lfyi("tech layoffs 18-column dump",
           {{F::ignore, "#"},
            {F::company, "Company"},
            {F::hq, "Location_HQ"},
            {F::ignore, "Region"},
            {F::ignore, "State"},
            {F::country, "Country"},
            {F::ignore, "Continent"},
            {F::headcount, "Laid_Off"},
            {F::date, "Date_layoffs"},
            {F::workforce_pct, "Percentage"},
            {F::ignore, "Company_Size_before_Layoffs"},
            {F::ignore, "Company_Size_after_layoffs"},
            {F::industry, "Industry"},
            {F::stage, "Stage"},
            {F::funds_musd, "Money_Raised_in_$_mil"},
            {F::ignore, "Year"},
            {F::ignore, "latitude"},
            {F::ignore, "longitude"}},
           ShareScale::percent),
  };
  return variants;
}

const Mapping& warn_integrated_mapping() {
  static const Mapping m = [] {
    Mapping w;
    w.name = "Big Local News WARN integrated.csv";
    w.columns = {{F::key, "hash_id"},
                 {F::ignore, "first_inserted_date"},
                 {F::date, "notice_date"},
                 {F::effective_date, "effective_date"},
                 {F::state, "postal_code"},
                 {F::company, "company"},
                 {F::location, "location"},
                 {F::headcount, "jobs"},
                 {F::closure, "is_closure"},
                 {F::temporary, "is_temporary"},
                 {F::superseded, "is_superseded"},
                 {F::amendment, "is_amendment"},
                 {F::amends, "likely_ancestor"},
                 {F::ignore, "estimated_amendments"},
                 {F::ignore, "last_updated_date"}};
    w.location_separators = ";";
    w.key_prefix = "warn:";
    w.event_country = "United States";
    w.notes = "WARN notice (Big Local News warn-transformer)";
    w.zero_headcount_unknown = true;
    w.kind = EventKind::filing;
    w.strict_header = true;
    return w;
  }();
  return m;
}

namespace detail {

std::string joined_header(const std::vector<std::string>& header) {
  std::string out;
  for (std::size_t i = 0; i < header.size(); ++i) {
    out += i > 0 ? "," : "";
    append_csv_field(out, header[i]);
  }
  return out;
}

Mapping recognise(const std::vector<std::string>& header, Format& format) {
  const std::vector<std::string> keys = keys_of(header);
  const auto has = [&](std::string_view k) {
    return std::binary_search(keys.begin(), keys.end(), std::string(k));
  };
  // WARN: asked for, or a header with its identifying columns. Its own
  // columns only (a partial file is allowed: only these four are needed).
  if (format == Format::warn ||
      (format != Format::layoffsfyi && has("hash id") && has("notice date"))) {
    format = Format::warn;
    Mapping m = warn_integrated_mapping();
    for (const std::string_view required : {"hash_id", "notice_date", "postal_code", "company"}) {
      if (!has(header_key(required))) {
        throw Error(ErrorCode::invalid_argument,
                    "no \"" + std::string(required) + "\" column; " + m.name +
                        " has the columns:" + variants_list(Format::warn),
                    "header", std::string(required));
      }
    }
    // Only the columns the file has (the others are optional).
    std::erase_if(m.columns, [&](const ColumnMapping& c) { return !has(header_key(c.column)); });
    for (const std::string& h : header) {
      const std::string k = header_key(h);
      if (std::none_of(m.columns.begin(), m.columns.end(),
                       [&](const ColumnMapping& c) { return header_key(c.column) == k; })) {
        throw Error(ErrorCode::invalid_argument,
                    "unknown column \"" + h + "\"; the header is: " + joined_header(header) +
                        "\nthe variants known:" + variants_list(Format::warn),
                    "header", h);
      }
    }
    return m;
  }
  format = Format::layoffsfyi;
  for (const Mapping& m : known_layoffsfyi_variants()) {
    if (keys_of(m) == keys) {
      return m;
    }
  }
  // No known variant, but perhaps every column is a known spelling.
  Mapping m = lfyi("layoffs.fyi (columns matched by name)", {});
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string k = header_key(header[i]);
    const auto it = std::find_if(std::begin(kSynonyms), std::end(kSynonyms),
                                 [&](const auto& s) { return s.first == k; });
    if (it == std::end(kSynonyms)) {
      throw Error(ErrorCode::invalid_argument,
                  "unknown column \"" + header[i] + "\" (column " + std::to_string(i + 1) +
                      "): the header is: " + joined_header(header) +
                      "\nthe variants known (or map the columns with --columns):" +
                      variants_list(Format::auto_detect),
                  "header", header[i]);
    }
    m.columns.push_back({it->second, header[i]});
  }
  return m;
}

}  // namespace detail

Mapping parse_columns(std::string_view spec) {
  Mapping m;
  m.name = "columns given";
  while (!spec.empty()) {
    const std::size_t comma = spec.find(',');
    const std::string_view pair = detail::trim(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    if (pair.empty()) {
      continue;
    }
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || detail::trim(pair.substr(eq + 1)).empty()) {
      throw Error(ErrorCode::invalid_argument,
                  "--columns: \"" + std::string(pair) + "\" is not FIELD=COLUMN", "--columns",
                  std::string(pair));
    }
    m.columns.push_back({parse_field(pair.substr(0, eq), "--columns"),
                         std::string(detail::trim(pair.substr(eq + 1)))});
  }
  if (m.columns.empty()) {
    throw Error(ErrorCode::invalid_argument, "--columns: no FIELD=COLUMN pairs", "--columns");
  }
  return m;
}

Mapping read_mapping_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ImportError(path, 0, "cannot open the mapping file", ErrorCode::io_error);
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw ImportError(path, 0, std::string("not a JSON mapping: ") + e.what());
  }
  const auto bad = [&](const std::string& what) { return ImportError(path, 0, what); };
  if (!j.is_object()) {
    throw bad("a mapping is a JSON object with a \"columns\" object");
  }
  Mapping m;
  m.name = path;
  for (const auto& [member, value] : j.items()) {
    if (member == "name" && value.is_string()) {
      m.name = value.get<std::string>();
    } else if (member == "columns" && value.is_object()) {
      for (const auto& [field, column] : value.items()) {
        const Field f = parse_field(field, "columns");
        // A copy: clang 14 cannot capture a structured binding.
        const auto add = [&, name = std::string(field)](const nlohmann::json& c) {
          if (!c.is_string() || c.get<std::string>().empty()) {
            throw bad("columns." + name + ": must be a column name (or a list of them)");
          }
          m.columns.push_back({f, c.get<std::string>()});
        };
        if (column.is_array()) {
          for (const auto& c : column) {
            add(c);
          }
        } else {
          add(column);
        }
      }
    } else if (member == "share_scale" && value.is_string()) {
      const std::string s = value.get<std::string>();
      if (s != "fraction" && s != "percent") {
        throw bad("share_scale: must be \"fraction\" or \"percent\", not \"" + s + "\"");
      }
      m.share_scale = s == "percent" ? ShareScale::percent : ShareScale::fraction;
    } else if (member == "location_separators" && value.is_string()) {
      m.location_separators = value.get<std::string>();
    } else if (member == "key_prefix" && value.is_string()) {
      m.key_prefix = value.get<std::string>();
    } else if (member == "event_country" && value.is_string()) {
      m.event_country = value.get<std::string>();
    } else if (member == "kind" && value.is_string()) {
      try {
        m.kind = parse_event_kind(value.get<std::string>(), "kind");
      } catch (const Error& e) {
        throw bad(e.what());
      }
    } else if (member == "zero_headcount_unknown" && value.is_boolean()) {
      m.zero_headcount_unknown = value.get<bool>();
    } else {
      throw bad("unknown or mistyped member \"" + member +
                "\" (name, columns, share_scale, location_separators, key_prefix, "
                "event_country, kind, zero_headcount_unknown)");
    }
  }
  if (m.columns.empty()) {
    throw bad("no \"columns\": map at least company and date");
  }
  return m;
}

std::string show_columns(const std::string& path, int rows) {
  detail::CsvReader reader(path);
  detail::CsvRecord record;
  if (!reader.next(record)) {
    throw ImportError(path, 1, "the file is empty (expected a header line)");
  }
  if (!record.error().empty()) {
    throw ImportError(path, record.line(), "cannot read the header: " + record.error());
  }
  std::vector<std::string> header;
  for (std::size_t i = 0; i < record.size(); ++i) {
    header.emplace_back(detail::trim(record[i]));
  }
  std::vector<std::vector<std::string>> samples(header.size());
  for (int r = 0; r < rows && reader.next(record); ++r) {
    for (std::size_t i = 0; i < header.size() && i < record.size(); ++i) {
      samples[i].emplace_back(detail::trim(record[i]));
    }
  }
  std::size_t width = 6;
  for (const std::string& h : header) {
    width = std::max(width, h.size());
  }
  std::string out =
      "#   " + std::string("column") + std::string(width - 6 + 2, ' ') + "first rows\n";
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string n = std::to_string(i + 1);
    out += n + std::string(4 - std::min<std::size_t>(3, n.size()), ' ');
    out += header[i] + std::string(width - header[i].size() + 2, ' ');
    for (std::size_t k = 0; k < samples[i].size(); ++k) {
      out += k > 0 ? " | " : "";
      std::string v = samples[i][k];
      if (v.size() > 40) {
        v = v.substr(0, 37) + "...";
      }
      out += v;
    }
    out += '\n';
  }
  return out;
}

}  // namespace layoffs::io
