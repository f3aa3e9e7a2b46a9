// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// JSON Lines import (the format is described in jsonl_export.cpp).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "csv_text.h"
#include "export.h"
#include "export_order.h"
#include "importers.h"
#include "jsonl_common.h"
#include "stable_hash.h"

namespace layoffs::io {

namespace {

using Json = nlohmann::ordered_json;

// ---- Import -----------------------------------------------------------------

[[noreturn]] void fail(const std::string& field, const std::string& problem,
                       ErrorCode code = ErrorCode::invalid_argument) {
  throw Error(code, field + ": " + problem, field);
}

// A short rendering of a JSON value for messages.
std::string shown(const Json& j) {
  std::string s = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > 60) {
    s = s.substr(0, 57) + "...";
  }
  return s;
}

// The members of one JSON object, read by name. Every member must be read:
// an unknown one is refused rather than silently dropped (a typo, or a file
// from a newer version that this one would lose data from).
class Fields {
 public:
  Fields(const Json& object, std::string prefix, std::string_view what)
      : object_(object), prefix_(std::move(prefix)) {
    if (!object.is_object()) {
      fail(prefix_.empty() ? std::string(what) : prefix_.substr(0, prefix_.size() - 1),
           "must be a JSON object, not " + shown(object));
    }
  }

  std::string field(std::string_view name) const { return prefix_ + std::string(name); }

  // The member, or nullptr when absent or null.
  const Json* find(std::string_view name) {
    used_.emplace(name);
    const auto it = object_.find(std::string(name));
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  const Json& require(std::string_view name) {
    const Json* j = find(name);
    if (j == nullptr) {
      fail(field(name), "is required");
    }
    return *j;
  }

  std::string text(std::string_view name) { return as_text(require(name), field(name)); }

  std::string optional_text(std::string_view name) {
    const Json* j = find(name);
    return j ? as_text(*j, field(name)) : std::string();
  }

  std::int64_t integer(std::string_view name) { return as_integer(require(name), field(name)); }

  std::optional<double> optional_number(std::string_view name) {
    const Json* j = find(name);
    if (j == nullptr) {
      return std::nullopt;
    }
    if (!j->is_number()) {
      fail(field(name), "must be a number, not " + shown(*j));
    }
    return j->get<double>();
  }

  bool boolean(std::string_view name) {
    const Json& j = require(name);
    if (!j.is_boolean()) {
      fail(field(name), "must be true or false, not " + shown(j));
    }
    return j.get<bool>();
  }

  Date date(std::string_view name) { return Date::parse(text(name), field(name)); }

  std::optional<Date> optional_date(std::string_view name) {
    const Json* j = find(name);
    if (j == nullptr) {
      return std::nullopt;
    }
    return Date::parse(as_text(*j, field(name)), field(name));
  }

  // An array (absent = empty); `item` reads element i given its field name.
  void each(std::string_view name, const std::function<void(const Json&, std::string)>& item) {
    const Json* j = find(name);
    if (j == nullptr) {
      return;
    }
    if (!j->is_array()) {
      fail(field(name), "must be a JSON array, not " + shown(*j));
    }
    for (std::size_t i = 0; i < j->size(); ++i) {
      item((*j)[i], field(name) + "[" + std::to_string(i) + "]");
    }
  }

  std::vector<std::string> texts(std::string_view name) {
    std::vector<std::string> out;
    each(name, [&](const Json& j, const std::string& f) { out.push_back(as_text(j, f)); });
    return out;
  }

  // Call after reading every known member.
  void done() const {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (used_.count(it.key()) == 0) {
        fail(field(it.key()), "is not a known field");
      }
    }
  }

  static std::string as_text(const Json& j, const std::string& field) {
    if (!j.is_string()) {
      fail(field, "must be a string, not " + shown(j));
    }
    return j.get<std::string>();
  }

