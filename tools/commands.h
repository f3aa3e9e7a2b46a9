// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// What a file of CLI commands needs to add its subcommands: each such file
// (cmd_*.cpp) has one add_*_commands function, called once from main.cpp.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <layoffs/layoffs.h>

namespace layoffs::cli {

constexpr int kOk = 0;
constexpr int kBadInput = 1;
constexpr int kUsage = 2;

// The options every command that selects events shares (see
// add_filter_options), filled in by parsing.
struct FilterArgs {
  std::string company;
  bool no_subsidiaries = false;
  std::string from, to, country, state, industry, kind;
  std::vector<std::string> departments, reasons;
};

struct Registry {
  CLI::App& app;
  const std::string& db;  // --db, filled in by parsing
  // Runs `handler` when `command` is the one given.
  std::function<void(CLI::App* command, std::function<int()> handler)> handle;
};

// --company, --no-subsidiaries (with_company), --from, --to, --department,
// --reason, --country, --state, --industry, --kind.
void add_filter_options(CLI::App* cmd, FilterArgs& f, bool with_company = true);
// The Filter those options say; names are looked up in `t`.
Filter make_filter(const Tracker& t, const FilterArgs& f);

// status ID STATUS [--note]
void add_status_commands(Registry& r);
// match, link, unlink, coverage
void add_match_commands(Registry& r);
// report [filters] [-o FILE] [--format html|svg --chart NAME] (cmd_report.cpp)
void add_report_commands(Registry& r);

}  // namespace layoffs::cli
