// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The report in a real browser: Debian's chromium, headless. For the Amazon
// example (a company report) and the shared layoffs.fyi file (all
// companies) it checks that
//  - the DOM the browser built holds every section and chart;
//  - every number in the headline and in the timeline and company tables is
//    what `layoffs total --json` says for the same filter;
//  - the page makes no network request (the browser's own net log) and logs
//    nothing to the console;
//  - the screenshot is not blank, and the page prints to PDF on letter and A4.
// Screenshots, DOM dumps and PDFs stay in <build>/report-artifacts for CI to
// keep. Without chromium the tests are skipped with a message saying so; CI
// installs it (.ci/install-deps).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <layoffs/layoffs.h>

#include "amazon_facts.h"
#include "test_util.h"

namespace layoffs::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string find_chromium() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    for (const char* name : {"chromium", "chromium-browser"}) {
      const fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
      if (::access(candidate.c_str(), X_OK) == 0) {
        return candidate.string();
      }
    }
    start = end + 1;
  }
  return {};
}

struct Proc {
  int code = -1;
  std::string out, err;
};

// Runs `argv` with stdout and stderr captured (stdin from /dev/null).
Proc run(const std::vector<std::string>& args, const fs::path& dir) {
  const std::string out_path = (dir / ".out").string(), err_path = (dir / ".err").string();
  const pid_t pid = fork();
  if (pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    unsetenv("LAYOFFS_DB");
    std::vector<std::string> copies(args);
    std::vector<char*> argv;
    for (auto& a : copies) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    execv(copies[0].c_str(), argv.data());
    _exit(121);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out_path), read_file(err_path)};
}

Proc layoffs_cli(const std::string& db, std::vector<std::string> args, const fs::path& dir) {
  args.insert(args.begin(), {LAYOFFS_CLI, "--db", db});
  return run(args, dir);
}

// ---- PNG: enough of the format to count the pixels chromium drew ------------

struct Image {
  unsigned width = 0, height = 0;
  std::vector<unsigned char> rgb;  // 3 bytes a pixel
};

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t(static_cast<unsigned char>(s[at])) << 24) |
         (std::uint32_t(static_cast<unsigned char>(s[at + 1])) << 16) |
         (std::uint32_t(static_cast<unsigned char>(s[at + 2])) << 8) |
         std::uint32_t(static_cast<unsigned char>(s[at + 3]));
}

// Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what chromium writes).
Image decode_png(const std::string& png) {
  Image img;
  if (png.size() < 33 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    throw std::runtime_error("not a PNG");
  }
  std::string idat;
  int channels = 0;
  for (std::size_t at = 8; at + 8 <= png.size();) {
    const std::uint32_t len = be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    if (type == "IHDR") {
      img.width = be32(png, at + 8);
      img.height = be32(png, at + 12);
      const int depth = png[at + 16], colour = png[at + 17], interlace = png[at + 20];
      if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0) {
        throw std::runtime_error("unsupported PNG layout");
      }
      channels = colour == 2 ? 3 : 4;
    } else if (type == "IDAT") {
      idat += png.substr(at + 8, len);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + len;
  }
  const std::size_t stride = std::size_t(img.width) * channels;
  std::vector<unsigned char> raw((stride + 1) * img.height);
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) !=
          Z_OK ||
      raw_len != raw.size()) {
    throw std::runtime_error("PNG data does not inflate");
  }
  std::vector<unsigned char> prev(stride, 0), cur(stride);
  img.rgb.reserve(std::size_t(img.width) * img.height * 3);
  for (unsigned y = 0; y < img.height; ++y) {
    const unsigned char filter = raw[y * (stride + 1)];
    const unsigned char* line = &raw[y * (stride + 1) + 1];
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= std::size_t(channels) ? cur[i - channels] : 0;
      const int b = prev[i];
      const int c = i >= std::size_t(channels) ? prev[i - channels] : 0;
      int pred = 0;
      switch (filter) {
        case 1:
          pred = a;
          break;
        case 2:
          pred = b;
          break;
        case 3:
          pred = (a + b) / 2;
          break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          pred = 0;
      }
      cur[i] = static_cast<unsigned char>(line[i] + pred);
    }
    for (unsigned x = 0; x < img.width; ++x) {
      for (int k = 0; k < 3; ++k) {
        img.rgb.push_back(cur[x * channels + k]);
      }
    }
    std::swap(prev, cur);
  }
  return img;
}

