// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <string>
#include <utility>

#include <CLI/CLI.hpp>

namespace layoffs::cli {

// Adds `layoffs report` to `app`. Returns the subcommand and what to run when
// it was parsed; `db` (the --db option's variable) is read only then.
std::pair<CLI::App*, std::function<int()>> add_report_command(CLI::App& app, const std::string& db);

}  // namespace layoffs::cli
