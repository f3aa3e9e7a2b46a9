// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "csv_reader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <new>
#include <utility>

#include <csv.h>

namespace layoffs::io::detail {

// ---- CsvRecord ----------------------------------------------------------

void CsvRecord::clear() noexcept {
  line_ = 0;
  data_.clear();
  ends_.clear();
  text_.clear();
  text_truncated_ = false;
  error_.clear();
}

// ---- CsvReader ----------------------------------------------------------

namespace {

// libcsv's parser states. csv.h exposes csv_parser::pstate but not these
// names (they are #defines in libcsv.c, unchanged since libcsv 1.0); we read
// the state to know where records start and where quoted fields open.
constexpr int kRowNotBegun = 0;
constexpr int kFieldBegun = 2;
constexpr int kFieldMightHaveEnded = 3;

// Reads are this big; a segment fed to the parser is at most this long, so
// the parser never buffers more than max_field_bytes plus one block.
constexpr std::size_t kBlock = 64 * 1024;

// RFC 4180 says spaces are part of a field; libcsv trims them by default.
int no_spaces(unsigned char) {
  return 0;
}

bool is_line_end(char c) noexcept {
  return c == '\n' || c == '\r';
}

std::string with_commas(std::size_t n) {
  return format_count(static_cast<std::int64_t>(n));
}

}  // namespace

struct CsvReader::Impl {
  std::string path;
  CsvReaderOptions options;
  std::FILE* file = nullptr;
  std::vector<char> buffer;
  std::size_t pos = 0;  // next unread byte of buffer
  std::size_t len = 0;  // bytes in buffer
  bool first_read = true;
  bool finished = false;  // the end of the file has been handled
  std::int64_t bytes = 0;
  std::int64_t size = 0;
  std::int64_t line = 1;  // the physical line of the next byte

  csv_parser parser{};
  CsvRecord building;  // the record being parsed
  bool ready = false;  // `building` is complete
  std::int64_t record_line = 1;
  std::int64_t quote_line = 1;    // where the quoted field in progress opened
  bool field_ended = false;       // a field ended during the current segment
  bool discarding = false;        // the field in progress is too big: drop its bytes
  bool skip_to_line_end = false;  // after a syntax error: drop the rest of the line
  std::exception_ptr pending;     // thrown inside a libcsv callback

  Impl(std::string p, const CsvReaderOptions& o) : path(std::move(p)), options(o) {}
  ~Impl() {
    csv_free(&parser);
    if (file != nullptr) {
      std::fclose(file);
    }
  }

  void init_parser() {
    csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_space_func(&parser, no_spaces);
    // The default 128-byte growth step would realloc 500 times for a
    // 64 KiB field.
    csv_set_blk_size(&parser, 4096);
  }

  void reset_parser() {
    csv_free(&parser);
    init_parser();
    discarding = false;
  }

  // libcsv is C: an exception must not unwind through it, so the callbacks
  // park it and feed() rethrows it once csv_parse has returned.
  static void on_field(void* s, std::size_t n, void* self) {
    auto* impl = static_cast<Impl*>(self);
    try {
      impl->field(static_cast<const char*>(s), n);
    } catch (...) {
      impl->pending = std::current_exception();
    }
  }
  static void on_record(int /*c*/, void* self) { static_cast<Impl*>(self)->complete(); }
  void rethrow_pending() {
    if (pending) {
      std::rethrow_exception(std::exchange(pending, nullptr));
    }
  }

  void fail(std::string message) {
    if (building.error_.empty()) {
      building.error_ = std::move(message);
    }
  }

  std::string too_long(std::size_t field_number) const {
    return "field " + std::to_string(field_number) + " is longer than " +
           with_commas(options.max_field_bytes) + " bytes";
  }

  void field(const char* s, std::size_t n) {
    field_ended = true;
    if (discarding) {  // the tail of a field already reported as too long
      discarding = false;
      return;
    }
    if (!building.error_.empty()) {
      return;
    }
    if (n > options.max_field_bytes) {
      return fail(too_long(building.ends_.size() + 1));
    }
    if (building.ends_.size() >= options.max_fields) {
      return fail("the record has more than " + with_commas(options.max_fields) + " fields");
    }
    if (building.data_.size() + n > options.max_record_bytes) {
      return fail("the record is longer than " + with_commas(options.max_record_bytes) + " bytes");
    }
    building.data_.append(s, n);
    building.ends_.push_back(building.data_.size());
  }

