// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The one CSV importer: a Mapping (a known variant, or the user's) applied
// to each row by the driver in csv_import.h.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "csv_import.h"
#include "formats.h"
#include "mapping.h"
#include "stable_hash.h"

namespace layoffs::io::detail {

namespace {

constexpr std::size_t kFieldCount = static_cast<std::size_t>(Field::ignore) + 1;

std::size_t slot(Field f) {
  return static_cast<std::size_t>(f);
}

// Booleans as pandas and spreadsheets write them; blank is false.
bool parse_bool(std::string_view text, const std::string& column) {
  const std::string_view t = trim(text);
  for (const std::string_view yes : {"true", "1", "1.0", "t", "yes", "y"}) {
    if (iequals(t, yes)) {
      return true;
    }
  }
  for (const std::string_view no : {"false", "0", "0.0", "f", "no", "n", ""}) {
    if (iequals(t, no)) {
      return false;
    }
  }
  throw invalid_field(column, t, "is not a boolean (true, false, 1, 0 or blank):");
}

// "16%" is a percentage; a bare number reads on the mapping's scale.
double parse_share(std::string_view text, const std::string& column, ShareScale scale) {
  const std::string_view given = trim(text);
  std::string_view number = given;
  const bool percent = !number.empty() && number.back() == '%';
  if (percent) {
    number = trim(number.substr(0, number.size() - 1));
  }
  const bool as_percent = percent || scale == ShareScale::percent;
  const auto bad = [&] {
    return invalid_field(column, given,
                         as_percent ? "is not a percentage from 0 to 100:"
                                    : "is not a share of the workforce (a fraction from 0 to 1, "
                                      "such as 0.05, or a percentage such as 5%):");
  };
  double value = 0;
  try {
    value = parse_csv_number(number, column);
  } catch (const Error&) {
    throw bad();
  }
  if (value < 0 || value > (as_percent ? 100.0 : 1.0)) {
    throw bad();
  }
  const double pct = as_percent ? value : value * 100.0;
  // 0.07 * 100 is 7.000000000000001 in binary; keep what was meant.
  return std::round(pct * 1e6) / 1e6;
}

// "Tel Aviv, Non-U.S." -> "Tel Aviv", "Curtisfurt,U.S." -> "Curtisfurt":
// layoffs.fyi lists several places in one field (',' or, in its 2026
// Airtable snapshot, '|' between them) and marks whether they lie
// in the US, which the country column says better. The places stay, joined
// by ", ".
std::string hq_places(std::string_view field) {
  std::string out;
  while (!field.empty()) {
    const std::size_t comma = field.find_first_of(",|");
    const std::string_view place = trim(field.substr(0, comma));
    field = comma == std::string_view::npos ? std::string_view() : field.substr(comma + 1);
    if (place.empty() || iequals(place, "non-u.s.") || iequals(place, "u.s.")) {
      continue;
    }
    out += out.empty() ? "" : ", ";
    out += place;
  }
  return out;
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

Error missing(const std::string& column) {
  return Error(ErrorCode::invalid_argument, column + ": is missing", column);
}

class MappedImport final : public CsvImport {
 public:
  MappedImport(Tracker& tracker, const std::string& path, const ImportOptions& options,
               Format format, const Mapping* mapping)
      : CsvImport(tracker, path, options, format), given_(mapping) {}

 private:
  // An amendment whose ancestor was not yet known when its row was read
  // (the file lists newer notices first), or one found from an earlier
  // import: linked in finish(). Amendments are a small share of notices.
  struct Pending {
    EventId amendment;
    std::int64_t line;
    RowOutcome outcome;
    std::string ancestor_key;
  };

  void read_header(const CsvRecord& /*header*/) override {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (header_key(columns_[i]).empty()) {
        throw Error(ErrorCode::invalid_argument,
                    "header column " + std::to_string(i + 1) + " has no name", "header");
      }
    }
    mapping_ = given_ != nullptr ? *given_ : recognise(columns_, summary_.format);
    summary_.variant = mapping_.name;
    for (auto& v : index_) {
      v.clear();
    }
    std::vector<bool> used(columns_.size(), false);
    for (const ColumnMapping& m : mapping_.columns) {
      const std::string want = header_key(m.column);
      bool found = false;
      for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (header_key(columns_[i]) == want) {
          if (found) {
            throw Error(ErrorCode::invalid_argument,
                        "column \"" + columns_[i] + "\" appears twice in the header", "header",
                        columns_[i]);
          }
          found = true;
          used[i] = true;
          if (m.field != Field::ignore) {
            auto& slots = index_[slot(m.field)];
            const bool many = m.field == Field::department || m.field == Field::reason ||
                              m.field == Field::location || m.field == Field::notes;
            if (!slots.empty() && !many) {
              throw Error(ErrorCode::invalid_argument,
                          "columns \"" + columns_[static_cast<std::size_t>(slots.front())] +
                              "\" and \"" + columns_[i] + "\" (column " + std::to_string(i + 1) +
                              ") hold the same thing (" + std::string(to_string(m.field)) + ")",
                          "header", columns_[i]);
            }
            slots.push_back(static_cast<int>(i));
          }
        }
      }
      if (!found && given_ != nullptr) {
        throw Error(ErrorCode::invalid_argument,
                    "no column \"" + m.column + "\" (mapped to " + std::string(to_string(m.field)) +
                        "); the header is: " + joined_header(columns_),
                    "header", m.column);
      }
    }
    if (mapping_.strict_header) {
      for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (!used[i]) {
          throw Error(ErrorCode::invalid_argument,
                      "unknown column \"" + columns_[i] + "\" (column " + std::to_string(i + 1) +
                          ") for " + mapping_.name + "; the header is: " + joined_header(columns_),
                      "header", columns_[i]);
        }
      }
    }
    for (const Field f : {Field::company, Field::date}) {
      if (index_[slot(f)].empty()) {
        std::string label(to_string(f));
        for (const ColumnMapping& m : mapping_.columns) {
          if (m.field == f) {
            label = m.column;
          }
        }
        throw Error(ErrorCode::invalid_argument,
                    "no \"" + label + "\" column (" + std::string(to_string(f)) +
                        " is required); the header is: " + joined_header(columns_),
                    "header", label);
      }
    }
  }

