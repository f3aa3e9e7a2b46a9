// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// WARN notices as integrated by Big Local News' warn-transformer
// (integrated.csv). One event per notice. An amended notice supersedes the
// one it amends (likely_ancestor): the amendment's event includes the
// ancestor's, so the people are counted once.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_reader.h"
#include "importers.h"

namespace layoffs::io::detail {

namespace {

enum Column {
  kHashId,
  kFirstInsertedDate,
  kNoticeDate,
  kEffectiveDate,
  kPostalCode,
  kCompany,
  kLocation,
  kJobs,
  kIsClosure,
  kIsTemporary,
  kIsSuperseded,
  kIsAmendment,
  kLikelyAncestor,
  kEstimatedAmendments,
  kLastUpdatedDate,
  kColumnCount,
};

// As header_key() writes them, in Column order.
constexpr std::array<std::string_view, kColumnCount> kNames = {
    "hash id",           "first inserted date",
    "notice date",       "effective date",
    "postal code",       "company",
    "location",          "jobs",
    "is closure",        "is temporary",
    "is superseded",     "is amendment",
    "likely ancestor",   "estimated amendments",
    "last updated date",
};

constexpr std::array<Column, 4> kRequired = {kHashId, kNoticeDate, kPostalCode, kCompany};

constexpr std::string_view kHeader =
    "hash_id,first_inserted_date,notice_date,effective_date,postal_code,company,location,jobs,"
    "is_closure,is_temporary,is_superseded,is_amendment,likely_ancestor,estimated_amendments,"
    "last_updated_date";

constexpr std::string_view kKeyPrefix = "warn:";

// pandas writes a boolean column with gaps as 1.0/0.0 or True/False.
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

Error missing(const std::string& column) {
  return Error(ErrorCode::invalid_argument, column + ": is missing", column);
}

std::string key_of(std::string_view hash_id) {
  std::string key(kKeyPrefix);
  key += hash_id;
  return key;
}

class WarnImport final : public CsvImport {
 public:
  WarnImport(Tracker& tracker, const std::string& path, const ImportOptions& options)
      : CsvImport(tracker, path, options, Format::warn) {
    index_.fill(-1);
  }

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
      const std::string key = header_key(columns_[i]);
      const auto it = std::find(kNames.begin(), kNames.end(), key);
      if (it == kNames.end()) {
        throw Error(ErrorCode::invalid_argument,
                    "unknown column \"" + columns_[i] + "\" (column " + std::to_string(i + 1) +
                        "); a warn-transformer integrated.csv has the columns " +
                        std::string(kHeader),
                    "header", columns_[i]);
      }
      int& slot = index_[static_cast<std::size_t>(it - kNames.begin())];
      if (slot >= 0) {
        throw Error(ErrorCode::invalid_argument,
                    "column \"" + columns_[i] + "\" appears twice (columns " +
                        std::to_string(slot + 1) + " and " + std::to_string(i + 1) + ")",
                    "header", columns_[i]);
      }
      slot = static_cast<int>(i);
    }
    for (const Column c : kRequired) {
      if (index_[c] < 0) {
        std::string label(kNames[c]);
        std::replace(label.begin(), label.end(), ' ', '_');
        throw Error(ErrorCode::invalid_argument,
                    "no \"" + label +
                        "\" column; a warn-transformer integrated.csv has the columns " +
                        std::string(kHeader),
                    "header", label);
      }
    }
  }

  std::string_view raw(const CsvRecord& row, Column column) const {
    const int i = index_[column];
    return i < 0 ? std::string_view() : trim(row[static_cast<std::size_t>(i)]);
  }
  std::string_view get(const CsvRecord& row, Column column) const {
    const std::string_view value = raw(row, column);
    return is_missing(value) ? std::string_view() : value;
  }
  const std::string& name(Column column) const {
    return columns_[static_cast<std::size_t>(index_[column])];
  }
  bool flag(const CsvRecord& row, Column column) const {
    return index_[column] >= 0 && parse_bool(raw(row, column), name(column));
  }

