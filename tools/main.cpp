// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// layoffs: the command-line tool. A thin layer over the public API and the
// importers/exporters; every rule lives in the library.
//
// Exit codes: 0 ok, 1 bad input or a failed check (the message names the
// field, or FILE:LINE), 2 usage.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <layoffs/layoffs.h>

#include "cmd_names.h"
#include "commands.h"
#include "export.h"
#include "import.h"
#include "mapping.h"
#include "output.h"

namespace layoffs::cli {

Filter make_filter(const Tracker& t, const FilterArgs& a) {
  Filter f;
  if (!a.company.empty()) {
    f.company = t.company_id(a.company);
  }
  f.include_subsidiaries = !a.no_subsidiaries;
  f.from = a.from.empty() ? std::nullopt : std::optional<Date>(Date::parse(a.from, "--from"));
  f.to = a.to.empty() ? std::nullopt : std::optional<Date>(Date::parse(a.to, "--to"));
  if (f.from && f.to && f.to->last_day() < f.from->first_day()) {
    throw Error(ErrorCode::invalid_argument, "--to " + a.to + " is before --from " + a.from, "--to",
                a.to);
  }
  f.departments = a.departments;
  f.reasons = a.reasons;
  f.country = a.country;
  f.us_state = a.state;
  f.industry = a.industry;
  if (!a.kind.empty()) {
    f.kind = parse_event_kind(a.kind, "--kind");
  }
  return f;
}

void add_filter_options(CLI::App* cmd, FilterArgs& a, bool with_company) {
  if (with_company) {
    cmd->add_option("--company", a.company, "Company name or alias");
    cmd->add_flag("--no-subsidiaries", a.no_subsidiaries, "Only the company's own events");
  }
  cmd->add_option("--from", a.from, "First date, YYYY[-MM[-DD]]");
  cmd->add_option("--to", a.to, "Last date, YYYY[-MM[-DD]] (through the end of that period)");
  cmd->add_option("--department", a.departments, "Any of these departments (repeatable)");
  cmd->add_option("--reason", a.reasons, "Any of these reasons (repeatable)");
  cmd->add_option("--country", a.country, "The event's country, or else its company's");
  cmd->add_option("--state", a.state, "The event's US state (USPS code, e.g. WA)");
  cmd->add_option("--industry", a.industry, "The company's industry");
  cmd->add_option("--kind", a.kind, "announcement or filing")
      ->check(CLI::IsMember({"announcement", "filing"}));
}

namespace {

// Everything the command line can say, filled in by CLI11.
struct Args {
  std::string db = "layoffs.db";
  bool json = false;

  // company add / alias / tree
  std::string name, parent, alias, industry, hq, country;
  std::vector<std::string> aliases;

  // add
  std::string company, date, effective, headcount, notes, key, stage, state;
  bool filing = false;
  std::optional<double> pct, funds;
  std::vector<std::string> departments, reasons, sources, locations;
  std::vector<std::int64_t> includes;

  // filters (company, from, to, departments, reasons and country above are
  // shared with add and claim add)
  FilterArgs filter;
  std::string from, to, by, order = "date";
  bool no_subsidiaries = false;
  std::int64_t limit = -1, offset = 0;

  // show
  std::int64_t id = 0;

