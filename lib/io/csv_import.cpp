// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "csv_import.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace layoffs::io::detail {

// ---- CsvImport ----------------------------------------------------------

namespace {

constexpr std::int64_t kProgressStep = 1024 * 1024;

// Clears an event for the next row but keeps the capacity of its strings
// and vectors.
void reset(NewEvent& e) {
  e.company = CompanyId();
  e.announced_on = Date();
  e.effective_on.reset();
  e.headcount = Headcount();
  e.workforce_pct.reset();
  e.departments.clear();
  e.reasons.clear();
  e.sources.clear();
  e.locations.clear();
  e.country.clear();
  e.notes.clear();
  e.includes.clear();
  e.key.clear();
  e.company_stage.clear();
  e.funds_raised_musd.reset();
  e.kind = EventKind::announcement;
  e.status = EventStatus::active;
  e.status_note.clear();
  e.us_state.clear();
  e.added_on.reset();
}

void reset(NewCompany& c) {
  c.name.clear();
  c.parent.reset();
  c.aliases.clear();
  c.industry.clear();
  c.hq_location.clear();
  c.country.clear();
}

}  // namespace

CsvImport::CsvImport(Tracker& tracker, std::string path, const ImportOptions& options,
                     Format format)
    : tracker_(tracker), path_(std::move(path)), options_(options) {
  summary_.format = format;
}

CsvImport::~CsvImport() {
  if (rejects_ != nullptr) {
    std::fclose(rejects_);
  }
}

ImportSummary CsvImport::run() {
  start_ = std::chrono::steady_clock::now();
  CsvReader reader(path_);
  CsvRecord row;
  if (!reader.next(row)) {
    throw ImportError(path_, 1, "the file is empty (expected a header line)");
  }
  const std::int64_t header_line = row.line();
  if (!row.error().empty()) {
    throw ImportError(path_, header_line, "cannot read the header: " + row.error());
  }
  columns_.clear();
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!is_valid_utf8(row[i])) {
      throw ImportError(path_, header_line,
                        "header column " + std::to_string(i + 1) + " is not valid UTF-8");
    }
    columns_.emplace_back(trim(row[i]));
  }
  try {
    read_header(row);
  } catch (const ImportError&) {
    throw;
  } catch (const Error& e) {
    throw ImportError(path_, header_line, e.what(), e.code());
  }
  if (!reader.next(row)) {
    throw ImportError(path_, header_line, "no data rows (the file holds only a header)");
  }

  if (options_.skip_bad && !options_.rejects_path.empty()) {
    std::error_code ec;
    if (std::filesystem::equivalent(path_, options_.rejects_path, ec)) {
      throw ImportError(options_.rejects_path, 0,
                        "the rejects file is the file being imported; choose another path",
                        ErrorCode::invalid_argument);
    }
    rejects_ = std::fopen(options_.rejects_path.c_str(), "wb");
    if (rejects_ == nullptr) {
      throw ImportError(options_.rejects_path, 0,
                        std::string("cannot write the rejects file: ") + std::strerror(errno),
                        ErrorCode::io_error);
    }
    write_reject(0, {}, {});  // the header line
  }

  tracker_.transaction(
      [&] {
        names_ = std::make_unique<NameResolver>(tracker_);
        if (!options_.names_path.empty()) {
          read_names_file(tracker_, options_.names_path, *names_);
        }
        do {
          ++summary_.rows_read;
          process(row);
          report_progress(reader, false);
        } while (reader.next(row));
        finish();
        // Rejects are written inside the transaction so that a failed write
        // fails the import instead of losing them after a commit.
        if (rejects_ != nullptr) {
          write_late_rejects();
          if (std::fflush(rejects_) != 0) {
            throw ImportError(options_.rejects_path, 0,
                              std::string("cannot write the rejects file: ") + std::strerror(errno),
                              ErrorCode::io_error);
          }
        }
      },
      Workload::bulk_load);
  if (rejects_ != nullptr) {
    std::fclose(rejects_);
    rejects_ = nullptr;
  }
  report_progress(reader, true);
  summary_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return summary_;
}

void CsvImport::process(const CsvRecord& row) {
  if (!row.error().empty()) {
    return reject(row, row.error());
  }
  if (row.size() != columns_.size()) {
    return reject(row, "the row has " + std::to_string(row.size()) +
                           " fields, but the header has " + std::to_string(columns_.size()));
  }
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!is_valid_utf8(row[i])) {
      return reject(row,
                    columns_[i] + ": is not valid UTF-8 (field " + std::to_string(i + 1) + ")");
    }
  }
  try {
    reset(event_);
    reset(company_);
    read_row(row, event_, company_);
    record(row);
  } catch (const ImportError&) {
    throw;
  } catch (const Error& e) {
    if (!is_row_error(e)) {
      throw ImportError(path_, row.line(), e.what(), e.code());
    }
    reject(row, reason_of(e), e.code());
  }
}

std::string CsvImport::reason_of(const Error& e) const {
  const std::string what = e.what();
  const std::string& field = e.field();
  if (field.empty() || what.compare(0, field.size(), field) != 0 ||
      what.compare(field.size(), 2, ": ") != 0) {
    return what;
  }
  const std::string* column = column_of(field);
  if (column == nullptr || *column == field) {
    return what;
  }
  return *column + " (" + field + ")" + what.substr(field.size());
}

