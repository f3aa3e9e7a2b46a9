// A program outside the layoffs tree, built against an installed copy
// (find_package / pkg-config) or a source tree (add_subdirectory).
#include <cstdio>
#include <string>

#include <layoffs/layoffs.h>

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "consumer.db";
  try {
    auto tracker = layoffs::Tracker::open(path);
    const auto acme = tracker.ensure_company({.name = "Acme"});
    tracker.record({.company = acme,
                    .announced_on = layoffs::Date::parse("2024-03-01"),
                    .headcount = layoffs::Headcount::parse("several hundred")});
    const auto total = tracker.total({.company = acme});
    std::printf("layoffs %s: Acme %s\n", layoffs::kVersion, total.to_string().c_str());
    return total.low == 300 && total.high == 999 ? 0 : 1;
  } catch (const layoffs::Error& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 1;
  }
}