  // import / export
  std::string file, format = "auto", rejects, output, columns, mapping, names, into;
  bool skip_bad = false, show_columns = false;
};

Tracker open(const Args& a, bool read_only = false) {
  return Tracker::open(a.db, {.read_only = read_only});
}

std::optional<Date> optional_date(const std::string& text, const char* field) {
  return text.empty() ? std::nullopt : std::optional<Date>(Date::parse(text, field));
}

// "Amazon (incl. subsidiaries) 2022-01-01..2023-12-31"
std::string scope_label(const Tracker& t, const FilterArgs& a, const Filter& f) {
  std::string out = f.company ? t.company(*f.company).name : std::string("All companies");
  if (f.company) {
    out += a.no_subsidiaries ? " (own events only)" : " (incl. subsidiaries)";
  }
  if (f.from || f.to) {
    out += " " + (f.from ? f.from->first_day().to_string() : std::string()) + ".." +
           (f.to ? f.to->last_day().to_string() : std::string());
  }
  return out;
}

// "cost cutting" or "cost cutting:cost_cutting" (NAME[:CATEGORY]).
Reason parse_reason(const std::string& text, std::size_t index) {
  const auto colon = text.rfind(':');
  if (colon != std::string::npos) {
    const std::string category = text.substr(colon + 1);
    return {text.substr(0, colon),
            parse_reason_category(category, "--reason[" + std::to_string(index) + "] category")};
  }
  return {text, std::nullopt};
}

void print_json(const Json& j) {
  std::cout << j.dump(2) << "\n";
}

// ---- commands ---------------------------------------------------------------

int cmd_init(const Args& a) {
  Tracker t = open(a);
  std::cout << "initialized " << a.db << " (schema version " << t.schema_version() << ")\n";
  return kOk;
}

int cmd_company_add(const Args& a) {
  Tracker t = open(a);
  NewCompany c{.name = a.name,
               .aliases = a.aliases,
               .industry = a.industry,
               .hq_location = a.hq,
               .country = a.country};
  if (!a.parent.empty()) {
    c.parent = t.company_id(a.parent);
  }
  const CompanyId id = t.add_company(c);
  std::cout << "added company " << t.company(id).name << " (id " << id.value() << ")\n";
  return kOk;
}

int cmd_company_alias(const Args& a) {
  Tracker t = open(a);
  const CompanyId id = t.company_id(a.name);
  t.add_alias(id, a.alias);
  std::cout << "\"" << a.alias << "\" now names " << t.company(id).name << "\n";
  return kOk;
}

int cmd_company_list(const Args& a) {
  Tracker t = open(a, true);
  const auto companies = t.companies();
  std::map<std::int64_t, std::string> names;
  for (const auto& c : companies)
    names[c.id.value()] = c.name;
  auto parent_name = [&](const Company& c) {
    return c.parent ? names[c.parent->value()] : std::string();
  };
  if (a.json) {
    Json out = Json::array();
    for (const auto& c : companies)
      out.push_back(to_json(c, parent_name(c)));
    print_json(out);
    return kOk;
  }
  Table table({"id", "company", "parent", "aliases", "industry", "country"}, {true});
  for (const auto& c : companies) {
    std::string aliases;
    for (const auto& al : c.aliases)
      aliases += (aliases.empty() ? "" : "; ") + al;
    table.add(
        {std::to_string(c.id.value()), c.name, parent_name(c), aliases, c.industry, c.country});
  }
  table.print(std::cout);
  return kOk;
}

int cmd_company_tree(const Args& a) {
  Tracker t = open(a, true);
  const auto companies = t.companies();  // by name
  std::map<std::int64_t, std::vector<const Company*>> children;
  std::vector<const Company*> roots;
  for (const auto& c : companies) {
    if (c.parent) {
      children[c.parent->value()].push_back(&c);
    } else {
      roots.push_back(&c);
    }
  }
  if (!a.name.empty()) {
    const CompanyId id = t.company_id(a.name);
    roots.clear();
    for (const auto& c : companies) {
      if (c.id == id)
        roots.push_back(&c);
    }
  }
  std::function<Json(const Company&)> as_json = [&](const Company& c) {
    Json kids = Json::array();
    for (const Company* k : children[c.id.value()])
      kids.push_back(as_json(*k));
    return Json{{"id", c.id.value()}, {"name", c.name}, {"subsidiaries", kids}};
  };
  if (a.json) {
    Json out = Json::array();
    for (const Company* r : roots)
      out.push_back(as_json(*r));
    print_json(out);
    return kOk;
  }
  std::function<void(const Company&, const std::string&, bool, bool)> draw =
      [&](const Company& c, const std::string& prefix, bool last, bool root) {
        std::cout << prefix << (root ? "" : (last ? "└── " : "├── ")) << c.name << "\n";
        const auto& kids = children[c.id.value()];
        for (std::size_t i = 0; i < kids.size(); ++i) {
          draw(*kids[i], root ? "" : prefix + (last ? "    " : "│   "), i + 1 == kids.size(),
               false);
        }
      };
  for (const Company* r : roots)
    draw(*r, "", true, true);
  if (a.name.empty()) {
    // Companies whose parent links go round in a circle reach no root (a
    // file edited by hand): say so rather than leave them out silently.
    std::set<std::int64_t> drawn;
    std::function<void(const Company&)> mark = [&](const Company& c) {
      if (drawn.insert(c.id.value()).second) {
        for (const Company* k : children[c.id.value()])
          mark(*k);
      }
    };
    for (const Company* r : roots)
      mark(*r);
    std::string missing;
    for (const auto& c : companies) {
      if (!drawn.count(c.id.value()))
        missing += (missing.empty() ? "" : ", ") + c.name;
    }
    if (!missing.empty()) {
      std::cout << "not shown, their parent links form a cycle: " << missing
                << " (run 'layoffs check')\n";
    }
  }
  return kOk;
}

int cmd_add(const Args& a) {
  Tracker t = open(a);
  NewEvent e;
  e.company = t.company_id(a.company);
  e.announced_on = Date::parse(a.date, "--date");
  e.effective_on = optional_date(a.effective, "--effective");
  e.headcount = Headcount::parse(a.headcount, "--headcount");
  e.workforce_pct = a.pct;
  e.departments = a.departments;
  for (std::size_t i = 0; i < a.reasons.size(); ++i) {
    e.reasons.push_back(parse_reason(a.reasons[i], i));
  }
  for (const auto& url : a.sources) {
    e.sources.push_back({.url = url});
  }
  e.locations = a.locations;
  e.country = a.country;
  e.notes = a.notes;
  for (const std::int64_t id : a.includes) {
    e.includes.emplace_back(id);
  }
  e.key = a.key;
  e.company_stage = a.stage;
  e.funds_raised_musd = a.funds;
  e.kind = a.filing ? EventKind::filing : EventKind::announcement;
  e.us_state = a.state;
  const std::int64_t before = t.count_events();
  const EventId id = t.record(e);
  const bool created = t.count_events() > before;
  std::cout << (created ? "recorded " : "already recorded as ") << (a.filing ? "filing " : "event ")
            << id.value() << ": " << t.company(e.company).name << " " << e.announced_on.to_string()
            << " " << e.headcount.phrase() << "\n";
  return kOk;
}

void print_events(const std::vector<Event>& events) {
  Table table({"id", "date", "company", "kind", "headcount", "bounds", "state", "departments",
               "included in", "status"},
              {true});
  for (const auto& e : events) {
    std::string deps;
    for (const auto& d : e.departments)
      deps += (deps.empty() ? "" : "; ") + d;
    table.add({std::to_string(e.id.value()), e.announced_on.to_string(), e.company_name,
               std::string(to_string(e.kind)), e.headcount.phrase(), bounds(e.headcount),
               e.us_state, deps, e.included_in ? std::to_string(e.included_in->value()) : "",
               e.status == EventStatus::active ? "" : std::string(to_string(e.status))});
  }
  table.print(std::cout);
}

int cmd_list(const Args& a) {
  Tracker t = open(a, true);
  const Filter f = make_filter(t, a.filter);
  EventOrder order = EventOrder::announced_asc;
  if (a.order == "date-desc") {
    order = EventOrder::announced_desc;
  } else if (a.order == "headcount") {
    order = EventOrder::headcount_desc;
  }
  const auto events = t.events(f, order, a.limit, a.offset);
  if (a.json) {
    Json out = Json::array();
    for (const auto& e : events)
      out.push_back(to_json(e));
    print_json(out);
    return kOk;
  }
  print_events(events);
  return kOk;
}

int cmd_show(const Args& a) {
  Tracker t = open(a, true);
  const Event e = t.event(EventId(a.id));
  if (a.json) {
    print_json(to_json(e));
    return kOk;
  }
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items)
      out += (out.empty() ? "" : "; ") + s;
    return out;
  };
  std::cout << "event " << e.id.value() << (e.key.empty() ? "" : " (key " + e.key + ")") << "\n";
  std::cout << "  company:      " << e.company_name << "\n";
  std::cout << "  announced:    " << e.announced_on.to_string() << "\n";
  std::cout << "  kind:         " << to_string(e.kind) << "\n";
  std::cout << "  status:       " << to_string(e.status)
            << (e.status == EventStatus::active ? "" : " (left out of every total)") << "\n";
  if (!e.status_note.empty())
    std::cout << "  status note:  " << e.status_note << "\n";
  if (e.added_on)
    std::cout << "  listed on:    " << e.added_on->to_string() << "\n";
  if (e.effective_on)
    std::cout << "  effective:    " << e.effective_on->to_string() << "\n";
  std::cout << "  headcount:    " << e.headcount.phrase() << " " << bounds(e.headcount)
            << ", best estimate " << format_count(e.headcount.estimate()) << "\n";
  if (e.workforce_pct)
    std::cout << "  workforce:    " << *e.workforce_pct << " %\n";
  if (!e.departments.empty())
    std::cout << "  departments:  " << join(e.departments) << "\n";
  for (const auto& r : e.reasons) {
    std::cout << "  reason:       " << r.name
              << (r.category ? " (" + std::string(to_string(*r.category)) + ")" : "") << "\n";
  }
  for (const auto& s : e.sources) {
    std::cout << "  source:       " << s.url << " [" << to_string(s.tier) << "]\n";
  }
  if (!e.locations.empty())
    std::cout << "  locations:    " << join(e.locations) << "\n";
  if (!e.country.empty())
    std::cout << "  country:      " << e.country << "\n";
  if (!e.us_state.empty())
    std::cout << "  US state:     " << e.us_state << " (" << us_state_name(e.us_state) << ")\n";
  for (const EventId inc : e.includes)
    std::cout << "  includes:     event " << inc.value() << "\n";
  if (e.included_in)
    std::cout << "  included in:  event " << e.included_in->value() << "\n";
  if (!e.notes.empty())
    std::cout << "  notes:        " << e.notes << "\n";
  return kOk;
}