// ---- the browser ----------------------------------------------------------------

class Browser {
 public:
  explicit Browser(std::string binary) : binary_(std::move(binary)) {}

  // chromium with nothing of its own to fetch (no updates, no sync), every
  // host name unresolvable (so a request the page made would fail and show
  // in the net log), and its logging on stderr.
  Proc render(const fs::path& html, const std::vector<std::string>& what,
              const fs::path& work) const {
    const fs::path profile = work / ("profile-" + std::to_string(++runs_));
    std::vector<std::string> args = {binary_,
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--hide-scrollbars",
                                     "--no-first-run",
                                     "--user-data-dir=" + profile.string(),
                                     "--disable-background-networking",
                                     "--disable-component-update",
                                     "--disable-sync",
                                     "--disable-default-apps",
                                     "--disable-domain-reliability",
                                     "--no-pings",
                                     "--host-resolver-rules=MAP * ~NOTFOUND",
                                     "--force-device-scale-factor=1",
                                     "--enable-logging=stderr",
                                     "--v=0"};
    args.insert(args.end(), what.begin(), what.end());
    args.push_back("file://" + fs::absolute(html).string());
    return run(args, work);
  }

 private:
  std::string binary_;
  mutable int runs_ = 0;
};

// The URLs a page loaded from file:// asked the network for, from chromium's
// net log (requests of the browser itself have another isolation key).
std::vector<std::string> page_requests(const std::string& net_log_path) {
  std::vector<std::string> urls;
  const std::string text = read_file(net_log_path);
  if (text.empty()) {
    throw std::runtime_error("no net log at " + net_log_path);
  }
  // A log cut short at exit lacks its closing brackets; close them.
  Json log = Json::parse(text, nullptr, false);
  if (log.is_discarded()) {
    std::string fixed = text;
    while (!fixed.empty() && (fixed.back() == '\n' || fixed.back() == ',')) {
      fixed.pop_back();
    }
    log = Json::parse(fixed + "]}", nullptr, false);
  }
  if (log.is_discarded()) {
    throw std::runtime_error("unreadable net log " + net_log_path);
  }
  const auto& types = log["constants"]["logEventTypes"];
  const int start_job = types.value("URL_REQUEST_START_JOB", -1);
  for (const auto& e : log["events"]) {
    if (e.value("type", -2) != start_job || !e.contains("params")) {
      continue;
    }
    const auto& p = e["params"];
    const std::string key = p.value("network_isolation_key", "");
    const std::string url = p.value("url", "");
    if (key.find("file://") != std::string::npos && url.rfind("file://", 0) != 0) {
      urls.push_back(url);
    }
  }
  return urls;
}

std::string cell(const std::string& row, const std::string& cls) {
  const std::regex re("<td class=\"n " + cls + "\">([^<]*)</td>");
  std::smatch m;
  return std::regex_search(row, m, re) ? m[1].str() : "(missing " + cls + ")";
}

std::string field(const std::string& dom, const std::string& name) {
  const std::regex re("data-field=\"" + name + "\">([^<]*)<");
  std::smatch m;
  return std::regex_search(dom, m, re) ? m[1].str() : "(missing " + name + ")";
}

// What the page prints for a number, as the CLI's JSON gives it.
std::string count_text(const Json& v) {
  return v.is_null() ? "unbounded" : format_count(v.get<std::int64_t>());
}

// A headcount text in the DOM: chromium serializes "–" as itself and "&" as &amp;.
std::string dom_text(std::string s) {
  return std::regex_replace(s, std::regex("&"), "&amp;");
}

