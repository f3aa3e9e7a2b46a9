// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace layoffs::detail {

// The library's logger: the one registered with spdlog under the name
// "layoffs" if the application registered one, else our own (registered under
// that name, writing to stderr, level warn). Callers can turn it up with
// spdlog::get("layoffs")->set_level(spdlog::level::info).
std::shared_ptr<spdlog::logger> library_logger();

}  // namespace layoffs::detail