int cmd_total(const Args& a) {
  Tracker t = open(a, true);
  const Filter f = make_filter(t, a.filter);
  if (a.by.empty()) {
    const Total total = t.total(f);
    if (a.json) {
      Json j = to_json(total);
      j["scope"] = scope_label(t, a.filter, f);
      print_json(j);
    } else {
      std::cout << scope_label(t, a.filter, f) << ": " << describe(total) << "\n";
      if (const std::string note = unmatched_note(total); !note.empty())
        std::cout << note << "\n";
    }
    return kOk;
  }
  // "company": each company by itself, subsidiaries apart, with or without
  // --company; "top-company": each subsidiary's events in its top company.
  const Grouping g = a.by == "top-company" ? Grouping::top_company
                     : a.by == "state"     ? Grouping::us_state
                                           : parse_grouping(a.by, "--by");
  const auto rows = t.totals_by(g, f);
  if (a.json) {
    Json out = Json::array();
    for (const auto& r : rows) {
      Json j = to_json(r.total);
      j["group"] = r.label;
      out.push_back(j);
    }
    print_json(out);
    return kOk;
  }
  std::cout << scope_label(t, a.filter, f) << " by " << a.by << ":\n";
  Table table({a.by, "total", "low", "high", "estimate", "selected", "counted"},
              {false, true, true, true, true, true, true});
  for (const auto& r : rows) {
    table.add({r.label, r.total.to_string(), format_count(r.total.low),
               r.total.high ? format_count(*r.total.high) : "unbounded",
               format_count(r.total.estimate), format_count(r.total.selected_events),
               format_count(r.total.counted_events)});
  }
  table.print(std::cout);
  // Said of the whole selection, as without --by.
  if (const std::string note = unmatched_note(t.total(f)); !note.empty())
    std::cout << note << "\n";
  return kOk;
}

