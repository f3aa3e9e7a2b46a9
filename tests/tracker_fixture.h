// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "test_util.h"

namespace layoffs::test {

// A fresh database file per test, opened with the library.
class TrackerTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.file("layoffs.db");
  Tracker t_ = Tracker::open(path_);

  CompanyId company(const std::string& name, std::optional<CompanyId> parent = std::nullopt) {
    return t_.add_company({.name = name, .parent = parent});
  }

  // Runs `f`, which must throw layoffs::Error with `code` and a field() that
  // equals `field` (when given), and checks that the database content is
  // exactly what it was before.
  template <class F>
  void expect_rejected(F&& f, ErrorCode code, const std::string& field = {}) {
    const std::string before = dump(path_);
    try {
      f();
      ADD_FAILURE() << "expected layoffs::Error " << to_string(code) << ", nothing was thrown";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      if (!field.empty()) {
        EXPECT_EQ(e.field(), field) << e.what();
      }
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
    EXPECT_EQ(dump(path_), before) << "the database changed";
  }
};

}  // namespace layoffs::test
