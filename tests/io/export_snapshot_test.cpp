// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Every export is one read snapshot (issue 13): a write committed by another
// connection while an export runs is either wholly in the file or wholly not,
// so an export never holds an event whose company it lacks, or an inclusion
// naming an event it does not hold.
#include <atomic>
#include <chrono>
#include <functional>
#include <set>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "export.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

// A stream buffer that keeps what is written and calls `hook` once, at the
// first write: by then the exporter has begun reading.
class HookedBuffer : public std::streambuf {
 public:
  explicit HookedBuffer(std::function<void()> hook) : hook_(std::move(hook)) {}
  const std::string& text() const { return text_; }

 protected:
  int_type overflow(int_type c) override {
    fire();
    if (c != traits_type::eof()) {
      text_ += traits_type::to_char_type(c);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    fire();
    text_.append(s, static_cast<std::size_t>(n));
    return n;
  }

 private:
  void fire() {
    if (hook_) {
      auto hook = std::move(hook_);
      hook_ = nullptr;
      hook();
    }
  }
  std::function<void()> hook_;
  std::string text_;
};

// Records, through `writer`, a new company and an event of it: an export
// that read companies before the write and events after would hold an event
// whose company it lacks.
void write_meanwhile(Tracker& writer, int n) {
  const CompanyId fresh = writer.add_company({.name = "Fresh " + std::to_string(n)});
  writer.record({.company = fresh,
                 .announced_on = Date::ymd(2023, 5, 1),
                 .headcount = Headcount::exact(7),
                 .key = "fresh-" + std::to_string(n)});
}

class ExportSnapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("snap.db");
    Tracker t = Tracker::open(path_);
    const CompanyId acme = t.add_company({.name = "Acme"});
    for (int i = 0; i < 50; ++i) {
      t.record({.company = acme,
                .announced_on = Date::ymd(2020, 1, 1).plus_days(i),
                .headcount = Headcount::exact(100 + i),
                .key = "acme-" + std::to_string(i)});
    }
  }

  using Exporter = void (*)(const Tracker&, std::ostream&);

  // The export with another connection's write committed at its first
  // output, and the export of the file as it was before that write.
  std::pair<std::string, std::string> export_with_write(Exporter exporter) {
    Tracker reader = Tracker::open(path_, {.read_only = true});
    std::ostringstream before;
    exporter(reader, before);
    Tracker writer = Tracker::open(path_);
    HookedBuffer buffer([&] { write_meanwhile(writer, 1); });
    std::ostream out(&buffer);
    exporter(reader, out);
    EXPECT_EQ(writer.count_events(), 51) << "the write did not happen";
    return {buffer.text(), before.str()};
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(ExportSnapshot, JsonLinesIsTheStateWhenTheExportBegan) {
  const auto [during, before] = export_with_write(&io::export_jsonl);
  EXPECT_EQ(during, before);
  Tracker t = Tracker::open(path_, {.read_only = true});
  std::ostringstream after;
  io::export_jsonl(t, after);
  EXPECT_NE(after.str().find("Fresh 1"), std::string::npos);  // and the next sees the write
}

TEST_F(ExportSnapshot, CsvIsTheStateWhenTheExportBegan) {
  const auto [during, before] = export_with_write(&io::export_csv);
  EXPECT_EQ(during, before);
}

// The value of a top-level string member of a JSON Lines line.
std::string member(const std::string& line, const std::string& name) {
  const std::string marker = "\"" + name + "\":\"";
  const auto at = line.find(marker);
  if (at == std::string::npos) {
    return {};
  }
  const auto start = at + marker.size();
  return line.substr(start, line.find('"', start) - start);
}

TEST_F(ExportSnapshot, ExportsWhileAnotherThreadWritesAreConsistent) {
  // A writer thread with its own Tracker commits companies, events and
  // inclusions as fast as it can while this thread exports again and again;
  // every export must be self-consistent.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer_thread([&] {
    Tracker writer = Tracker::open(path_);
    for (int n = 0; !stop; ++n) {
      const CompanyId c = writer.add_company({.name = "Writer Co " + std::to_string(n)});
      const EventId first = writer.record({.company = c,
                                           .announced_on = Date::ymd(2022, 1, 1),
                                           .headcount = Headcount::exact(10),
                                           .key = "w-" + std::to_string(n) + "-a"});
      writer.record({.company = c,
                     .announced_on = Date::ymd(2022, 2, 1),
                     .headcount = Headcount::exact(30),
                     .includes = {first},
                     .key = "w-" + std::to_string(n) + "-b"});
      written = n + 1;
    }
  });
  Tracker reader = Tracker::open(path_, {.read_only = true});
  int exports = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline || exports < 5) {
    std::ostringstream out;
    io::export_jsonl(reader, out);
    ++exports;
    std::set<std::string> companies, keys;
    std::vector<std::string> events;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) {
      const std::string type = member(line, "type");
      if (type == "company") {
        companies.insert(member(line, "name"));
      } else if (type == "event") {
        keys.insert(member(line, "key"));
        events.push_back(line);
      }
    }
    for (const std::string& line : events) {
      EXPECT_TRUE(companies.count(member(line, "company")))
          << "export " << exports << ": an event of a company not in the file: " << line;
      const auto inc = line.find("\"includes\":[\"");
      if (inc != std::string::npos) {
        const auto start = inc + 13;
        const std::string included = line.substr(start, line.find('"', start) - start);
        EXPECT_TRUE(keys.count(included))
            << "export " << exports << ": includes an event not in the file: " << line;
      }
    }
    if (::testing::Test::HasFailure()) {
      break;
    }
  }
  stop = true;
  writer_thread.join();
  EXPECT_GT(written.load(), 0);
  EXPECT_GE(exports, 5);
}

}  // namespace
}  // namespace layoffs::test