int cmd_claim_add(const Args& a) {
  Tracker t = open(a);
  NewClaim c;
  c.company = t.company_id(a.company);
  c.include_subsidiaries = !a.no_subsidiaries;
  if (a.from.empty() || a.to.empty()) {
    throw invalid_field(a.from.empty() ? "--from" : "--to", "", "is required for a claim:");
  }
  c.period_start = Date::parse(a.from, "--from");
  c.period_end = Date::parse(a.to, "--to");
  c.headcount = Headcount::parse(a.headcount, "--headcount");
  if (!a.sources.empty()) {
    c.source = Source{.url = a.sources.front()};
  }
  c.notes = a.notes;
  const ClaimId id = t.record_claim(c);
  std::cout << "claim " << id.value() << ": " << t.company(c.company).name << " "
            << c.period_start.to_string() << ".." << c.period_end.to_string() << " \""
            << c.headcount.phrase() << "\"\n";
  return kOk;
}

int print_reconciliation(const std::vector<Reconciliation>& rows, bool json) {
  if (json) {
    Json out = Json::array();
    for (const auto& r : rows)
      out.push_back(to_json(r));
    print_json(out);
    return kOk;
  }
  Table table({"claim", "company", "period", "claimed", "events", "verdict"}, {true});
  for (const auto& r : rows) {
    table.add({std::to_string(r.claim.id.value()),
               r.claim.company_name + (r.claim.include_subsidiaries ? "" : " (own)"),
               r.claim.period_start.to_string() + ".." + r.claim.period_end.to_string(),
               r.claim.headcount.phrase() + " " + bounds(r.claim.headcount), r.events.to_string(),
               std::string(to_string(r.verdict))});
  }
  table.print(std::cout);
  return kOk;
}