  void append_text(const char* s, std::size_t n) {
    const std::size_t room =
        options.max_text_bytes - std::min(options.max_text_bytes, building.text_.size());
    if (n > room) {
      building.text_truncated_ = true;
      n = room;
    }
    building.text_.append(s, n);
  }

  // The record is whole: its text loses the line end that closed it.
  void complete() {
    building.line_ = record_line;
    std::string& text = building.text_;
    if (!building.text_truncated_ && !text.empty() && is_line_end(text.back())) {
      text.pop_back();
    }
    ready = true;
  }

  bool in_quoted_field() const noexcept {
    return parser.quoted != 0 &&
           (parser.pstate == kFieldBegun || parser.pstate == kFieldMightHaveEnded);
  }

  // Feeds one segment: bytes up to and including a CR or LF, or a block's
  // worth of a longer line. A record can only end at a segment's last byte,
  // so a record's text is whole segments and at most one record completes
  // per segment.
  void feed(const char* s, std::size_t n) {
    const std::int64_t segment_line = line;
    const bool ends_line = s[n - 1] == '\n';
    if (skip_to_line_end) {
      append_text(s, n);
      if (is_line_end(s[n - 1])) {
        skip_to_line_end = false;
        complete();
      }
    } else {
      if (parser.pstate == kRowNotBegun) {  // a new record (or a blank line) starts here
        building.text_.clear();
        building.text_truncated_ = false;
        record_line = segment_line;
      }
      append_text(s, n);
      const bool quoted_before = in_quoted_field();
      field_ended = false;
      const std::size_t used = csv_parse(&parser, s, n, on_field, on_record, this);
      rethrow_pending();
      if (used < n) {
        const int status = csv_error(&parser);
        if (status == CSV_ENOMEM || status == CSV_ETOOBIG) {
          throw std::bad_alloc();
        }
        fail("malformed quoting on line " + std::to_string(segment_line) +
             ": a '\"' inside an unquoted field, or text after a closing quote");
        reset_parser();
        if (is_line_end(s[n - 1])) {
          complete();
        } else {
          skip_to_line_end = true;
        }
      } else {
        if (in_quoted_field() && (!quoted_before || field_ended)) {
          quote_line = segment_line;
        }
        if (!discarding && parser.pstate != kRowNotBegun &&
            parser.entry_pos > options.max_field_bytes) {
          fail(too_long(building.ends_.size() + 1));
          discarding = true;
        }
        // Dropping what libcsv buffered of the oversized field keeps memory
        // flat; only safe mid-field (FIELD_MIGHT_HAVE_ENDED still needs the
        // quote it buffered).
        if (discarding && parser.pstate == kFieldBegun) {
          parser.entry_pos = 0;
        }
      }
    }
    if (ends_line) {
      ++line;
    }
  }

  bool refill() {
    len = std::fread(buffer.data(), 1, buffer.size(), file);
    pos = 0;
    if (len == 0) {
      if (std::ferror(file) != 0) {
        throw ImportError(path, line, std::string("cannot read the file: ") + std::strerror(errno),
                          ErrorCode::io_error);
      }
      return false;
    }
    bytes += static_cast<std::int64_t>(len);
    if (first_read) {
      first_read = false;
      if (len >= 3 && std::memcmp(buffer.data(), "\xEF\xBB\xBF", 3) == 0) {
        pos = 3;
      }
    }
    return true;
  }

  void end_of_file() {
    finished = true;
    if (skip_to_line_end) {
      skip_to_line_end = false;
      complete();
      return;
    }
    const int unterminated = csv_fini(&parser, on_field, on_record, this);
    rethrow_pending();
    if (unterminated != 0) {
      building.error_ = "a quoted field opened on this line is never closed (unterminated quote)";
      complete();
      building.line_ = quote_line;
    }
  }