  static std::int64_t as_integer(const Json& j, const std::string& field) {
    if (!j.is_number_integer() ||
        (j.is_number_unsigned() &&
         j.get<std::uint64_t>() >
             static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
      fail(field, "must be a whole number, not " + shown(j));
    }
    return j.get<std::int64_t>();
  }

 private:
  const Json& object_;
  std::string prefix_;
  std::unordered_set<std::string> used_;
};

Headcount read_headcount(const Json& j, const std::string& field) {
  Fields f(j, field + ".", field);
  const std::string phrase = f.text("phrase");
  const HeadcountKind kind = parse_headcount_kind(f.text("kind"), f.field("kind"));
  const std::int64_t low = f.integer("low");
  const Json* high_json = f.find("high");
  if (high_json == nullptr && j.find("high") == j.end()) {
    fail(f.field("high"), "is required (null when unbounded)");
  }
  std::optional<std::int64_t> high;
  if (high_json != nullptr) {
    high = Fields::as_integer(*high_json, f.field("high"));
  }
  const std::int64_t estimate = f.integer("estimate");
  f.done();
  const Headcount h = Headcount::from_parts(kind, low, high, estimate, phrase);
  // The phrase must say what the parts say. A phrase the parser cannot read
  // is left to the parts (other importers may keep a source's own wording).
  std::optional<Headcount> parsed;
  try {
    parsed = Headcount::parse(phrase);
  } catch (const Error&) {
  }
  if (parsed && !parsed->same_value(h)) {
    fail(field, "the phrase \"" + phrase + "\" does not agree with the parts: it reads as \"" +
                    parsed->canonical() + "\" (" + std::string(to_string(parsed->kind())) +
                    "), the parts say \"" + h.canonical() + "\" (" +
                    std::string(to_string(h.kind())) + ")");
  }
  return h;
}

Source read_source(const Json& j, const std::string& field) {
  Fields f(j, field + ".", field);
  Source s;
  s.url = f.text("url");
  s.title = f.optional_text("title");
  s.publisher = f.optional_text("publisher");
  s.published_on = f.optional_date("published_on");
  s.tier = parse_source_tier(f.text("tier"), f.field("tier"));
  f.done();
  return s;
}

Company find_company(const Tracker& tracker, const std::string& name, const std::string& field) {
  auto company = tracker.find_company(name);
  if (!company) {
    throw invalid_field(field, name,
                        "no earlier line and no company in the database has the name or alias",
                        ErrorCode::not_found);
  }
  return std::move(*company);
}

// The event without a key that has exactly the facts `ev`'s computed key was
// made from, if any: the event an export of this database would itself have
// written under that key.
std::optional<Event> keyless_twin(const Tracker& tracker, const NewEvent& ev) {
  const Date day = ev.announced_on.first_day();
  const std::string_view url = ev.sources.empty() ? std::string_view() : ev.sources[0].url;
  for (Event& e : tracker.events(
           {.company = ev.company, .include_subsidiaries = false, .from = day, .to = day})) {
    const std::string_view e_url = e.sources.empty() ? std::string_view() : e.sources[0].url;
    if (e.key.empty() && e.announced_on == ev.announced_on && e.headcount == ev.headcount &&
        e_url == url) {
      return std::move(e);
    }
  }
  return std::nullopt;
}

// One import run: the tracker, and where this run's new events start.
class JsonlImport {
 public:
  JsonlImport(Tracker& tracker, ImportSummary& summary) : tracker_(tracker), summary_(summary) {}

  // Imports one non-blank line. Throws layoffs::Error for a bad line.
  void line(const std::string& text) {
    if (!detail::is_valid_utf8(text)) {
      throw Error(ErrorCode::invalid_argument, "the line is not valid UTF-8");
    }
    Json j;
    try {
      j = Json::parse(text);
    } catch (const Json::exception& e) {
      // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
      std::string what = e.what();
      if (const auto end = what.find("] ");
          what.rfind("[json.exception", 0) == 0 && end != std::string::npos) {
        what = what.substr(end + 2);
      }
      throw Error(ErrorCode::invalid_argument, "not valid JSON: " + what);
    }
    Fields f(j, "", "line");
    const std::string type = f.text("type");
    if (type == "company") {
      ++summary_.company_lines;
      company(f);
    } else if (type == "event") {
      ++summary_.event_lines;
      event(f);
    } else if (type == "claim") {
      ++summary_.claim_lines;
      claim(f);
    } else {
      throw invalid_field("type", type, "is not a record type (company, event or claim):");
    }
  }