int cmd_reconcile(const Args& a) {
  Tracker t = open(a, true);
  return print_reconciliation(t.reconcile(make_filter(t, a.filter)), a.json);
}

int cmd_check(const Args& a) {
  Tracker t = open(a, true);
  auto parts = t.check_parts();
  std::vector<Reconciliation> rows;
  std::optional<std::string> unreconciled;
  try {
    rows = t.reconcile();
  } catch (const Error& e) {
    unreconciled = std::string("the claims could not be reconciled: ") + e.what();
  }
  int inconsistent = 0;
  for (const auto& r : rows)
    inconsistent += r.verdict == Verdict::consistent ? 0 : 1;
  bool sound = !unreconciled;
  for (const auto& p : parts)
    sound = sound && p.problems.empty();
  if (a.json) {
    // "problems" is every part's, in order; "parts" says which part found each.
    Json problems = Json::array();
    Json by_part = Json::array();
    for (const auto& p : parts) {
      for (const auto& text : p.problems)
        problems.push_back(text);
      by_part.push_back({{"name", p.name}, {"problems", p.problems}});
    }
    if (unreconciled)
      problems.push_back(*unreconciled);
    Json j{{"status", sound ? "ok" : "problems"}, {"problems", problems}, {"parts", by_part}};
    Json claims = Json::array();
    for (const auto& r : rows)
      claims.push_back(to_json(r));
    j["claims"] = claims;
    print_json(j);
  } else {
    // One heading per part, saying whether that part passed: a parent
    // cycle is not an integrity_check failure.
    for (const auto& p : parts) {
      std::cout << p.name << ": ";
      if (p.problems.empty()) {
        std::cout << "ok\n";
        continue;
      }
      std::cout << p.problems.size() << (p.problems.size() == 1 ? " problem\n" : " problems\n");
      for (const auto& text : p.problems)
        std::cout << "  " << text << "\n";
    }
    if (unreconciled)
      std::cout << *unreconciled << "\n";
    std::cout << "claims: " << rows.size() << " checked, " << inconsistent
              << " disagree with the events\n";
    if (!rows.empty())
      print_reconciliation(rows, false);
  }
  return sound && inconsistent == 0 ? kOk : kBadInput;
}

int cmd_import(const Args& a) {
  if (a.show_columns) {
    std::cout << io::show_columns(a.file);
    return kOk;
  }
  if (!a.columns.empty() && !a.mapping.empty()) {
    throw invalid_field("--columns", a.columns, "cannot be given with --mapping:");
  }
  std::optional<io::Mapping> mapping;
  if (!a.columns.empty()) {
    mapping = io::parse_columns(a.columns);
  } else if (!a.mapping.empty()) {
    mapping = io::read_mapping_file(a.mapping);
  }
  Tracker t = open(a);
  io::ImportOptions options;
  options.format = io::parse_format(a.format, "--format");
  options.skip_bad = a.skip_bad;
  options.rejects_path = a.rejects;
  options.names_path = a.names;
  if (!a.rejects.empty() && !a.skip_bad) {
    throw invalid_field("--rejects", a.rejects, "needs --skip-bad:");
  }
  const bool show_progress = isatty(STDERR_FILENO) != 0;
  auto last = std::chrono::steady_clock::now();
  if (show_progress) {
    options.progress = [&](std::int64_t done, std::int64_t total) {
      const auto now = std::chrono::steady_clock::now();
      if (total < (8 << 20) || now - last < std::chrono::milliseconds(200)) {
        return;  // small files finish before a progress line would help
      }
      last = now;
      std::fprintf(stderr, "\r%s: %3d%%", a.file.c_str(),
                   static_cast<int>(total > 0 ? done * 100 / total : 0));
      std::fflush(stderr);
    };
  }
  const io::ImportSummary s =
      mapping ? io::import_csv(t, a.file, *mapping, options) : io::import_file(t, a.file, options);
  if (show_progress) {
    std::fprintf(stderr, "\r");
  }
  std::cout << a.file << " ("
            << (s.variant.empty() ? std::string(io::to_string(s.format)) : s.variant)
            << "): " << io::to_string(s) << "\n";
  // Announcements and filings from different sources double count until
  // matched: say so once the file holds both.
  if (const std::string note = unmatched_note(t.total()); !note.empty())
    std::cout << note << "\n";
  return kOk;
}