  // The first column of `f`, trimmed; "" if unmapped or missing.
  std::string_view get(const CsvRecord& row, Field f) const {
    const auto& slots = index_[slot(f)];
    if (slots.empty()) {
      return {};
    }
    const std::string_view value = trim(row[static_cast<std::size_t>(slots.front())]);
    return is_missing(value) ? std::string_view() : value;
  }
  const std::string& name(Field f) const {
    return columns_[static_cast<std::size_t>(index_[slot(f)].front())];
  }
  bool flag(const CsvRecord& row, Field f) const {
    const auto& slots = index_[slot(f)];
    return !slots.empty() &&
           parse_bool(trim(row[static_cast<std::size_t>(slots.front())]), name(f));
  }
  void split_places(std::string_view places, std::vector<std::string>& out) const {
    const std::string& seps = mapping_.location_separators;
    while (!places.empty()) {
      const std::size_t cut = seps.empty() ? std::string_view::npos : places.find_first_of(seps);
      const std::string_view place = trim(places.substr(0, cut));
      if (!place.empty() && std::find(out.begin(), out.end(), place) == out.end()) {
        out.emplace_back(place);
      }
      places = cut == std::string_view::npos ? std::string_view() : places.substr(cut + 1);
    }
  }

  void read_row(const CsvRecord& row, NewEvent& event, NewCompany& company) override {
    ancestor_key_.clear();
    supersede_.reset();
    superseded_ = false;
    parent_.clear();
    const std::string_view company_name = get(row, Field::company);
    if (company_name.empty()) {
      throw missing(name(Field::company));
    }
    company.name = company_name;
    parent_ = get(row, Field::parent);
    company.industry = get(row, Field::industry);
    company.hq_location = hq_places(get(row, Field::hq));
    company.country = get(row, Field::country);

    const std::string_view date = get(row, Field::date);
    if (date.empty()) {
      throw missing(name(Field::date));
    }
    event.announced_on = parse_csv_date(date, name(Field::date));
    if (const std::string_view effective = get(row, Field::effective_date); !effective.empty()) {
      event.effective_on = parse_csv_date(effective, name(Field::effective_date));
    }
    if (const std::string_view a = get(row, Field::date_added); !a.empty()) {
      event.added_on = parse_csv_date(a, name(Field::date_added));
    }
    if (const std::string_view count = get(row, Field::headcount); !count.empty()) {
      const std::string_view digits = count.size() > 2 && count.substr(count.size() - 2) == ".0"
                                          ? count.substr(0, count.size() - 2)
                                          : count;
      if (!(mapping_.zero_headcount_unknown && digits == "0")) {
        event.headcount = Headcount::parse(count, name(Field::headcount));
      }
    }
    if (const std::string_view pct = get(row, Field::workforce_pct); !pct.empty()) {
      event.workforce_pct = parse_share(pct, name(Field::workforce_pct), mapping_.share_scale);
    }
    event.company_stage = get(row, Field::stage);
    if (const std::string_view funds = get(row, Field::funds_musd); !funds.empty()) {
      const double musd = parse_csv_number(funds, name(Field::funds_musd));
      if (musd < 0) {
        throw invalid_field(name(Field::funds_musd), funds, "must not be negative:");
      }
      event.funds_raised_musd = musd;
    }
    for (const int i : index_[slot(Field::location)]) {
      const std::string_view v = trim(row[static_cast<std::size_t>(i)]);
      if (!is_missing(v)) {
        split_places(v, event.locations);
      }
    }
    column_places_ = event.locations.size();
    state_place_.reset();
    if (const std::string_view state = get(row, Field::state); !state.empty()) {
      const bool listed = std::any_of(event.locations.begin(), event.locations.end(),
                                      [&](const std::string& l) { return iequals(l, state); });
      if (!listed) {
        state_place_ = event.locations.size();
        event.locations.emplace_back(state);
      }
      // A code the library does not know (a typo) stays a location only.
      event.us_state = us_state_code(state);
    }
    event.country = mapping_.event_country;
    event.kind = mapping_.kind;
    for (const int i : index_[slot(Field::department)]) {
      if (const std::string_view v = trim(row[static_cast<std::size_t>(i)]); !is_missing(v)) {
        event.departments.emplace_back(v);
      }
    }
    for (const int i : index_[slot(Field::reason)]) {
      if (const std::string_view v = trim(row[static_cast<std::size_t>(i)]); !is_missing(v)) {
        event.reasons.push_back(Reason{std::string(v), std::nullopt});
      }
    }
    if (flag(row, Field::closure)) {
      event.reasons.push_back(Reason{"closure", ReasonCategory::closure});
    }
    if (flag(row, Field::temporary)) {
      event.reasons.push_back(Reason{"temporary layoff", ReasonCategory::other});
    }
    // Superseded notices are stored and listed, never counted, whether or
    // not the amendment that replaces them is in this file.
    superseded_ = flag(row, Field::superseded);
    if (superseded_) {
      event.status = EventStatus::superseded;
      event.status_note = "marked superseded by the publisher (" + name(Field::superseded) + ")";
    }
    (void)flag(row, Field::amendment);

    std::string notes = mapping_.notes;
    notes_columns_.clear();
    const auto add_note = [&](std::string_view text, const std::string& column) {
      if (!notes.empty()) {
        notes += "; ";
      }
      notes += text;
      notes_columns_ += notes_columns_.empty() ? "" : " / ";
      notes_columns_ += column;
    };
    if (const std::string_view source = get(row, Field::source); !source.empty()) {
      if (looks_like_url(source)) {
        event.sources.push_back(
            Source{.url = std::string(source), .tier = SourceTier::media_report});
      } else {
        add_note("Source: " + std::string(source), name(Field::source));
      }
    }
    for (const int i : index_[slot(Field::notes)]) {
      if (const std::string_view v = trim(row[static_cast<std::size_t>(i)]); !is_missing(v)) {
        add_note(v, columns_[static_cast<std::size_t>(i)]);
      }
    }
    event.notes = std::move(notes);

    event.key = mapping_.key_prefix;
    if (const std::string_view key = get(row, Field::key); !key.empty()) {
      event.key += key;
    } else if (!index_[slot(Field::key)].empty()) {
      throw missing(name(Field::key));
    } else {
      // The whole row as read (so exact repeats share it and any difference
      // makes another event), or the mapped values only (so a column the
      // mapping ignores cannot change the key).
      key_text_.clear();
      if (mapping_.key_from_whole_row) {
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (i > 0) {
            key_text_ += '\x1f';
          }
          key_text_ += row[i];
        }
      } else {
        for (std::size_t f = 0; f < kFieldCount; ++f) {
          for (const int i : index_[f]) {
            key_text_ += to_string(static_cast<Field>(f));
            key_text_ += '=';
            key_text_ += trim(row[static_cast<std::size_t>(i)]);
            key_text_ += '\x1f';
          }
        }
      }
      event.key += stable_hash_hex(key_text_);
    }
    row_key_ = event.key;