// The rows of the table that follows the chart `section`, by data-group.
std::map<std::string, std::string> table_rows(const std::string& dom, const std::string& section) {
  std::map<std::string, std::string> rows;
  const auto begin = dom.find("<section id=\"" + section + "\"");
  const auto end = dom.find("</section>", begin);
  const std::string part = dom.substr(begin, end - begin);
  const std::regex re("<tr data-group=\"([^\"]*)\">(.*?)</tr>");
  for (auto it = std::sregex_iterator(part.begin(), part.end(), re); it != std::sregex_iterator();
       ++it) {
    rows[(*it)[1].str()] = (*it)[2].str();
  }
  return rows;
}

struct Case {
  std::string name;                 // artifact prefix
  std::string db;                   // database path
  std::vector<std::string> filter;  // CLI filter flags
  std::string by;                   // the timeline's grouping (--by)
};

class ReportInBrowser : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    chromium_ = find_chromium();
    if (chromium_.empty()) {
      return;
    }
    dir_ = new TempDir();
    artifacts_ = LAYOFFS_REPORT_ARTIFACTS;
    fs::create_directories(artifacts_);

    amazon_ = {"amazon", dir_->file("amazon.db"), {"--company", "Amazon"}, "month"};
    {
      auto t = Tracker::open(amazon_.db);
      const auto facts = examples::record_amazon_facts(t);
      // As examples/amazon_layoffs does: Washington's WARN notice, linked to
      // the March 2023 announcement, so the page has a coverage chart.
      const EventId wa_notice = t.record({.company = facts.amazon,
                                          .announced_on = Date::parse("2023-03-19"),
                                          .headcount = Headcount::exact(2'320),
                                          .kind = EventKind::filing,
                                          .us_state = "WA"});
      t.link(facts.mar_2023, std::vector<EventId>{wa_notice});
    }
    fyi_ = {"layoffs_fyi", dir_->file("fyi.db"), {}, "quarter"};
    const Proc imported =
        layoffs_cli(fyi_.db,
                    {"import", std::string(LAYOFFS_SHARED_DATA_DIR) + "/layoffs_fyi_2020_2023.csv",
                     "--skip-bad"},
                    dir_->path());
    if (imported.code != 0) {
      setup_error_ = "import failed: " + imported.err;
    }
    // WARN notices: filings with a state, for the tile map.
    warn_ = {"warn", dir_->file("warn.db"), {}, "quarter"};
    const Proc warn_imported = layoffs_cli(
        warn_.db,
        {"import", std::string(LAYOFFS_SHARED_DATA_DIR) + "/warn_bln_integrated_slice_2023-01.csv"},
        dir_->path());
    if (warn_imported.code != 0) {
      setup_error_ += "WARN import failed: " + warn_imported.err;
    }
    const Browser browser(chromium_);
    for (Case* c : {&amazon_, &fyi_, &warn_}) {
      const std::string html = (artifacts_ / (c->name + "_report.html")).string();
      std::vector<std::string> args = {"report", "-o", html};
      args.insert(args.end(), c->filter.begin(), c->filter.end());
      const Proc made = layoffs_cli(c->db, args, dir_->path());
      if (made.code != 0) {
        setup_error_ += c->name + ": report failed: " + made.err;
        continue;
      }
      const fs::path net_log = dir_->path() / (c->name + "-net.json");
      const Proc dom =
          browser.render(html, {"--log-net-log=" + net_log.string(), "--dump-dom"}, dir_->path());
      write_file((artifacts_ / (c->name + "_dom.html")).string(), dom.out);
      dom_[c->name] = dom;
      net_logs_[c->name] = net_log.string();
      shot_[c->name] =
          browser.render(html,
                         {"--window-size=800,2400",
                          "--screenshot=" + (artifacts_ / (c->name + "_report.png")).string()},
                         dir_->path());
      // The page leaves the paper size to the printer; the same page forced
      // to A4 (chromium's default is letter) must print too.
      std::string a4 = read_file(html);
      a4.replace(a4.find("</style>"), 0, "@page { size: A4; }\n");
      const fs::path a4_html = dir_->path() / (c->name + "_a4.html");
      write_file(a4_html.string(), a4);
      pdf_[c->name + "_a4"] =
          browser.render(a4_html,
                         {"--print-to-pdf=" + (artifacts_ / (c->name + "_report_a4.pdf")).string(),
                          "--no-pdf-header-footer"},
                         dir_->path());
      pdf_[c->name] =
          browser.render(html,
                         {"--print-to-pdf=" + (artifacts_ / (c->name + "_report.pdf")).string(),
                          "--no-pdf-header-footer"},
                         dir_->path());
    }
  }

  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    if (chromium_.empty()) {
      GTEST_SKIP() << "chromium is not installed, so the report cannot be checked in a browser "
                      "(apt-get install chromium; CI installs it through .ci/install-deps)";
    }
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  }

  Json total_json(const Case& c, const std::string& by = {}) {
    std::vector<std::string> args = {"total", "--json"};
    args.insert(args.end(), c.filter.begin(), c.filter.end());
    if (!by.empty()) {
      args.insert(args.end(), {"--by", by});
    }
    const Proc p = layoffs_cli(c.db, args, dir_->path());
    EXPECT_EQ(p.code, 0) << p.err;
    return Json::parse(p.out);
  }

  void check_numbers(const Case& c) {
    const std::string& dom = dom_[c.name].out;
    ASSERT_FALSE(dom.empty()) << dom_[c.name].err;
    const Json t = total_json(c);
    EXPECT_EQ(field(dom, "text"), dom_text(t["text"].get<std::string>()));
    EXPECT_EQ(field(dom, "low"), count_text(t["low"]));
    EXPECT_EQ(field(dom, "high"), count_text(t["high"]));
    EXPECT_EQ(field(dom, "estimate"), count_text(t["estimate"]));
    for (const char* name : {"selected_events", "counted_events", "inside_events",
                             "superseded_events", "retracted_events"}) {
      EXPECT_EQ(field(dom, name), std::to_string(t[name].get<int>())) << name;
    }
    EXPECT_EQ(field(dom, "unknown_events"), std::to_string(t["unknown_events"].get<int>()));

    // The timeline's table: exactly the periods the CLI reports (the page
    // says the others have no events), with the same numbers.
    const auto rows = table_rows(dom, "timeline");
    ASSERT_FALSE(rows.empty());
    std::set<std::string> seen;
    for (const auto& g : total_json(c, c.by)) {
      const std::string label = g["group"];
      ASSERT_TRUE(rows.count(label)) << c.name << ": no timeline row for " << label;
      const std::string& row = rows.at(label);
      EXPECT_EQ(cell(row, "total"), dom_text(g["text"])) << label;
      EXPECT_EQ(cell(row, "low"), count_text(g["low"])) << label;
      EXPECT_EQ(cell(row, "high"), count_text(g["high"])) << label;
      EXPECT_EQ(cell(row, "estimate"), count_text(g["estimate"])) << label;
      EXPECT_EQ(cell(row, "events"), std::to_string(g["selected_events"].get<int>())) << label;
      EXPECT_EQ(cell(row, "unknown"), std::to_string(g["unknown_events"].get<int>())) << label;
      seen.insert(label);
    }
    EXPECT_EQ(seen.size(), rows.size()) << c.name << ": a timeline row the CLI does not have";

    // The companies table: the rows it shows are the CLI's, in its order.
    const auto company_rows = table_rows(dom, "companies");
    ASSERT_FALSE(company_rows.empty());
    std::size_t matched = 0;
    for (const auto& g : total_json(c, "company")) {
      const auto it = company_rows.find(dom_text(g["group"]));
      if (it == company_rows.end()) {
        continue;  // beyond the rows the page shows
      }
      ++matched;
      EXPECT_EQ(cell(it->second, "total"), dom_text(g["text"])) << g["group"];
      EXPECT_EQ(cell(it->second, "estimate"), count_text(g["estimate"])) << g["group"];
      EXPECT_EQ(cell(it->second, "high"), count_text(g["high"])) << g["group"];
    }
    EXPECT_EQ(matched, company_rows.size()) << c.name << ": a company row the CLI does not have";
  }

  void check_offline(const Case& c) {
    const Proc& dom = dom_[c.name];
    EXPECT_EQ(dom.code, 0) << dom.err;
    // No console message at all (the page has no script; a CSS or SVG error
    // would show here too).
    EXPECT_EQ(dom.err.find(":CONSOLE"), std::string::npos) << dom.err;
    const auto requests = page_requests(net_logs_[c.name]);
    EXPECT_TRUE(requests.empty()) << c.name << " asked the network for " << requests.front();
    // Nothing in the built DOM points outside except the sources' links,
    // which a browser does not fetch.
    const std::regex src("\\ssrc=\"");
    EXPECT_FALSE(std::regex_search(dom.out, src));
    EXPECT_EQ(dom.out.find("<link"), std::string::npos);
    const std::regex href("<a href=\"([^\"]*)\"");
    const std::string& d = dom.out;
    for (auto it = std::sregex_iterator(d.begin(), d.end(), href); it != std::sregex_iterator();
         ++it) {
      const std::string url = (*it)[1].str();
      const auto at = static_cast<std::size_t>(it->position());
      const bool in_events = at > d.find("<section id=\"events\"");
      EXPECT_TRUE(url.rfind("#", 0) == 0 || (in_events && url.rfind("http", 0) == 0))
          << "link outside the event sources: " << url;
    }
  }

  void check_screenshot(const Case& c) {
    const Proc& p = shot_[c.name];
    EXPECT_EQ(p.code, 0) << p.err;
    const Image img = decode_png(read_file((artifacts_ / (c.name + "_report.png")).string()));
    ASSERT_EQ(img.width, 800u);
    ASSERT_EQ(img.height, 2400u);
    std::size_t ink = 0, blue = 0;
    for (std::size_t i = 0; i + 2 < img.rgb.size(); i += 3) {
      const int r = img.rgb[i], g = img.rgb[i + 1], b = img.rgb[i + 2];
      ink += (r < 200 || g < 200 || b < 200) ? 1 : 0;
      // The palette's blue (#0072B2) of the bars and the headline.
      blue += (r < 40 && g > 90 && g < 140 && b > 150 && b < 210) ? 1 : 0;
    }
    const double pixels = double(img.width) * img.height;
    EXPECT_GT(double(ink) / pixels, 0.02) << c.name << ": the screenshot is (nearly) blank";
    EXPECT_GT(blue, 2000u) << c.name << ": no chart drawn in the screenshot";
  }

  // `paper` matches the MediaBox in points: letter "612 792", A4 "595.. 841..".
  void check_pdf(const Case& c, const std::string& variant, const std::string& paper) {
    const Proc& p = pdf_[c.name + variant];
    EXPECT_EQ(p.code, 0) << p.err;
    const std::string pdf =
        read_file((artifacts_ / (c.name + "_report" + variant + ".pdf")).string());
    ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u) << c.name << variant << ": no PDF";
    const std::regex page("/Type\\s*/Page[^s]");
    const auto pages =
        std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator());
    EXPECT_GE(pages, 2) << c.name << variant;
    const std::regex box("/MediaBox\\s*\\[0 0 (" + paper + ")\\]");
    EXPECT_TRUE(std::regex_search(pdf, box)) << c.name << variant << ": not on " << paper;
  }

  static inline std::string chromium_;
  static inline TempDir* dir_ = nullptr;
  static inline fs::path artifacts_;
  static inline std::string setup_error_;
  static inline Case amazon_, fyi_, warn_;
  static inline std::map<std::string, Proc> dom_, shot_, pdf_;
  static inline std::map<std::string, std::string> net_logs_;
};