int cmd_export(const Args& a) {
  Tracker t = open(a, true);
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!a.output.empty() && a.output != "-") {
    file.open(a.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      throw Error(ErrorCode::io_error, "-o: cannot write '" + a.output + "'", "-o", a.output);
    }
    out = &file;
  }
  if (a.format == "jsonl") {
    io::export_jsonl(t, *out);
  } else if (a.format == "csv") {
    io::export_csv(t, *out);
  } else {
    throw invalid_field("--format", a.format, "is not an export format (jsonl or csv):");
  }
  out->flush();
  if (!*out) {
    throw Error(ErrorCode::io_error, "export: writing failed", "-o", a.output);
  }
  return kOk;
}

// ---- command line -----------------------------------------------------------

// Checks the command (and, for `company` and `claim`, the subcommand) the
// user typed: the first arguments that are not options or the value of
// --db. Returns false after saying which is unknown and listing the known
// ones (CLI11 would say "The following arguments were not expected").
bool known_command(const CLI::App& app, int argc, char** argv) {
  const CLI::App* level = &app;
  std::string path = "layoffs";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--db") {
      ++i;
      continue;
    }
    if (arg.empty() || arg[0] == '-') {
      continue;
    }
    std::string names;
    const CLI::App* found = nullptr;
    for (const CLI::App* sub : level->get_subcommands({})) {
      if (sub->get_name() == arg) {
        found = sub;
      }
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (found == nullptr) {
      std::cerr << "layoffs: unknown command '" << (path == "layoffs" ? "" : path.substr(8) + " ")
                << arg << "'\n"
                << "commands: " << names << "\n"
                << "Run '" << path << " --help' for more.\n";
      return false;
    }
    if (found->get_subcommands({}).empty()) {
      return true;  // the rest are the command's own arguments
    }
    level = found;
    path += " " + arg;
  }
  return true;
}