 private:
  void company(Fields& f) {
    NewCompany c;
    c.name = f.text("name");
    const std::string parent = f.optional_text("parent");
    const std::vector<std::string> aliases = f.texts("aliases");
    c.industry = f.optional_text("industry");
    c.hq_location = f.optional_text("hq_location");
    c.country = f.optional_text("country");
    f.done();
    if (!parent.empty()) {
      c.parent = find_company(tracker_, parent, "parent").id;
    }
    // A savepoint of its own: a line that fails halfway (a company whose
    // second alias is taken) leaves nothing behind. Event and claim lines
    // make one write each, which is all or nothing by itself; without a
    // savepoint around them, a large import can defer its indexes
    // (Workload::bulk_load, which acts only directly inside the outermost
    // transaction).
    tracker_.transaction([&] {
      const CompanyId id = tracker_.ensure_company(c);
      for (const std::string& alias : aliases) {
        tracker_.add_alias(id, alias);
      }
    });
  }

  void event(Fields& f) {
    NewEvent ev;
    ev.key = f.text("key");
    if (ev.key.empty()) {
      fail("key", "must not be empty");
    }
    const std::string company = f.text("company");
    const std::string announced = f.text("announced_on");
    ev.announced_on = Date::parse(announced, "announced_on");
    const DatePrecision precision = parse_date_precision(f.text("precision"), "precision");
    if (precision != ev.announced_on.precision()) {
      fail("precision", "is \"" + std::string(to_string(precision)) + "\" but announced_on \"" +
                            announced + "\" has precision \"" +
                            std::string(to_string(ev.announced_on.precision())) + "\"");
    }
    ev.effective_on = f.optional_date("effective_on");
    ev.headcount = read_headcount(f.require("headcount"), "headcount");
    ev.workforce_pct = f.optional_number("workforce_pct");
    ev.departments = f.texts("departments");
    f.each("reasons", [&](const Json& j, const std::string& field) {
      Fields r(j, field + ".", field);
      Reason reason;
      reason.name = r.text("name");
      if (const std::string category = r.optional_text("category"); !category.empty()) {
        reason.category = parse_reason_category(category, r.field("category"));
      }
      r.done();
      ev.reasons.push_back(std::move(reason));
    });
    f.each("sources", [&](const Json& j, const std::string& field) {
      ev.sources.push_back(read_source(j, field));
    });
    ev.locations = f.texts("locations");
    ev.country = f.optional_text("country");
    ev.notes = f.optional_text("notes");
    ev.company_stage = f.optional_text("company_stage");
    ev.funds_raised_musd = f.optional_number("funds_raised_musd");
    if (const std::string kind = f.optional_text("kind"); !kind.empty()) {
      ev.kind = parse_event_kind(kind, f.field("kind"));
    }
    ev.us_state = f.optional_text("us_state");
    if (const std::string status = f.optional_text("status"); !status.empty()) {
      ev.status = parse_event_status(status, f.field("status"));
    }
    ev.status_note = f.optional_text("status_note");
    if (const std::string added = f.optional_text("added_on"); !added.empty()) {
      ev.added_on = Date::parse(added, f.field("added_on"));
    }
    const std::vector<std::string> includes = f.texts("includes");
    f.done();

    const Company owner = find_company(tracker_, company, "company");
    ev.company = owner.id;
    for (std::size_t i = 0; i < includes.size(); ++i) {
      const auto found = tracker_.find_event(includes[i]);
      if (!found) {
        throw invalid_field("includes[" + std::to_string(i) + "]", includes[i],
                            "no earlier line and no event in the database has the key",
                            ErrorCode::not_found);
      }
      ev.includes.push_back(*found);
    }
    // Rowids only grow, so an existing event at or after the first one this
    // run created was created by this run: no set of keys to keep.
    const std::optional<EventId> existing = tracker_.find_event(ev.key);
    if (!existing && detail::is_computed_key(ev.key, owner.name, ev)) {
      // An export of this very database (or of one that shares its events
      // without keys): its event is here, keyless. Give it the key instead
      // of recording it twice, so later lines can include it by that key
      // and a new export still writes the same key.
      if (std::optional<Event> twin = keyless_twin(tracker_, ev)) {
        const EventId twin_id = twin->id;
        NewEvent keyed = std::move(static_cast<NewEvent&>(*twin));
        keyed.key = ev.key;
        tracker_.update(twin_id, keyed);
        ++summary_.already_present;
        return;
      }
    }
    const EventId id = tracker_.record(ev);
    if (!existing) {
      ++summary_.imported;
      if (!first_new_) {
        first_new_ = id;
      }
    } else if (first_new_ && *existing >= *first_new_) {
      ++summary_.duplicates;
    } else {
      ++summary_.already_present;
    }
  }

