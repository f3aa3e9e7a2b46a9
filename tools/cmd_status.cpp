// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// layoffs status ID active|superseded|retracted [--note TEXT]: marks an event
// superseded or retracted (it stays listed and exported, and counts in no
// total), or active again.
#include <iostream>
#include <memory>

#include "commands.h"

namespace layoffs::cli {

void add_status_commands(Registry& r) {
  struct Args {
    std::int64_t id = 0;
    std::string status, note;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = r.app.add_subcommand(
      "status", "Mark an event superseded or retracted (left out of totals), or active again");
  cmd->add_option("id", a->id, "Event id")->required();
  cmd->add_option("status", a->status, "active, superseded or retracted")
      ->required()
      ->check(CLI::IsMember({"active", "superseded", "retracted"}));
  cmd->add_option("--note", a->note, "Why (\"denied by the company on 2023-02-01\")");
  const std::string& db = r.db;
  r.handle(cmd, [a, &db] {
    Tracker t = Tracker::open(db);
    const EventStatus status = parse_event_status(a->status, "status");
    t.set_status(EventId(a->id), status, a->note);
    const Event e = t.event(EventId(a->id));
    std::cout << "event " << e.id.value() << " (" << e.company_name << " "
              << e.announced_on.to_string() << " " << e.headcount.phrase() << ") is now "
              << to_string(e.status)
              << (e.status == EventStatus::active ? ": it counts again"
                                                  : ": listed, but left out of every total")
              << "\n";
    return kOk;
  });
}

}  // namespace layoffs::cli