TEST_F(ReportInBrowser, DomHoldsEverySection) {
  for (const Case* c : {&amazon_, &fyi_}) {
    const std::string& dom = dom_[c->name].out;
    for (const char* id : {"headline", "timeline", "companies", "industry", "country", "states",
                           "claims", "coverage", "events", "data-quality"}) {
      EXPECT_NE(dom.find(std::string("<section id=\"") + id + "\""), std::string::npos)
          << c->name << ": no section " << id;
    }
    EXPECT_NE(dom.find("<svg id=\"timeline\""), std::string::npos) << c->name;
    EXPECT_NE(dom.find("<svg id=\"companies\""), std::string::npos) << c->name;
  }
  // The Amazon example has a claim to reconcile; its chart is drawn.
  EXPECT_NE(dom_["amazon"].out.find("<svg id=\"claims\""), std::string::npos);
  EXPECT_NE(dom_["amazon"].out.find("consistent"), std::string::npos);
  // Its Washington WARN notice is linked to the March 2023 announcement.
  EXPECT_NE(dom_["amazon"].out.find("<svg id=\"coverage\""), std::string::npos);
}

TEST_F(ReportInBrowser, AmazonNumbersEqualLayoffsTotalJson) {
  check_numbers(amazon_);
}

TEST_F(ReportInBrowser, LayoffsFyiNumbersEqualLayoffsTotalJson) {
  check_numbers(fyi_);
}

