// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The README's command-line session, run as printed: each "$ layoffs ..."
// line of the block between the cli-session markers is executed and its
// output compared with the lines the README shows under it. Only the
// import's timing ("0.09 s") may differ.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_util.h"

namespace layoffs::test {
namespace {

struct Step {
  std::vector<std::string> args;
  std::string expected;
};

// Splits a shell line into words; handles the plain words the README uses.
std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) {
    out.push_back(w);
  }
  return out;
}

std::vector<Step> readme_session() {
  const std::string readme = read_file(std::string(LAYOFFS_SOURCE_DIR) + "/README.md");
  const auto begin = readme.find("<!-- cli-session:begin -->");
  const auto end = readme.find("<!-- cli-session:end -->");
  EXPECT_NE(begin, std::string::npos);
  EXPECT_NE(end, std::string::npos);
  std::istringstream block(readme.substr(begin, end - begin));
  std::vector<Step> steps;
  for (std::string line; std::getline(block, line);) {
    if (line.rfind("$ layoffs ", 0) == 0) {
      steps.push_back({words(line.substr(std::string("$ layoffs ").size())), {}});
    } else if (line.rfind("$ ", 0) == 0 || line.rfind("```", 0) == 0 ||
               line.rfind("<!--", 0) == 0) {
      continue;  // the PATH line and the markup
    } else if (!steps.empty()) {
      steps.back().expected += line + "\n";
    }
  }
  return steps;
}

// Runs the CLI in `cwd` and returns its standard output.
std::string run(const std::filesystem::path& cwd, std::vector<std::string> args) {
  const std::string out_path = (cwd / ".out").string();
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) {
      _exit(120);
    }
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    unsetenv("LAYOFFS_DB");
    std::string program = LAYOFFS_CLI;
    std::vector<char*> argv{program.data()};
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(121);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << args[0];
  return read_file(out_path);
}

std::string without_timing(const std::string& text) {
  return std::regex_replace(text, std::regex(R"(, [0-9]+\.[0-9]+ s\n)"), ", N s\n");
}

TEST(ReadmeSession, RunsAsPrinted) {
  const std::vector<Step> steps = readme_session();
  ASSERT_EQ(steps.size(), 4u);
  // The README runs from the repository's root, with shared/ beside it.
  TempDir dir;
  const auto repo = dir.path() / "repo";
  std::filesystem::create_directory(repo);
  std::filesystem::create_directory(repo / "build");  // README command 2 made it
  std::filesystem::create_directory_symlink(
      std::filesystem::path(LAYOFFS_SHARED_DATA_DIR).parent_path(), dir.path() / "shared");
  for (const Step& step : steps) {
    SCOPED_TRACE(step.args.at(2));
    EXPECT_EQ(without_timing(run(repo, step.args)), without_timing(step.expected));
  }
  // The export wrote a CSV with a header and one row per event.
  const std::string csv = read_file((repo / "build" / "fyi.csv").string());
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2356);
  // Every file the session wrote is where .gitignore covers it (build/).
  for (const auto& entry : std::filesystem::directory_iterator(repo)) {
    EXPECT_TRUE(entry.path().filename() == "build" || entry.path().filename() == ".out")
        << "the session wrote " << entry.path() << " outside build/";
  }
}

}  // namespace
}  // namespace layoffs::test