void CsvImport::record(const CsvRecord& row) {
  // Until this import has created an event, a row's key can only be known
  // from an earlier import; after that the id range tells (see first_new_).
  if (!first_new_.valid()) {
    if (const auto found = tracker_.find_event(event_.key)) {
      ++summary_.already_present;
      recorded(row, *found, RowOutcome::already_present);
      return;
    }
  }
  EventId id;
  const auto add_site = [&](const std::string& site) {
    if (!site.empty() && std::find(event_.locations.begin(), event_.locations.end(), site) ==
                             event_.locations.end()) {
      event_.locations.push_back(site);
    }
  };
  if (const auto it = companies_.find(company_.name); it != companies_.end()) {
    add_site(it->second.site);
    event_.company = it->second.id;
    id = tracker_.record(event_);
  } else {
    // A name new to this import: the user's choice (--names), else the
    // company its match key names, else a new company under the name
    // without its " - site" suffix (the full name kept as an alias).
    const std::string raw = company_.name;
    const FoldedName folded = fold_company_name(raw);
    std::optional<CompanyId> target = names_->chosen(raw);
    bool by_key = false;
    if (!target) {
      if (const auto exact = tracker_.find_company(raw)) {
        target = exact->id;
      } else if (!folded.key.empty()) {
        target = names_->find(folded.key);
        by_key = target.has_value();
      }
    }
    add_site(folded.site);
    const auto write = [&] {
      if (target) {
        event_.company = *target;
        if (by_key) {
          // The name as this source wrote it, so it finds the company too.
          tracker_.add_alias(*target, decode_html_entities(raw));
        }
      } else {
        if (!folded.site.empty()) {
          company_.aliases.push_back(raw);
          company_.name = folded.base;
        }
        company_.name = decode_html_entities(company_.name);
        prepare_company(company_);
        event_.company = tracker_.ensure_company(company_);
      }
      id = tracker_.record(event_);
    };
    // A bad row must not leave behind the company it introduced.
    if (options_.skip_bad) {
      tracker_.transaction(write);
    } else {
      write();
    }
    if (!target) {
      names_->add(folded.key, event_.company);
    }
    companies_.emplace(raw, Known{event_.company, folded.site});
  }
  RowOutcome outcome;
  if (!first_new_.valid()) {
    first_new_ = last_new_ = id;
    outcome = RowOutcome::imported;
  } else if (id > last_new_) {
    last_new_ = id;
    outcome = RowOutcome::imported;
  } else if (id >= first_new_) {
    outcome = RowOutcome::duplicate;
  } else {
    outcome = RowOutcome::already_present;
  }
  switch (outcome) {
    case RowOutcome::imported:
      ++summary_.imported;
      break;
    case RowOutcome::duplicate:
      ++summary_.duplicates;
      break;
    case RowOutcome::already_present:
      ++summary_.already_present;
      break;
  }
  recorded(row, id, outcome);
}

void CsvImport::reject(const CsvRecord& row, const std::string& reason, ErrorCode code) {
  if (!options_.skip_bad) {
    throw ImportError(path_, row.line(), reason, code);
  }
  ++summary_.rejected;
  write_reject(row.line(), reason, row.text());
}

void CsvImport::reject_late(std::int64_t line, const std::string& reason, RowOutcome outcome,
                            ErrorCode code) {
  if (!options_.skip_bad) {
    throw ImportError(path_, line, reason, code);
  }
  switch (outcome) {
    case RowOutcome::imported:
      --summary_.imported;
      break;
    case RowOutcome::duplicate:
      --summary_.duplicates;
      break;
    case RowOutcome::already_present:
      --summary_.already_present;
      break;
  }
  ++summary_.rejected;
  if (rejects_ != nullptr) {
    late_rejects_.emplace_back(line, reason);
  }
}

void CsvImport::write_reject(std::int64_t line, std::string_view reason, std::string_view text) {
  if (rejects_ == nullptr) {
    return;
  }
  reject_line_.clear();
  if (line == 0) {
    reject_line_ = "line,reason,record";
  } else {
    reject_line_ += std::to_string(line);
    reject_line_ += ',';
    append_csv_field(reject_line_, reason);
    reject_line_ += ',';
    append_csv_field(reject_line_, text);
  }
  reject_line_ += '\n';
  if (std::fwrite(reject_line_.data(), 1, reject_line_.size(), rejects_) != reject_line_.size()) {
    throw ImportError(options_.rejects_path, 0,
                      std::string("cannot write the rejects file: ") + std::strerror(errno),
                      ErrorCode::io_error);
  }
}

// Rows rejected in finish() are no longer in memory: their text is read
// again from the file (this happens only when there are such rows).
void CsvImport::write_late_rejects() {
  if (late_rejects_.empty()) {
    return;
  }
  std::sort(late_rejects_.begin(), late_rejects_.end());
  CsvReader reader(path_);
  CsvRecord row;
  auto it = late_rejects_.begin();
  while (it != late_rejects_.end() && reader.next(row)) {
    for (; it != late_rejects_.end() && it->first <= row.line(); ++it) {
      write_reject(it->first, it->second, it->first == row.line() ? row.text() : "");
    }
  }
  for (; it != late_rejects_.end(); ++it) {
    write_reject(it->first, it->second, "");
  }
  late_rejects_.clear();
}

void CsvImport::report_progress(const CsvReader& reader, bool last) {
  if (!options_.progress) {
    return;
  }
  const std::int64_t done = reader.bytes_read();
  if (last || done - progress_at_ >= kProgressStep) {
    progress_at_ = done;
    options_.progress(done, std::max(done, reader.file_size()));
  }
}

}  // namespace layoffs::io::detail