// The WARN slice: the tile map and its table say what
// `layoffs total --kind filing --by state --json` says.
TEST_F(ReportInBrowser, WarnStatesEqualLayoffsTotalJson) {
  check_numbers(warn_);
  const std::string& dom = dom_["warn"].out;
  ASSERT_NE(dom.find("<svg id=\"states\""), std::string::npos);
  const auto rows = table_rows(dom, "states");
  Case filings = warn_;
  filings.filter = {"--kind", "filing"};
  std::size_t states = 0;
  for (const auto& g : total_json(filings, "state")) {
    const std::string code = g["group"];
    if (code == "(none)") {
      continue;
    }
    ++states;
    ASSERT_TRUE(rows.count(code)) << "no row for " << code;
    EXPECT_EQ(cell(rows.at(code), "total"), dom_text(g["text"])) << code;
    EXPECT_EQ(cell(rows.at(code), "estimate"), count_text(g["estimate"])) << code;
    EXPECT_EQ(cell(rows.at(code), "events"), std::to_string(g["selected_events"].get<int>()))
        << code;
    // Its tile is shaded (not the grey of "none on file").
    const std::regex tile("<g class=\"tile\" data-state=\"" + code +
                          "\">\\s*<title>[^<]*</title>\\s*<rect[^>]*fill=\"(#[0-9a-fA-F]{6})\"");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(dom, m, tile)) << code;
    EXPECT_NE(m[1].str(), "#f2f2f2") << code;
  }
  EXPECT_GE(states, 10u);
  EXPECT_EQ(rows.size(), states);
}