int run(int argc, char** argv) {
  Args a;
  CLI::App app{"layoffs: record corporate layoff events and total them honestly"};
  app.require_subcommand(1);
  app.add_option("--db", a.db, "Database file (default ./layoffs.db)")->envname("LAYOFFS_DB");
  app.set_version_flag("--version", std::string("layoffs ") + kVersion + " (library " + kVersion +
                                        ", schema version " +
                                        std::to_string(Tracker::latest_schema_version()) + ")");

  std::map<CLI::App*, std::function<int(const Args&)>> handlers;
  auto command = [&](CLI::App* parent, const char* name, const char* help,
                     std::function<int(const Args&)> handler) {
    CLI::App* cmd = parent->add_subcommand(name, help);
    handlers[cmd] = std::move(handler);
    return cmd;
  };

  command(&app, "init", "Create the database (or migrate it) and exit", cmd_init);

  CLI::App* company =
      app.add_subcommand("company", "Companies: add, alias, list, tree, suggest, merge");
  company->require_subcommand(1);
  CLI::App* c_add = command(company, "add", "Add a company", cmd_company_add);
  c_add->add_option("name", a.name, "Company name")->required();
  c_add->add_option("--parent", a.parent, "Parent company (name or alias)");
  c_add->add_option("--alias", a.aliases, "Another name (repeatable)");
  c_add->add_option("--industry", a.industry, "Industry");
  c_add->add_option("--hq", a.hq, "Headquarters location");
  c_add->add_option("--country", a.country, "Country");
  CLI::App* c_alias = command(company, "alias", "Give a company another name", cmd_company_alias);
  c_alias->add_option("name", a.name, "Company name or alias")->required();
  c_alias->add_option("alias", a.alias, "The new name")->required();
  CLI::App* c_list = command(company, "list", "List companies", cmd_company_list);
  c_list->add_flag("--json", a.json, "JSON output");
  CLI::App* c_tree = command(company, "tree", "Show the company tree", cmd_company_tree);
  c_tree->add_option("name", a.name, "Only this company's subtree");
  c_tree->add_flag("--json", a.json, "JSON output");
  CLI::App* c_suggest = command(company, "suggest", "Companies that are probably one, and why",
                                [](const Args& x) { return company_suggest(x.db, x.json); });
  c_suggest->add_flag("--json", a.json, "JSON output");
  CLI::App* c_merge =
      command(company, "merge", "Merge FROM into INTO (events, aliases, claims, children)",
              [](const Args& x) { return company_merge(x.db, x.name, x.into); });
  c_merge->add_option("from", a.name, "The company that goes (name or alias)")->required();
  c_merge->add_option("into", a.into, "The company that stays (name or alias)")->required();

  CLI::App* add = command(&app, "add", "Record a layoff event", cmd_add);
  add->add_option("--company", a.company, "Company name or alias")->required();
  add->add_option("--date", a.date, "Announced on, YYYY-MM-DD (or YYYY-MM, YYYY)")->required();
  add->add_option("--headcount", a.headcount,
                  "As reported: \"about 10,000\", \"several hundred\", \"unknown\"")
      ->required();
  add->add_option("--effective", a.effective, "Effective date");
  add->add_option("--pct", a.pct, "Share of the workforce, percent (0-100)");
  add->add_option("--department", a.departments, "Department (repeatable)");
  add->add_option("--reason", a.reasons, "Reason, NAME[:CATEGORY] (repeatable)");
  add->add_option("--source", a.sources, "Source URL (repeatable)");
  add->add_option("--location", a.locations, "Location (repeatable)");
  add->add_option("--country", a.country, "Country of the cuts");
  add->add_option("--notes", a.notes, "Notes");
  add->add_option("--includes", a.includes,
                  "Id of an earlier event this one includes (repeatable)");
  add->add_option("--key", a.key, "A stable key of your own for the event");
  add->add_option("--stage", a.stage, "The company's funding stage at the time");
  add->add_option("--funds-raised", a.funds, "Money raised, millions of US dollars");
  add->add_flag("--filing", a.filing, "A WARN notice or other legal filing, not an announcement");
  add->add_option("--state", a.state, "US state of the cuts (USPS code, e.g. WA)");

  CLI::App* list = command(&app, "list", "List events", cmd_list);
  add_filter_options(list, a.filter);
  list->add_option("--order", a.order, "date, date-desc or headcount")
      ->check(CLI::IsMember({"date", "date-desc", "headcount"}));
  list->add_option("--limit", a.limit, "At most this many events");
  list->add_option("--offset", a.offset, "Skip this many events");
  list->add_flag("--json", a.json, "JSON output");

  CLI::App* show = command(&app, "show", "Show one event in full", cmd_show);
  show->add_option("id", a.id, "Event id")->required();
  show->add_flag("--json", a.json, "JSON output");

  CLI::App* total = command(&app, "total", "Total the selected events, honestly", cmd_total);
  add_filter_options(total, a.filter);
  total
      ->add_option("--by", a.by,
                   "Group by year, quarter, month, company (each company by itself), "
                   "top-company (subsidiaries in their top company), department, reason, "
                   "industry, country, state or kind")
      ->check(CLI::IsMember({"year", "quarter", "month", "company", "top-company", "department",
                             "reason", "industry", "country", "state", "kind"}));
  total->add_flag("--json", a.json, "JSON output");

  CLI::App* claim = app.add_subcommand("claim", "Reported totals (claims)");
  claim->require_subcommand(1);
  CLI::App* cl_add = command(claim, "add", "Record a reported total", cmd_claim_add);
  cl_add->add_option("--company", a.company, "Company name or alias")->required();
  cl_add->add_flag("--no-subsidiaries", a.no_subsidiaries, "The claim excludes subsidiaries");
  cl_add->add_option("--from", a.from, "Start of the period")->required();
  cl_add->add_option("--to", a.to, "End of the period")->required();
  cl_add->add_option("--headcount", a.headcount, "As reported: \"more than 27,000\"")->required();
  cl_add->add_option("--source", a.sources, "Source URL");
  cl_add->add_option("--notes", a.notes, "Notes");

  CLI::App* reconcile =
      command(&app, "reconcile", "Check claims against the events", cmd_reconcile);
  reconcile->add_option("--company", a.filter.company, "Company name or alias");
  reconcile->add_flag("--no-subsidiaries", a.filter.no_subsidiaries,
                      "Only the company's own claims");
  reconcile->add_option("--from", a.filter.from, "Claims overlapping this date on");
  reconcile->add_option("--to", a.filter.to, "Claims overlapping up to this date");
  reconcile->add_flag("--json", a.json, "JSON output");

  CLI::App* import =
      command(&app, "import", "Import a layoffs.fyi CSV, WARN CSV or JSONL file", cmd_import);
  import->add_option("file", a.file, "The file to import")->required();
  import->add_option("--format", a.format, "auto, layoffsfyi, warn or jsonl")
      ->check(CLI::IsMember({"auto", "layoffsfyi", "warn", "jsonl"}));
  import->add_flag("--skip-bad", a.skip_bad, "Import the good rows, reject the bad ones");
  import->add_option("--columns", a.columns,
                     "Any CSV: FIELD=COLUMN,... (fields: " + io::field_names() + ")");
  import->add_option("--names", a.names,
                     "CSV \"name,company\": raw names to the companies you chose");
  import->add_option("--mapping", a.mapping, "Any CSV: a JSON mapping file (see README)");
  import->add_flag("--show-columns", a.show_columns,
                   "Print the file's header and first rows, to write a mapping");
  import->add_option("--rejects", a.rejects, "With --skip-bad: write rejected rows here (CSV)");

  CLI::App* exp = command(&app, "export", "Export everything as JSON Lines or CSV", cmd_export);
  exp->add_option("--format", a.format, "jsonl or csv")
      ->required()
      ->check(CLI::IsMember({"jsonl", "csv"}));
  exp->add_option("-o,--output", a.output, "Output file (default: standard output)");

  CLI::App* check =
      command(&app, "check", "Integrity check and reconciliation of all claims", cmd_check);
  check->add_flag("--json", a.json, "JSON output");

  std::map<CLI::App*, std::function<int()>> more;
  Registry registry{app, a.db, [&](CLI::App* cmd, std::function<int()> handler) {
                      more[cmd] = std::move(handler);
                    }};
  add_status_commands(registry);
  add_match_commands(registry);
  add_report_commands(registry);

  if (!known_command(app, argc, argv)) {
    return kUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help, or the usage error
    return code == 0 ? kOk : kUsage;
  }
  for (const auto& [cmd, handler] : handlers) {
    if (cmd->parsed()) {
      return handler(a);
    }
  }
  for (const auto& [cmd, handler] : more) {
    if (cmd->parsed()) {
      return handler();
    }
  }
  std::cerr << app.help();
  return kUsage;
}

}  // namespace
}  // namespace layoffs::cli

