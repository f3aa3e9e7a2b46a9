// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// A small strict RFC 4180 reader of our own (see docs/ARCHITECTURE.md,
// "Reading CSV"): one pass over the bytes with a five-state machine, so
// record lines, quote lines and the size limits are known exactly without
// looking inside another library's parser.
#include "csv_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace layoffs::io::detail {

void CsvRecord::clear() noexcept {
  line_ = 0;
  data_.clear();
  ends_.clear();
  text_.clear();
  text_truncated_ = false;
  error_.clear();
}

namespace {

constexpr std::size_t kBlock = 64 * 1024;

enum class State {
  record_start,  // nothing of a record read yet (blank lines are skipped here)
  field_start,   // after a comma
  unquoted,      // inside an unquoted field
  quoted,        // inside a quoted field
  quote_seen,    // a '"' inside a quoted field: a doubled quote or the closing one
  skip_line,     // after a syntax error: the rest of the physical line is dropped
};

}  // namespace

struct CsvReader::Impl {
  std::string path;
  CsvReaderOptions options;
  std::FILE* file = nullptr;
  std::vector<char> buffer;
  std::size_t pos = 0;
  std::size_t len = 0;
  bool first_read = true;
  bool eof = false;
  std::int64_t bytes = 0;
  std::int64_t size = 0;
  std::int64_t line = 1;  // the physical line of the next byte

  State state = State::record_start;
  CsvRecord building;
  std::size_t field_begin = 0;  // where the field in progress starts in building.data_
  bool discarding = false;      // the record is bad: its fields are no longer stored
  std::int64_t quote_line = 1;

  Impl(std::string p, const CsvReaderOptions& o) : path(std::move(p)), options(o) {}
  ~Impl() {
    if (file != nullptr) {
      std::fclose(file);
    }
  }

  void fail(std::string message) {
    if (building.error_.empty()) {
      building.error_ = std::move(message);
    }
    discarding = true;
  }

  void text(char c) {
    if (building.text_.size() < options.max_text_bytes) {
      building.text_ += c;
    } else {
      building.text_truncated_ = true;
    }
  }

  void begin_field() {
    field_begin = building.data_.size();
    if (!discarding && building.ends_.size() >= options.max_fields) {
      fail("the record has more than " +
           format_count(static_cast<std::int64_t>(options.max_fields)) + " fields");
    }
  }

  void data(char c) {
    if (discarding) {
      return;
    }
    if (building.data_.size() - field_begin >= options.max_field_bytes) {
      building.data_.resize(field_begin);
      return fail("field " + std::to_string(building.ends_.size() + 1) + " is longer than " +
                  format_count(static_cast<std::int64_t>(options.max_field_bytes)) + " bytes");
    }
    if (building.data_.size() >= options.max_record_bytes) {
      building.data_.resize(field_begin);
      return fail("the record is longer than " +
                  format_count(static_cast<std::int64_t>(options.max_record_bytes)) + " bytes");
    }
    building.data_ += c;
  }

  void end_field() {
    if (!discarding) {
      building.ends_.push_back(building.data_.size());
    }
  }

  void malformed() {
    fail("malformed quoting on line " + std::to_string(line) +
         ": a '\"' inside an unquoted field, or text after a closing quote");
    state = State::skip_line;
  }

