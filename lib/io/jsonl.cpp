// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// JSON Lines export and import: one object per line, each with a "type"
// ("company", "event" or "claim"). The file names things by name and key,
// never by rowid, so it can be imported into any database, and it is written
// in an order that depends on the data alone, so export -> import into an
// empty database -> export gives the same bytes.
//
// Format rules, kept the same on both sides:
//  - key order is the order written below ("type" first);
//  - an optional field that is empty ("", [], no value) is left out;
//    booleans, "precision" and all five headcount parts are always written
//    (headcount "high" is null when unbounded);
//  - companies come parents first, then by name; events by announced date,
//    then key, moved later where needed so that an included event always
//    precedes the event including it; claims last, by period then company.
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

#include "export.h"
#include "export_order.h"
#include "importers.h"
#include "stable_hash.h"

namespace layoffs::io {

namespace {

using Json = nlohmann::ordered_json;

// ---- Keys -------------------------------------------------------------------

// Length-prefixed, so no field value can imitate a field boundary.
void append_field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

// The facts that identify an event without a key (the same ones
// Tracker::record uses to spot duplicates, plus the phrase). Versioned so a
// future change of this string cannot silently re-key old exports.
std::string canonical_event(std::string_view company_name, const NewEvent& e) {
  std::string s = "layoffs-event-v1;";
  append_field(s, company_name);
  append_field(s, e.announced_on.iso());
  append_field(s, to_string(e.announced_on.precision()));
  append_field(s, to_string(e.headcount.kind()));
  append_field(s, std::to_string(e.headcount.low()));
  append_field(s, e.headcount.high() ? std::to_string(*e.headcount.high()) : std::string());
  append_field(s, e.headcount.phrase());
  append_field(s, e.sources.empty() ? std::string_view() : std::string_view(e.sources[0].url));
  return s;
}

// The key an event without one is exported under: attempt 1 is the plain
// hash; later attempts are only used when an explicit key has taken it.
std::string computed_key(std::string_view canonical, int attempt) {
  return "ev:" + stable_hash_hex(attempt == 1 ? std::string(canonical)
                                              : std::string(canonical) + std::to_string(attempt));
}

// Collisions need an explicit key that looks computed; more than a few in a
// row do not happen, so the importer looks no further than this.
constexpr int kMaxKeyAttempts = 64;

// True if `key` is one an export could have computed for these facts.
bool is_computed_key(std::string_view key, std::string_view company_name, const NewEvent& e) {
  if (key.rfind("ev:", 0) != 0) {
    return false;
  }
  const std::string canonical = canonical_event(company_name, e);
  for (int attempt = 1; attempt <= kMaxKeyAttempts; ++attempt) {
    if (key == computed_key(canonical, attempt)) {
      return true;
    }
  }
  return false;
}

// Kahn's algorithm that always emits the waiting item that sorts first:
// `order` is the preferred order, `before[i]` the items that must precede
// item i. The result is `order` itself whenever that already satisfies the
// constraints. Items caught in a cycle (the core prevents them) are appended
// in preferred order so nothing is silently dropped.
std::vector<std::size_t> stable_topological(const std::vector<std::size_t>& order,
                                            const std::vector<std::vector<std::size_t>>& before) {
  const std::size_t n = order.size();
  std::vector<std::size_t> rank(n);
  for (std::size_t r = 0; r < n; ++r) {
    rank[order[r]] = r;
  }
  std::vector<std::size_t> waiting(n, 0);
  std::vector<std::vector<std::size_t>> after(n);
  for (std::size_t i = 0; i < n; ++i) {
    waiting[i] = before[i].size();
    for (const std::size_t b : before[i]) {
      after[b].push_back(i);
    }
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i) {
    if (waiting[i] == 0) {
      ready.push(rank[i]);
    }
  }
  std::vector<std::size_t> out;
  out.reserve(n);
  std::vector<bool> done(n, false);
  while (!ready.empty()) {
    const std::size_t i = order[ready.top()];
    ready.pop();
    out.push_back(i);
    done[i] = true;
    for (const std::size_t j : after[i]) {
      if (--waiting[j] == 0) {
        ready.push(rank[j]);
      }
    }
  }
  for (const std::size_t i : order) {
    if (!done[i]) {
      out.push_back(i);
    }
  }
  return out;
}

// ---- Export -----------------------------------------------------------------

void put_text(Json& j, const char* name, const std::string& value) {
  if (!value.empty()) {
    j[name] = value;
  }
}

void put_list(Json& j, const char* name, const std::vector<std::string>& values) {
  if (!values.empty()) {
    j[name] = values;
  }
}

Json headcount_json(const Headcount& h) {
  Json j = Json::object();
  j["phrase"] = h.phrase();
  j["kind"] = std::string(to_string(h.kind()));
  j["low"] = h.low();
  j["high"] = h.high() ? Json(*h.high()) : Json(nullptr);
  j["estimate"] = h.estimate();
  return j;
}

Json source_json(const Source& s) {
  Json j = Json::object();
  j["url"] = s.url;
  put_text(j, "title", s.title);
  put_text(j, "publisher", s.publisher);
  if (s.published_on) {
    j["published_on"] = s.published_on->to_string();
  }
  j["tier"] = std::string(to_string(s.tier));
  return j;
}

void write_line(std::ostream& out, const Json& j) {
  out << j.dump() << '\n';
}

void export_companies(const Tracker& tracker, std::ostream& out) {
  std::vector<Company> companies = tracker.companies();
  std::sort(companies.begin(), companies.end(),
            [](const Company& a, const Company& b) { return a.name < b.name; });
  std::unordered_map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < companies.size(); ++i) {
    index.emplace(companies[i].id.value(), i);
  }
  std::vector<std::vector<std::size_t>> before(companies.size());
  for (std::size_t i = 0; i < companies.size(); ++i) {
    if (companies[i].parent) {
      if (const auto it = index.find(companies[i].parent->value()); it != index.end()) {
        before[i].push_back(it->second);
      }
    }
  }
  std::vector<std::size_t> by_name(companies.size());
  std::iota(by_name.begin(), by_name.end(), std::size_t{0});
  for (const std::size_t i : stable_topological(by_name, before)) {
    const Company& c = companies[i];
    Json j = Json::object();
    j["type"] = "company";
    j["name"] = c.name;
    if (c.parent) {
      if (const auto it = index.find(c.parent->value()); it != index.end()) {
        j["parent"] = companies[it->second].name;
      }
    }
    put_list(j, "aliases", c.aliases);
    put_text(j, "industry", c.industry);
    put_text(j, "hq_location", c.hq_location);
    put_text(j, "country", c.country);
    write_line(out, j);
  }
}

void export_events(const Tracker& tracker, std::ostream& out) {
  const auto events = detail::events_in_export_order(tracker);
  std::unordered_map<std::int64_t, const std::string*> key_of;
  for (const auto& [event, key] : events) {
    key_of.emplace(event.id.value(), &key);
  }
  for (const auto& [e, key] : events) {
    Json j = Json::object();
    j["type"] = "event";
    j["key"] = key;
    j["company"] = e.company_name;
    j["announced_on"] = e.announced_on.to_string();
    j["precision"] = std::string(to_string(e.announced_on.precision()));
    if (e.effective_on) {
      j["effective_on"] = e.effective_on->to_string();
    }
    j["headcount"] = headcount_json(e.headcount);
    if (e.workforce_pct) {
      j["workforce_pct"] = *e.workforce_pct;
    }
    put_list(j, "departments", e.departments);
    if (!e.reasons.empty()) {
      Json reasons = Json::array();
      for (const Reason& r : e.reasons) {
        Json rj = Json::object();
        rj["name"] = r.name;
        if (r.category) {
          rj["category"] = std::string(to_string(*r.category));
        }
        reasons.push_back(std::move(rj));
      }
      j["reasons"] = std::move(reasons);
    }
    if (!e.sources.empty()) {
      Json sources = Json::array();
      for (const Source& s : e.sources) {
        sources.push_back(source_json(s));
      }
      j["sources"] = std::move(sources);
    }
    put_list(j, "locations", e.locations);
    put_text(j, "country", e.country);
    put_text(j, "notes", e.notes);
    put_text(j, "company_stage", e.company_stage);
    if (e.funds_raised_musd) {
      j["funds_raised_musd"] = *e.funds_raised_musd;
    }
    // Defaults are left out, so files written before these fields existed
    // still export byte for byte the same.
    if (e.kind != EventKind::announcement) {
      j["kind"] = std::string(to_string(e.kind));
    }
    put_text(j, "us_state", e.us_state);
    if (e.status != EventStatus::active) {
      j["status"] = std::string(to_string(e.status));
    }
    put_text(j, "status_note", e.status_note);
    if (!e.includes.empty()) {
      Json includes = Json::array();
      for (const EventId inc : e.includes) {
        const auto it = key_of.find(inc.value());
        if (it == key_of.end()) {
          // Only a write between our reads can cause this; a dangling
          // reference would make the file unimportable.
          throw Error(ErrorCode::database,
                      "event " + key +
                          " includes an event that is no longer in the database; "
                          "export again");
        }
        includes.push_back(*it->second);
      }
      j["includes"] = std::move(includes);
    }
    write_line(out, j);
  }
}

void export_claims(const Tracker& tracker, std::ostream& out) {
  std::vector<std::pair<Claim, std::string>> claims;
  for (Claim& c : tracker.claims()) {
    Json j = Json::object();
    j["type"] = "claim";
    j["company"] = c.company_name;
    j["include_subsidiaries"] = c.include_subsidiaries;
    j["period_start"] = c.period_start.to_string();
    j["period_end"] = c.period_end.to_string();
    j["headcount"] = headcount_json(c.headcount);
    if (c.source) {
      j["source"] = source_json(*c.source);
    }
    put_text(j, "notes", c.notes);
    claims.emplace_back(std::move(c), j.dump());
  }
  // The line itself breaks the remaining ties, so the order never depends
  // on rowids.
  std::sort(claims.begin(), claims.end(), [](const auto& a, const auto& b) {
    const Claim& x = a.first;
    const Claim& y = b.first;
    if (x.period_start != y.period_start) {
      return x.period_start < y.period_start;
    }
    if (x.period_end != y.period_end) {
      return x.period_end < y.period_end;
    }
    if (x.company_name != y.company_name) {
      return x.company_name < y.company_name;
    }
    return a.second < b.second;
  });
  for (const auto& [claim, line] : claims) {
    out << line << '\n';
  }
}

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
      company(f);
    } else if (type == "event") {
      event(f);
    } else if (type == "claim") {
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
    if (!existing && is_computed_key(ev.key, owner.name, ev)) {
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

// RFC 4180 quoting for the rejects file.
std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(value);
  }
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
  return out;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

namespace detail {

std::vector<std::pair<Event, std::string>> events_in_export_order(const Tracker& tracker) {
  std::vector<Event> events = tracker.events();
  const std::size_t n = events.size();

  std::vector<std::string> keys(n);
  std::unordered_set<std::string> taken;
  for (std::size_t i = 0; i < n; ++i) {
    if (!events[i].key.empty()) {
      keys[i] = events[i].key;
      taken.insert(keys[i]);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!keys[i].empty()) {
      continue;
    }
    const std::string canonical = canonical_event(events[i].company_name, events[i]);
    // A computed key can meet an explicit one after a round trip (the
    // imported copy carries it) if the same facts are then recorded again
    // without a key; a counter keeps both events apart.
    std::string key = computed_key(canonical, 1);
    for (int attempt = 2; taken.count(key) != 0; ++attempt) {
      key = computed_key(canonical, attempt);
    }
    taken.insert(key);
    keys[i] = std::move(key);
  }

  std::vector<std::size_t> preferred(n);
  std::iota(preferred.begin(), preferred.end(), std::size_t{0});
  std::sort(preferred.begin(), preferred.end(), [&](std::size_t a, std::size_t b) {
    if (events[a].announced_on != events[b].announced_on) {
      return events[a].announced_on < events[b].announced_on;
    }
    return keys[a] < keys[b];
  });
  std::unordered_map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < n; ++i) {
    index.emplace(events[i].id.value(), i);
  }
  std::vector<std::vector<std::size_t>> before(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const EventId inc : events[i].includes) {
      if (const auto it = index.find(inc.value()); it != index.end()) {
        before[i].push_back(it->second);
      }
    }
  }
  const std::vector<std::size_t> order = stable_topological(preferred, before);

  std::vector<std::size_t> position(n);
  for (std::size_t p = 0; p < n; ++p) {
    position[order[p]] = p;
  }
  std::vector<std::pair<Event, std::string>> out;
  out.reserve(n);
  for (const std::size_t i : order) {
    Event& e = events[i];
    // Tracker::event lists inclusions by date then rowid; rowids differ
    // between databases, so order by export position instead.
    std::sort(e.includes.begin(), e.includes.end(), [&](EventId a, EventId b) {
      const auto ia = index.find(a.value());
      const auto ib = index.find(b.value());
      const std::size_t pa = ia == index.end() ? n : position[ia->second];
      const std::size_t pb = ib == index.end() ? n : position[ib->second];
      return pa != pb ? pa < pb : a < b;
    });
    out.emplace_back(std::move(e), std::move(keys[i]));
  }
  return out;
}

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
          } catch (const Error& e) {
            if (!is_row_error(e)) {
              throw;
            }
            if (!options.skip_bad) {
              throw ImportError(path, number, e.what());
            }
            ++summary.rejected;
            if (rejects.is_open()) {
              rejects << number << ',' << csv_field(e.what()) << ',' << csv_field(text) << '\n';
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

void export_jsonl(const Tracker& tracker, std::ostream& out) {
  export_companies(tracker, out);
  export_events(tracker, out);
  export_claims(tracker, out);
  if (!out) {
    throw Error(ErrorCode::io_error, "cannot write the JSON Lines export");
  }
}

}  // namespace layoffs::io
