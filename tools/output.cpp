// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "output.h"

#include <algorithm>

namespace layoffs::cli {

namespace {

// Display width in code points: every UTF-8 byte that does not continue a
// character starts one. Good enough for names in Latin and other alphabets.
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Json optional_int(const std::optional<std::int64_t>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json headcount_json(const Headcount& h) {
  return Json{{"phrase", h.phrase()},
              {"kind", std::string(to_string(h.kind()))},
              {"low", h.low()},
              {"high", optional_int(h.high())},
              {"estimate", h.estimate()}};
}

Json source_json(const Source& s) {
  Json j{{"url", s.url}, {"tier", std::string(to_string(s.tier))}};
  if (!s.title.empty())
    j["title"] = s.title;
  if (!s.publisher.empty())
    j["publisher"] = s.publisher;
  if (s.published_on)
    j["published_on"] = s.published_on->to_string();
  return j;
}

}  // namespace

Table::Table(std::vector<std::string> header, std::vector<bool> right_aligned)
    : header_(std::move(header)), right_(std::move(right_aligned)) {
  right_.resize(header_.size(), false);
}

void Table::add(std::vector<std::string> row) {
  row.resize(header_.size());
  rows_.push_back(std::move(row));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths(header_.size());
  for (std::size_t c = 0; c < header_.size(); ++c) {
    widths[c] = width(header_[c]);
    for (const auto& row : rows_) {
      widths[c] = std::max(widths[c], width(row[c]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(widths[c] - width(cells[c]), ' ');
      const bool last = c + 1 == cells.size();
      text += right_[c] ? pad + cells[c] : cells[c] + (last ? "" : pad);
      if (!last) {
        text += "  ";
      }
    }
    out << text << "\n";
  };
  line(header_);
  std::vector<std::string> rule;
  for (const std::size_t w : widths) {
    rule.emplace_back(w, '-');
  }
  line(rule);
  for (const auto& row : rows_) {
    line(row);
  }
}

std::string describe(const Total& t) {
  auto count = [](int n, const char* one, const char* many) {
    return format_count(n) + " " + (n == 1 ? one : many);
  };
  std::string out =
      t.to_string() + " (" + count(t.selected_events, "event", "events") + " selected";
  if (t.selected_events > 0) {
    out += ": " + format_count(t.counted_events) + " counted";
  }
  if (t.inside_events > 0) {
    out += ", " + format_count(t.inside_events) + " inside another";
  }
  if (t.superseded_events > 0) {
    out += ", " + format_count(t.superseded_events) + " superseded";
  }
  if (t.retracted_events > 0) {
    out += ", " + format_count(t.retracted_events) + " retracted";
  }
  if (t.unknown_events > 0) {
    out += "; " + format_count(t.unknown_events) + " counted with no count";
  }
  return out + ")";
}

std::string unmatched_note(const Total& t) {
  if (t.unmatched_filings <= 0) {
    return {};
  }
  const bool one = t.unmatched_filings == 1;
  return "note: " + format_count(t.unmatched_filings) + (one ? " filing is" : " filings are") +
         " not linked to an announcement and " + (one ? "is" : "are") + " counted on " +
         (one ? "its" : "their") + " own; run 'layoffs match' to review";
}

std::string bounds(const Headcount& h) {
  // Appended piece by piece: g++ 12 at -O2 reports a false -Wrestrict for
  // "literal" + std::string temporaries.
  std::string out = "[";
  out += format_count(h.low());
  out += ", ";
  if (h.high()) {
    out += format_count(*h.high());
    out += "]";
  } else {
    out += "unbounded)";
  }
  return out;
}

Json to_json(const Total& t) {
  return Json{{"text", t.to_string()},
              {"low", t.low},
              {"high", optional_int(t.high)},
              {"estimate", t.estimate},
              {"approximate", t.approximate},
              {"selected_events", t.selected_events},
              {"counted_events", t.counted_events},
              {"inside_events", t.inside_events},
              {"unknown_events", t.unknown_events},
              {"superseded_events", t.superseded_events},
              {"retracted_events", t.retracted_events},
              {"unmatched_filings", t.unmatched_filings}};
}

Json to_json(const Event& e) {
  Json j{{"id", e.id.value()},
         {"company", e.company_name},
         {"announced_on", e.announced_on.to_string()},
         {"precision", std::string(to_string(e.announced_on.precision()))},
         {"kind", std::string(to_string(e.kind))},
         {"status", std::string(to_string(e.status))},
         {"headcount", headcount_json(e.headcount)}};
  if (!e.status_note.empty())
    j["status_note"] = e.status_note;
  if (!e.us_state.empty())
    j["us_state"] = e.us_state;
  if (e.added_on)
    j["added_on"] = e.added_on->iso();
  if (e.effective_on)
    j["effective_on"] = e.effective_on->to_string();
  if (e.workforce_pct)
    j["workforce_pct"] = *e.workforce_pct;
  j["departments"] = e.departments;
  Json reasons = Json::array();
  for (const auto& r : e.reasons) {
    Json rj{{"name", r.name}};
    if (r.category)
      rj["category"] = std::string(to_string(*r.category));
    reasons.push_back(rj);
  }
  j["reasons"] = reasons;
  Json sources = Json::array();
  for (const auto& s : e.sources)
    sources.push_back(source_json(s));
  j["sources"] = sources;
  j["locations"] = e.locations;
  if (!e.country.empty())
    j["country"] = e.country;
  if (!e.notes.empty())
    j["notes"] = e.notes;
  if (!e.company_stage.empty())
    j["company_stage"] = e.company_stage;
  if (e.funds_raised_musd)
    j["funds_raised_musd"] = *e.funds_raised_musd;
  Json includes = Json::array();
  for (const EventId id : e.includes)
    includes.push_back(id.value());
  j["includes"] = includes;
  j["included_in"] = e.included_in ? Json(e.included_in->value()) : Json(nullptr);
  if (!e.key.empty())
    j["key"] = e.key;
  return j;
}

Json to_json(const Company& c, const std::string& parent_name) {
  Json j{{"id", c.id.value()}, {"name", c.name}};
  j["parent"] = parent_name.empty() ? Json(nullptr) : Json(parent_name);
  j["aliases"] = c.aliases;
  if (!c.industry.empty())
    j["industry"] = c.industry;
  if (!c.hq_location.empty())
    j["hq_location"] = c.hq_location;
  if (!c.country.empty())
    j["country"] = c.country;
  return j;
}

Json to_json(const Reconciliation& r) {
  Json claim{{"id", r.claim.id.value()},
             {"company", r.claim.company_name},
             {"include_subsidiaries", r.claim.include_subsidiaries},
             {"period_start", r.claim.period_start.to_string()},
             {"period_end", r.claim.period_end.to_string()},
             {"headcount", headcount_json(r.claim.headcount)}};
  if (r.claim.source)
    claim["source"] = source_json(*r.claim.source);
  return Json{{"claim", claim},
              {"events", to_json(r.events)},
              {"verdict", std::string(to_string(r.verdict))}};
}

}  // namespace layoffs::cli
