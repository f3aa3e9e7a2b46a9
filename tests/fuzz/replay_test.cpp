// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Replays the checked-in corpus of every fuzz target as ordinary GoogleTest
// tests (FuzzCorpus/<Target>.Replays/<file>), so the targets build and run
// with any compiler and every crash once found stays fixed.
//
// The targets are compiled a second time for this binary with
// LLVMFuzzerTestOneInput renamed to layoffs_fuzz_<target> and
// LAYOFFS_FUZZ_REPLAY defined (a failed check throws instead of aborting).
// A corpus file named *.disabled is a reproducer of a known, unfixed library
// bug: it is listed, but skipped.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <layoffs/error.h>

#include "fuzz_check.h"

extern "C" int layoffs_fuzz_headcount_parse(const uint8_t* data, size_t size);
extern "C" int layoffs_fuzz_date_parse(const uint8_t* data, size_t size);
#ifdef LAYOFFS_FUZZ_HAVE_IO
extern "C" int layoffs_fuzz_csv_import(const uint8_t* data, size_t size);
extern "C" int layoffs_fuzz_jsonl_import(const uint8_t* data, size_t size);
extern "C" int layoffs_fuzz_mapped_import(const uint8_t* data, size_t size);
extern "C" int layoffs_fuzz_names(const uint8_t* data, size_t size);
#endif
extern "C" int layoffs_fuzz_oplog(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

using TargetFn = int (*)(const uint8_t*, size_t);

struct Seed {
  std::string path;
  std::string name;  // a valid test name, unique within the target
};

void PrintTo(const Seed& seed, std::ostream* os) {
  *os << seed.path;
}

fs::path corpus_dir(const std::string& target) {
  return fs::path(LAYOFFS_FUZZ_CORPUS_DIR) / target;
}

std::vector<Seed> seeds(const std::string& target) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(corpus_dir(target), ec)) {
    if (entry.is_regular_file()) {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Seed> out;
  for (const std::string& path : paths) {
    std::string name = fs::path(path).filename().string();
    for (char& c : name) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      c = ok ? c : '_';
    }
    const auto taken = [&](const std::string& n) {
      return std::any_of(out.begin(), out.end(), [&](const Seed& s) { return s.name == n; });
    };
    const std::string base = name;
    for (int i = 2; taken(name); ++i) {
      name = base + "_" + std::to_string(i);
    }
    out.push_back({path, name});
  }
  return out;
}

std::string seed_name(const testing::TestParamInfo<Seed>& info) {
  return info.param.name;
}

void replay(const Seed& seed, TargetFn target) {
  if (seed.path.size() > 9 && seed.path.compare(seed.path.size() - 9, 9, ".disabled") == 0) {
    GTEST_SKIP() << "disabled reproducer of a known library bug (see docs/FUZZING.md): "
                 << seed.path;
  }
  const std::string bytes = layoffs::fuzz::read_file(seed.path);
  try {
    target(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  } catch (const layoffs::fuzz::Failure& f) {
    FAIL() << seed.path << ": " << f.what();
  } catch (const layoffs::Error& e) {
    FAIL() << seed.path << ": a layoffs::Error escaped the target: " << e.what();
  } catch (const std::exception& e) {
    FAIL() << seed.path << ": an exception that is not a layoffs::Error escaped: " << e.what();
  }
}

#define LAYOFFS_FUZZ_CORPUS_SUITE(Suite, target)        \
  class Suite : public testing::TestWithParam<Seed> {}; \
  TEST_P(Suite, Replays) {                              \
    replay(GetParam(), &layoffs_fuzz_##target);         \
  }                                                     \
  INSTANTIATE_TEST_SUITE_P(FuzzCorpus, Suite, testing::ValuesIn(seeds(#target)), seed_name)

LAYOFFS_FUZZ_CORPUS_SUITE(HeadcountParse, headcount_parse);
LAYOFFS_FUZZ_CORPUS_SUITE(DateParse, date_parse);
#ifdef LAYOFFS_FUZZ_HAVE_IO
LAYOFFS_FUZZ_CORPUS_SUITE(CsvImport, csv_import);
LAYOFFS_FUZZ_CORPUS_SUITE(JsonlImport, jsonl_import);
LAYOFFS_FUZZ_CORPUS_SUITE(MappedImport, mapped_import);
LAYOFFS_FUZZ_CORPUS_SUITE(Names, names);
#endif
LAYOFFS_FUZZ_CORPUS_SUITE(Oplog, oplog);

// Every target has a corpus, and the corpora stay small enough to check in.
TEST(FuzzCorpus, EveryTargetHasASmallCorpus) {
  std::vector<std::string> targets{"headcount_parse", "date_parse", "oplog"};
#ifdef LAYOFFS_FUZZ_HAVE_IO
  targets.push_back("csv_import");
  targets.push_back("jsonl_import");
  targets.push_back("mapped_import");
  targets.push_back("names");
#endif
  for (const std::string& target : targets) {
    std::uintmax_t bytes = 0;
    const std::vector<Seed> all = seeds(target);
    for (const Seed& s : all) {
      bytes += fs::file_size(s.path);
    }
    EXPECT_GE(all.size(), 3u) << target;
    EXPECT_LE(all.size(), 80u) << target;
    EXPECT_LE(bytes, 256u * 1024u) << target;
  }
}

}  // namespace
