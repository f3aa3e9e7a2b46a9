// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "logging.h"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace layoffs::detail {

std::shared_ptr<spdlog::logger> library_logger() {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  if (auto existing = spdlog::get("layoffs")) {
    return existing;
  }
  auto logger = std::make_shared<spdlog::logger>(
      "layoffs", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_level(spdlog::level::warn);
  logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [layoffs] [%l] %v");
  try {
    spdlog::register_logger(logger);
  } catch (const spdlog::spdlog_ex&) {
    // Registered by someone else between get() and here: use theirs.
    if (auto existing = spdlog::get("layoffs")) {
      return existing;
    }
  }
  return logger;
}

}  // namespace layoffs::detail
