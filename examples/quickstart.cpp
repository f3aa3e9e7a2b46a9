// The shortest useful program: record two announcements, one of which
// includes the other, and ask for the honest total.
#include <iostream>

#include <layoffs/layoffs.h>

int main() {
  auto tracker = layoffs::Tracker::open("quickstart.db");

  const auto amazon = tracker.ensure_company({.name = "Amazon"});
  const auto nov = tracker.record({.company = amazon,
                                   .announced_on = layoffs::Date::parse("2022-11-16"),
                                   .headcount = layoffs::Headcount::parse("about 10,000")});
  tracker.record({.company = amazon,
                  .announced_on = layoffs::Date::parse("2023-01-04"),
                  .headcount = layoffs::Headcount::parse("just over 18,000"),
                  .includes = {nov}});  // November's people are inside January's figure

  const layoffs::Total total = tracker.total({.company = amazon});
  std::cout << "Amazon: " << total.to_string() << "\n";  // Amazon: at least 18,000
}