namespace layoffs::cli {
namespace {

// The message of an error, with the API's field name ("workforce_pct",
// "includes[0]", "filter.to") replaced by the flag the user typed ("--pct",
// "--includes", "--to").
std::string message_for_user(const Error& e) {
  static const std::map<std::string, std::string> flags = {
      {"announced_on", "--date"},
      {"effective_on", "--effective"},
      {"headcount", "--headcount"},
      {"workforce_pct", "--pct"},
      {"departments", "--department"},
      {"reasons", "--reason"},
      {"sources", "--source"},
      {"locations", "--location"},
      {"includes", "--includes"},
      {"key", "--key"},
      {"notes", "--notes"},
      {"country", "--country"},
      {"company_stage", "--stage"},
      {"funds_raised_musd", "--funds-raised"},
      {"company", "--company"},
      {"aliases", "--alias"},
      {"parent", "--parent"},
      {"industry", "--industry"},
      {"hq_location", "--hq"},
      {"period_start", "--from"},
      {"period_end", "--to"},
      {"filter.company", "--company"},
      {"filter.from", "--from"},
      {"filter.to", "--to"},
      {"filter.departments", "--department"},
      {"filter.reasons", "--reason"},
      {"filter.country", "--country"},
  };
  const std::string message = e.what();
  const std::string& field = e.field();
  if (field.empty() || message.compare(0, field.size() + 2, field + ": ") != 0) {
    return message;
  }
  // "sources[0].url" -> "sources"; "filter.to" stays whole.
  std::string base = field;
  if (const auto bracket = base.find('['); bracket != std::string::npos) {
    base.erase(bracket);
  }
  const auto it = flags.find(base);
  if (it == flags.end()) {
    return message;
  }
  std::string rest = message.substr(field.size());
  for (auto [from, to] : flags) {  // API names inside the sentence too
    if (from.rfind("filter.", 0) == 0) {
      for (std::size_t at = rest.find(from); at != std::string::npos; at = rest.find(from)) {
        rest.replace(at, from.size(), to);
      }
    }
  }
  return it->second + rest;
}

}  // namespace
}  // namespace layoffs::cli

int main(int argc, char** argv) {
  try {
    return layoffs::cli::run(argc, argv);
  } catch (const layoffs::Error& e) {
    std::cerr << "layoffs: " << layoffs::cli::message_for_user(e) << "\n";
    return layoffs::cli::kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "layoffs: " << e.what() << "\n";
    return layoffs::cli::kBadInput;
  }
}