TEST_F(ReportInBrowser, NoRequestAndNoConsoleMessage) {
  check_offline(amazon_);
  check_offline(fyi_);
  check_offline(warn_);
}

TEST_F(ReportInBrowser, ScreenshotIsNotBlank) {
  check_screenshot(amazon_);
  check_screenshot(fyi_);
  check_screenshot(warn_);
}

TEST_F(ReportInBrowser, PrintsToPdfOnLetterAndA4) {
  for (const Case* c : {&amazon_, &fyi_}) {
    check_pdf(*c, "", "612 792");
    check_pdf(*c, "_a4", "59[45][.0-9]* 84[12][.0-9]*");
  }
}

// The checks above would see a page that fetched something or logged to the
// console: a page that does both is caught.
TEST_F(ReportInBrowser, TheOfflineCheckCatchesARequestAndAConsoleMessage) {
  const fs::path bad = dir_->path() / "bad.html";
  write_file(bad.string(),
             "<!DOCTYPE html><html><body><img src=\"http://example.com/x.png\">"
             "<script>console.error('boom')</script></body></html>");
  const fs::path net_log = dir_->path() / "bad-net.json";
  const Proc p = Browser(chromium_).render(bad, {"--log-net-log=" + net_log.string(), "--dump-dom"},
                                           dir_->path());
  EXPECT_NE(p.err.find(":CONSOLE"), std::string::npos) << p.err;
  const auto requests = page_requests(net_log.string());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests.front(), "http://example.com/x.png");
}

}  // namespace
}  // namespace layoffs::test