  void read_segment() {
    const char* begin = buffer.data() + pos;
    const std::size_t avail = len - pos;
    const std::size_t limit = std::min(avail, kBlock);
    std::size_t n = 0;
    while (n < limit && !is_line_end(begin[n])) {
      ++n;
    }
    n = n < limit ? n + 1 : limit;
    pos += n;
    feed(begin, n);
  }
};

CsvReader::CsvReader(std::string path, const CsvReaderOptions& options)
    : impl_(std::make_unique<Impl>(std::move(path), options)) {
  impl_->file = std::fopen(impl_->path.c_str(), "rb");
  if (impl_->file == nullptr) {
    throw ImportError(impl_->path, 0, std::string("cannot open the file: ") + std::strerror(errno),
                      ErrorCode::io_error);
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(impl_->path, ec);
  impl_->size = ec ? 0 : static_cast<std::int64_t>(size);
  impl_->buffer.resize(kBlock);
  impl_->init_parser();
}

CsvReader::~CsvReader() = default;

bool CsvReader::next(CsvRecord& record) {
  Impl& r = *impl_;
  while (!r.ready) {
    if (r.finished) {
      return false;
    }
    if (r.pos == r.len && !r.refill()) {
      r.end_of_file();
      continue;
    }
    r.read_segment();
  }
  // Swapping hands over the record without copying and gives the parser the
  // caller's old buffers to fill next.
  std::swap(record, r.building);
  r.building.clear();
  r.ready = false;
  return true;
}

const std::string& CsvReader::path() const noexcept {
  return impl_->path;
}
std::int64_t CsvReader::bytes_read() const noexcept {
  return impl_->bytes;
}
std::int64_t CsvReader::file_size() const noexcept {
  return impl_->size;
}

// ---- Field helpers ------------------------------------------------------

namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Reads all of `text` as an unsigned decimal of `min` to `max` digits.
bool read_digits(std::string_view text, std::size_t min, std::size_t max, int& out) {
  if (text.size() < min || text.size() > max) {
    return false;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string header_key(std::string_view name) {
  name = trim(name);
  std::string key;
  key.reserve(name.size());
  bool space = false;
  for (const char c : name) {
    // "total_laid_off" and "Total laid off" name the same column.
    if (is_space(c) || c == '_') {
      space = true;
      continue;
    }
    if (space && !key.empty()) {
      key += ' ';
    }
    space = false;
    key += lower(c);
  }
  return key;
}

bool is_missing(std::string_view value) noexcept {
  value = trim(value);
  return value.empty() || iequals(value, "null") || iequals(value, "unknown");
}

Date parse_csv_date(std::string_view text, std::string_view column) {
  text = trim(text);
  const auto bad = [&] {
    return invalid_field(column, text, "is not a date (M/D/YYYY, YYYY-MM-DD or an ISO timestamp):");
  };
  try {
    if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
      const std::size_t slash2 = text.find('/', slash + 1);
      int month = 0, day = 0, year = 0;
      if (slash2 == std::string_view::npos || !read_digits(text.substr(0, slash), 1, 2, month) ||
          !read_digits(text.substr(slash + 1, slash2 - slash - 1), 1, 2, day) ||
          !read_digits(text.substr(slash2 + 1), 4, 4, year)) {
        throw bad();
      }
      return Date::ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    }
    // "2023-01-04T00:00:00.000Z": the day it names is all we keep.
    if (text.size() > 10 && (text[10] == 'T' || text[10] == ' ')) {
      text = text.substr(0, 10);
    }
    return Date::parse(text, column);
  } catch (const Error&) {
    throw bad();
  }
}

double parse_csv_number(std::string_view text, std::string_view column) {
  const std::string_view given = trim(text);
  std::string_view t = given;
  if (!t.empty() && t.front() == '$') {
    t.remove_prefix(1);
  }
  char digits[64] = {};
  std::size_t n = 0;
  for (const char c : t) {
    if (c == ',') {
      continue;
    }
    if (n == sizeof digits) {
      throw invalid_field(column, given, "is not a number:");
    }
    digits[n++] = c;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(digits, digits + n, value);
  if (n == 0 || ec != std::errc() || end != digits + n || !std::isfinite(value)) {
    throw invalid_field(column, given, "is not a number:");
  }
  return value;
}

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
}

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
  // "locations[1]" and "sources[0].url" are found by their list's name.
  const std::string_view base = std::string_view(field).substr(0, field.find('['));
  const std::string* column = column_of(base);
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
  if (const auto it = companies_.find(std::string_view(company_.name)); it != companies_.end()) {
    event_.company = it->second;
    id = tracker_.record(event_);
  } else {
    const auto write = [&] {
      event_.company = tracker_.ensure_company(company_);
      id = tracker_.record(event_);
    };
    // A bad row must not leave behind the company it introduced.
    if (options_.skip_bad) {
      tracker_.transaction(write);
    } else {
      write();
    }
    companies_.emplace(company_.name, event_.company);
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