  void read_row(const CsvRecord& row, NewEvent& event, NewCompany& company) override {
    ancestor_key_.clear();
    const std::string_view hash = get(row, kHashId);
    if (hash.empty()) {
      throw missing(name(kHashId));
    }
    const std::string_view company_name = get(row, kCompany);
    if (company_name.empty()) {
      throw missing(name(kCompany));
    }
    company.name = company_name;

    const std::string_view notice = get(row, kNoticeDate);
    if (notice.empty()) {
      throw missing(name(kNoticeDate));
    }
    event.announced_on = parse_csv_date(notice, name(kNoticeDate));
    if (const std::string_view effective = get(row, kEffectiveDate); !effective.empty()) {
      event.effective_on = parse_csv_date(effective, name(kEffectiveDate));
    }
    if (const std::string_view jobs = get(row, kJobs); !jobs.empty()) {
      event.headcount = Headcount::parse(jobs, name(kJobs));
    }

    // The place, then the state: {"Los Angeles", "CA"}. A location listing
    // several places keeps them apart (';' separates locations).
    std::string_view places = get(row, kLocation);
    while (!places.empty()) {
      const std::size_t semi = places.find(';');
      const std::string_view place = trim(places.substr(0, semi));
      if (!place.empty()) {
        event.locations.emplace_back(place);
      }
      places = semi == std::string_view::npos ? std::string_view() : places.substr(semi + 1);
    }
    if (const std::string_view state = get(row, kPostalCode); !state.empty()) {
      const bool listed = std::any_of(event.locations.begin(), event.locations.end(),
                                      [&](const std::string& l) { return iequals(l, state); });
      if (!listed) {
        event.locations.emplace_back(state);
      }
      // A code the schema does not know (a typo) stays a location only.
      event.us_state = us_state_code(state);
    }
    event.country = "United States";
    event.kind = EventKind::filing;

    if (flag(row, kIsClosure)) {
      event.reasons.push_back(Reason{"closure", ReasonCategory::closure});
    }
    if (flag(row, kIsTemporary)) {
      event.reasons.push_back(Reason{"temporary layoff", ReasonCategory::other});
    }
    // A notice replaced by an amended one is listed but counts nowhere; the
    // link below (the amendment includes it) keeps the two together.
    const bool superseded = flag(row, kIsSuperseded);
    event.status = superseded ? EventStatus::superseded : EventStatus::active;
    event.status_note =
        superseded ? "superseded by an amended notice (" + name(kIsSuperseded) + ")" : "";
    (void)flag(row, kIsAmendment);  // checked so that a malformed row is caught
    // No URL identifies a notice, so the provenance goes in the notes.
    event.notes = "WARN notice (Big Local News warn-transformer)";

    event.key = key_of(hash);
    if (const std::string_view ancestor = get(row, kLikelyAncestor); !ancestor.empty()) {
      if (ancestor == hash) {
        throw invalid_field(name(kLikelyAncestor), ancestor, "names the notice itself:");
      }
      ancestor_key_ = key_of(ancestor);
      // A new amendment whose ancestor is already recorded includes it right
      // away; otherwise (or if the amendment exists) finish() links it.
      if (!tracker_.find_event(event.key)) {
        if (const auto found = tracker_.find_event(ancestor_key_)) {
          event.includes.push_back(*found);
          ancestor_key_.clear();
        }
      }
    }
  }

  void recorded(const CsvRecord& row, EventId id, RowOutcome outcome) override {
    // A duplicate row's first occurrence has already been taken care of.
    if (!ancestor_key_.empty() && outcome != RowOutcome::duplicate) {
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
      } catch (const Error& e) {
        if (!is_row_error(e)) {
          throw ImportError(path_, p.line, e.what(), e.code());
        }
        const std::string reason = name(kLikelyAncestor) +
                                   ": cannot link this amendment to the notice it amends (" +
                                   p.ancestor_key.substr(kKeyPrefix.size()) + "): " + e.what();
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

  const std::string* column_of(std::string_view field) const override {
    static constexpr std::pair<std::string_view, Column> kFields[] = {
        {"announced_on", kNoticeDate},
        {"effective_on", kEffectiveDate},
        {"headcount", kJobs},
        {"locations", kLocation},
        {"name", kCompany},
        {"key", kHashId},
    };
    for (const auto& [f, column] : kFields) {
      if (f == field && index_[column] >= 0) {
        return &name(column);
      }
    }
    return nullptr;
  }

  std::array<int, kColumnCount> index_{};
  std::string ancestor_key_;  // of the row being read, if it amends another
  std::vector<Pending> pending_;
};

}  // namespace

ImportSummary import_warn(Tracker& tracker, const std::string& path, const ImportOptions& options) {
  WarnImport import(tracker, path, options);
  return import.run();
}

}  // namespace layoffs::io::detail