    if (const std::string_view ancestor = get(row, Field::amends); !ancestor.empty()) {
      ancestor_key_ = mapping_.key_prefix;
      ancestor_key_ += ancestor;
      if (ancestor_key_ == event.key) {
        throw invalid_field(name(Field::amends), ancestor, "names the row itself:");
      }
      // A new amendment whose ancestor is already recorded includes it right
      // away; otherwise (or if the amendment exists) finish() links it.
      if (!tracker_.find_event(event.key)) {
        if (const auto found = tracker_.find_event(ancestor_key_)) {
          event.includes.push_back(*found);
          supersede_ = *found;
          ancestor_key_.clear();
        }
      }
    }
  }

  void prepare_company(NewCompany& company) override {
    if (!parent_.empty()) {
      NewCompany parent;
      parent.name = parent_;
      company.parent = tracker_.ensure_company(parent);
    }
  }

  // An event an amendment replaces is superseded (with a note naming it),
  // if it is still active.
  void supersede(EventId ancestor, EventId amendment) {
    const Event e = tracker_.event(ancestor);
    if (e.status == EventStatus::active) {
      const Event a = tracker_.event(amendment);
      tracker_.set_status(ancestor, EventStatus::superseded,
                          "superseded by the amended notice " +
                              (a.key.empty() ? std::to_string(amendment.value()) : a.key));
    }
  }

  void recorded(const CsvRecord& row, EventId id, RowOutcome outcome) override {
    if (supersede_ && outcome == RowOutcome::imported) {
      supersede(*supersede_, id);
    }
    // A notice imported before, now marked superseded by its publisher.
    if (superseded_ && outcome == RowOutcome::already_present &&
        tracker_.event(id).status == EventStatus::active) {
      tracker_.set_status(id, EventStatus::superseded,
                          "marked superseded by the publisher (" + name(Field::superseded) + ")");
    }
    // A duplicate row's first occurrence has already been taken care of; so
    // has an earlier row of this file with the same key, whatever this row
    // amends: on a second import of the file such a row is already present,
    // not a duplicate, and must not link what the first import did not
    // (found by the mapped_import fuzz target).
    const bool first_of_key =
        index_[slot(Field::amends)].empty() || amending_keys_.insert(row_key_).second;
    if (!ancestor_key_.empty() && outcome != RowOutcome::duplicate && first_of_key) {
      pending_.push_back(Pending{id, row.line(), outcome, std::move(ancestor_key_)});
    }
    ancestor_key_.clear();
  }

  void finish() override {
    for (Pending& p : pending_) {
      const auto ancestor = tracker_.find_event(p.ancestor_key);
      if (!ancestor) {
        continue;  // not recorded (yet): the amendment stands alone
      }
      const Event amendment = tracker_.event(p.amendment);
      if (std::find(amendment.includes.begin(), amendment.includes.end(), *ancestor) !=
          amendment.includes.end()) {
        continue;  // linked by an earlier import
      }
      NewEvent linked = amendment;
      linked.includes.push_back(*ancestor);
      try {
        tracker_.update(p.amendment, linked);
        supersede(*ancestor, p.amendment);
      } catch (const Error& e) {
        if (!is_row_error(e)) {
          throw ImportError(path_, p.line, e.what(), e.code());
        }
        const std::string reason =
            name(Field::amends) + ": cannot link this amendment to the row it amends (" +
            p.ancestor_key.substr(mapping_.key_prefix.size()) + "): " + e.what();
        // Standing alone, the amendment would count the ancestor's people a
        // second time, so with skip_bad it goes (if this import added it).
        if (options_.skip_bad && p.outcome == RowOutcome::imported) {
          tracker_.remove(p.amendment);
        }
        reject_late(p.line, reason, p.outcome, e.code());
      }
    }
    pending_.clear();
  }

  const std::string* column_of(std::string_view full) const override {
    // "locations[1]" and "sources[0].url" are found by their list's name; a
    // place is from the location columns, the state column, or the " - site"
    // of the company's name, in that order (found by the mapped_import fuzz
    // target: a bad state was blamed on no column).
    const std::string_view field = full.substr(0, full.find('['));
    // The notes are made of the source (when not a URL) and the notes
    // columns: an error names all that went in (found likewise).
    if (field == "notes" && !notes_columns_.empty()) {
      return &notes_columns_;
    }
    if (field == "locations" && full.size() > field.size() + 2 && full.back() == ']') {
      std::size_t i = 0;
      const std::string_view digits = full.substr(field.size() + 1, full.size() - field.size() - 2);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
      if (ec == std::errc() && end == digits.data() + digits.size() && i >= column_places_) {
        const Field from = state_place_ && i == *state_place_ ? Field::state : Field::company;
        return index_[slot(from)].empty() ? nullptr : &name(from);
      }
    }
    static constexpr std::pair<std::string_view, Field> kFields[] = {
        {"announced_on", Field::date},
        {"effective_on", Field::effective_date},
        {"headcount", Field::headcount},
        {"workforce_pct", Field::workforce_pct},
        {"company_stage", Field::stage},
        {"funds_raised_musd", Field::funds_musd},
        {"sources", Field::source},
        {"locations", Field::location},
        {"departments", Field::department},
        {"reasons", Field::reason},
        {"name", Field::company},
        {"industry", Field::industry},
        {"hq_location", Field::hq},
        {"country", Field::country},
        {"key", Field::key},
        {"added_on", Field::date_added},
    };
    for (const auto& [f, column] : kFields) {
      if (f == field && !index_[slot(column)].empty()) {
        return &name(column);
      }
    }
    return nullptr;
  }

  const Mapping* given_;
  Mapping mapping_;
  std::array<std::vector<int>, kFieldCount> index_{};
  std::string key_text_;                           // reused for every row
  std::string ancestor_key_;                       // of the row being read, if it amends another
  std::string parent_;                             // of the row being read
  std::optional<EventId> supersede_;               // the ancestor the row's amendment replaces
  bool superseded_ = false;                        // the row is marked superseded
  std::string row_key_;                            // the event key of the row being read
  std::unordered_set<std::string> amending_keys_;  // with an amends column: the keys read
  std::string notes_columns_;               // the columns the row's notes came from, " / " between
  std::size_t column_places_ = 0;           // the row's places from location columns
  std::optional<std::size_t> state_place_;  // where the state column's place is
  std::vector<Pending> pending_;
};

}  // namespace

ImportSummary import_mapped(Tracker& tracker, const std::string& path, const ImportOptions& options,
                            Format format, const Mapping* mapping) {
  MappedImport import(tracker, path, options, format, mapping);
  return import.run();
}

}  // namespace layoffs::io::detail
