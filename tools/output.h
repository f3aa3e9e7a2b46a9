// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// How the CLI shows things: aligned tables for people, JSON for programs.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <layoffs/layoffs.h>

namespace layoffs::cli {

using Json = nlohmann::ordered_json;

// A table printed with columns padded to their widest cell (by UTF-8 code
// points, so "Ualá" lines up). Columns named in `right_aligned` are numbers.
class Table {
 public:
  explicit Table(std::vector<std::string> header, std::vector<bool> right_aligned = {});
  void add(std::vector<std::string> row);
  void print(std::ostream& out) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

// "at least 27,000 (4 events selected: 2 counted, 2 inside another)", then
// ", 1 superseded", ", 1 retracted" and "; 1 counted with no count" where
// they apply: the words of Total's fields.
std::string describe(const Total& t);
// "note: 57 filings are not linked to an announcement and are counted on
// their own; run 'layoffs match' to review" when t.unmatched_filings > 0
// (the total counts announcements too), else "".
std::string unmatched_note(const Total& t);

Json to_json(const Total& t);
Json to_json(const Event& e);
Json to_json(const Company& c, const std::string& parent_name);
Json to_json(const Reconciliation& r);

// "300–999" style bounds of a headcount: "[300, 999]" or "[18,000, unbounded)".
std::string bounds(const Headcount& h);

}  // namespace layoffs::cli