  void claim(Fields& f) {
    NewClaim c;
    const std::string company = f.text("company");
    c.include_subsidiaries = f.boolean("include_subsidiaries");
    c.period_start = f.date("period_start");
    c.period_end = f.date("period_end");
    c.headcount = read_headcount(f.require("headcount"), "headcount");
    if (const Json* source = f.find("source")) {
      c.source = read_source(*source, "source");
    }
    c.notes = f.optional_text("notes");
    f.done();
    c.company = find_company(tracker_, company, "company").id;
    tracker_.record_claim(c);
  }

  Tracker& tracker_;
  ImportSummary& summary_;
  std::optional<EventId> first_new_;
};

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

namespace detail {

ImportSummary import_jsonl(Tracker& tracker, const std::string& path,
                           const ImportOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ImportError(path, 0, "cannot open the file", ErrorCode::io_error);
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const std::int64_t total = ec ? -1 : static_cast<std::int64_t>(size);

  std::ofstream rejects;
  if (options.skip_bad && !options.rejects_path.empty()) {
    rejects.open(options.rejects_path, std::ios::binary | std::ios::trunc);
    if (!rejects) {
      throw Error(ErrorCode::io_error,
                  "cannot write the rejects file \"" + options.rejects_path + "\"", "rejects_path",
                  options.rejects_path);
    }
    rejects << "line,reason,record\n";
  }

  ImportSummary summary;
  summary.format = Format::jsonl;
  JsonlImport importer(tracker, summary);
  tracker.transaction(
      [&] {
        std::string text;
        std::int64_t number = 0;
        std::int64_t done = 0;
        std::int64_t reported = 0;
        while (std::getline(in, text)) {
          ++number;
          done += static_cast<std::int64_t>(text.size()) + 1;
          if (!text.empty() && text.back() == '\r') {
            text.pop_back();
          }
          if (number == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) {
            text.erase(0, 3);
          }
          if (blank(text)) {
            continue;
          }
          ++summary.rows_read;
          try {
            importer.line(text);
          } catch (const ImportError&) {
            throw;
          } catch (const Error& e) {
            // Anything else stops the import, still naming the line (as the
            // CSV importers do) and keeping the error's code.
            if (!is_row_error(e)) {
              throw ImportError(path, number, e.what(), e.code());
            }
            if (!options.skip_bad) {
              throw ImportError(path, number, e.what());
            }
            ++summary.rejected;
            if (rejects.is_open()) {
              rejects << number << ',' << detail::csv_quoted(e.what()) << ','
                      << detail::csv_quoted(text) << '\n';
            }
          }
          if (options.progress && done - reported >= (1 << 20)) {
            reported = done;
            options.progress(done, total);
          }
        }
        if (in.bad()) {
          throw ImportError(path, number, "cannot read the file", ErrorCode::io_error);
        }
        if (options.progress) {
          options.progress(total < 0 ? done : total, total);
        }
      },
      Workload::bulk_load);
  if (rejects.is_open()) {
    rejects.flush();
    if (!rejects) {
      throw Error(ErrorCode::io_error,
                  "cannot write the rejects file \"" + options.rejects_path + "\"", "rejects_path",
                  options.rejects_path);
    }
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace detail

}  // namespace layoffs::io