  // Consumes one byte; true when it completed a record.
  bool step(char c) {
    const bool line_end = c == '\n' || c == '\r';
    switch (state) {
      case State::record_start:
        if (line_end) {
          break;  // a blank line (or the LF of a CRLF)
        }
        building.clear();
        discarding = false;
        building.line_ = line;
        begin_field();
        state = State::field_start;
        return step(c);
      case State::field_start:
        if (c == '"') {
          quote_line = line;
          state = State::quoted;
          text(c);
        } else if (c == ',') {
          text(c);
          end_field();
          begin_field();
        } else if (line_end) {
          end_field();
          state = State::record_start;
          return true;
        } else {
          text(c);
          data(c);
          state = State::unquoted;
        }
        break;
      case State::unquoted:
        if (c == ',') {
          text(c);
          end_field();
          begin_field();
          state = State::field_start;
        } else if (line_end) {
          end_field();
          state = State::record_start;
          return true;
        } else {
          text(c);
          if (c == '"') {
            malformed();
          } else {
            data(c);
          }
        }
        break;
      case State::quoted:
        text(c);
        if (c == '"') {
          state = State::quote_seen;
        } else {
          data(c);
        }
        break;
      case State::quote_seen:
        if (c == '"') {
          text(c);
          data(c);
          state = State::quoted;
        } else if (c == ',') {
          text(c);
          end_field();
          begin_field();
          state = State::field_start;
        } else if (line_end) {
          end_field();
          state = State::record_start;
          return true;
        } else {
          text(c);
          malformed();
        }
        break;
      case State::skip_line:
        if (line_end) {
          state = State::record_start;
          return true;
        }
        text(c);
        break;
    }
    return false;
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

  // The end of the file: true if it completed a record.
  bool end_of_file() {
    eof = true;
    switch (state) {
      case State::record_start:
        return false;
      case State::quoted: {
        std::string& t = building.text_;
        if (!building.text_truncated_ && !t.empty() && (t.back() == '\n' || t.back() == '\r')) {
          t.pop_back();
        }
        discarding = false;
        fail("a quoted field opened on this line is never closed (unterminated quote)");
        building.line_ = quote_line;
        break;
      }
      case State::field_start:
      case State::unquoted:
      case State::quote_seen:
        end_field();
        break;
      case State::skip_line:
        break;
    }
    state = State::record_start;
    return true;
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
}

CsvReader::~CsvReader() = default;

bool CsvReader::next(CsvRecord& record) {
  Impl& r = *impl_;
  for (;;) {
    // (A refill may hold nothing but a byte order mark.)
    while (r.pos == r.len && !r.eof && r.refill()) {
    }
    if (r.pos == r.len) {
      if (!r.eof && r.end_of_file()) {
        break;
      }
      return false;
    }
    // Fast path: a run of plain bytes inside a field goes in at once.
    if ((r.state == State::unquoted || r.state == State::quoted) && !r.discarding) {
      const char* p = r.buffer.data() + r.pos;
      const char* end = r.buffer.data() + r.len;
      const char* q = p;
      while (q < end && *q != ',' && *q != '"' && *q != '\r' && *q != '\n') {
        ++q;
      }
      std::string& data = r.building.data_;
      // Clamped to what the field and the record may still take, so the
      // bytes at a limit go through step() one at a time and fail there;
      // never rescanning a long run byte by byte keeps this linear.
      const std::size_t field_room =
          r.options.max_field_bytes -
          std::min(r.options.max_field_bytes, data.size() - r.field_begin);
      const std::size_t record_room =
          r.options.max_record_bytes - std::min(r.options.max_record_bytes, data.size());
      const std::size_t n =
          std::min({static_cast<std::size_t>(q - p), field_room > 0 ? field_room - 1 : 0,
                    record_room > 0 ? record_room - 1 : 0});
      if (n > 1) {
        data.append(p, n);
        std::string& text = r.building.text_;
        const std::size_t text_room =
            r.options.max_text_bytes - std::min(r.options.max_text_bytes, text.size());
        if (n <= text_room) {
          text.append(p, n);
        } else {
          text.append(p, text_room);
          r.building.text_truncated_ = true;
        }
        r.pos += n;
        continue;
      }
    }
    const char c = r.buffer[r.pos++];
    const bool done = r.step(c);
    if (c == '\n') {
      ++r.line;
    }
    if (done) {
      break;
    }
  }
  // Swapping hands the record over without copying and gives the reader
  // the caller's old buffers to fill next.
  std::swap(record, r.building);
  r.building.clear();
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

}  // namespace layoffs::io::detail
