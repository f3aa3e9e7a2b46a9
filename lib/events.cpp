// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Tracker: recording, updating, deleting and reading events. The checks of
// an event's fields are in event_checks.cpp, claims in claims.cpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <unordered_set>

#include <layoffs/error.h>
#include <layoffs/tracker.h>

#include "event_checks.h"
#include "rows.h"
#include "text.h"
#include "tracker_impl.h"

namespace layoffs {

using detail::checked_text;
using detail::name_key;
using namespace detail::checks;

namespace {

std::int64_t id_of(SQLite::Statement& st) {
  return st.getColumn(0).getInt64();
}

// Finds or creates the tag and returns its id. REQUIRES: a write transaction.
std::int64_t upsert_department(Tracker::Impl& impl, const std::string& name,
                               const std::string& key) {
  impl.check_id_caches();
  if (const auto it = impl.department_ids.find(key); it != impl.department_ids.end()) {
    return it->second;
  }
  auto& find = impl.stmt("SELECT id FROM department WHERE name_key = ?");
  find.bind(1, key);
  std::int64_t id = 0;
  if (find.executeStep()) {
    id = id_of(find);
    find.reset();
  } else {
    auto& ins = impl.stmt("INSERT INTO department (name, name_key) VALUES (?, ?)");
    ins.bind(1, name);
    ins.bind(2, key);
    ins.exec();
    id = impl.db->getLastInsertRowid();
  }
  impl.department_ids.emplace(key, id);
  return id;
}

std::int64_t upsert_reason(Tracker::Impl& impl, const CheckedReason& r, const std::string& field) {
  impl.check_id_caches();
  std::optional<std::pair<std::int64_t, std::string>> known;  // id, stored category
  if (const auto it = impl.reason_ids.find(r.key); it != impl.reason_ids.end()) {
    known = it->second;
  } else {
    auto& find = impl.stmt("SELECT id, category FROM reason WHERE name_key = ?");
    find.bind(1, r.key);
    if (find.executeStep()) {
      known.emplace(id_of(find), detail::column_text(find, 1));
    }
    find.reset();
  }
  if (known) {
    const std::int64_t id = known->first;
    const std::string stored = known->second;
    impl.reason_ids[r.key] = *known;
    if (r.category) {
      const std::string given(to_string(*r.category));
      if (stored.empty()) {
        auto& upd = impl.stmt("UPDATE reason SET category = ? WHERE id = ?");
        upd.bind(1, given);
        upd.bind(2, static_cast<int64_t>(id));
        upd.exec();
        impl.reason_ids[r.key].second = given;
      } else if (stored != given) {
        throw invalid_field(field + ".category", given,
                            "conflicts with the category '" + stored +
                                "' already recorded for reason \"" + r.name + "\":");
      }
    }
    return id;
  }
  auto& ins = impl.stmt("INSERT INTO reason (name, name_key, category) VALUES (?, ?, ?)");
  ins.bind(1, r.name);
  ins.bind(2, r.key);
  if (r.category) {
    ins.bind(3, std::string(to_string(*r.category)));
  } else {
    ins.bind(3);
  }
  ins.exec();
  const std::int64_t id = impl.db->getLastInsertRowid();
  impl.reason_ids[r.key] = {id, r.category ? std::string(to_string(*r.category)) : std::string()};
  return id;
}

}  // namespace

// Reuses a source by URL, filling in fields it lacked.
std::int64_t detail::checks::upsert_source(Tracker::Impl& impl, const CheckedSource& s) {
  auto& st = impl.stmt(
      "INSERT INTO source (url, title, publisher, published_on, tier) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (url) DO UPDATE SET title = coalesce(source.title, excluded.title), "
      "publisher = coalesce(source.publisher, excluded.publisher), "
      "published_on = coalesce(source.published_on, excluded.published_on) "
      "RETURNING id");
  st.bind(1, s.url);
  detail::bind_text_or_null(st, 2, s.title);
  detail::bind_text_or_null(st, 3, s.publisher);
  if (s.published_on) {
    st.bind(4, s.published_on->iso());
  } else {
    st.bind(4);
  }
  st.bind(5, std::string(to_string(s.tier)));
  st.executeStep();
  const std::int64_t id = id_of(st);
  st.reset();
  return id;
}

namespace {

void bind_event_row(SQLite::Statement& st, const CheckedEvent& ev) {
  st.bind(1, static_cast<int64_t>(ev.company.value()));
  st.bind(2, ev.announced_on.iso());
  detail::bind_literal(st, 3, to_string(ev.announced_on.precision()));
  if (ev.effective_on) {
    st.bind(4, ev.effective_on->iso());
  } else {
    st.bind(4);
  }
  detail::bind_literal(st, 5, to_string(ev.headcount.kind()));
  st.bind(6, static_cast<int64_t>(ev.headcount.low()));
  detail::bind_optional(st, 7, ev.headcount.high());
  st.bind(8, static_cast<int64_t>(ev.headcount.estimate()));
  st.bind(9, ev.headcount.phrase());
  detail::bind_optional(st, 10, ev.workforce_pct);
  detail::bind_text_or_null(st, 11, ev.locations);
  detail::bind_text_or_null(st, 12, ev.country);
  detail::bind_text_or_null(st, 13, ev.notes);
  detail::bind_text_or_null(st, 14, ev.key);
  detail::bind_text_or_null(st, 15, ev.company_stage);
  detail::bind_optional(st, 16, ev.funds_raised_musd);
  detail::bind_literal(st, 17, to_string(ev.kind));
  detail::bind_literal(st, 18, to_string(ev.status));
  detail::bind_text_or_null(st, 19, ev.status_note);
  detail::bind_text_or_null(st, 20, ev.us_state);
  if (ev.added_on) {
    st.bind(22, ev.added_on->iso());
  } else {
    st.bind(22);
  }
}

// Writes departments, reasons, sources and inclusions of event `id`.
void insert_children(Tracker::Impl& impl, EventId id, const CheckedEvent& ev,
                     std::string_view prefix) {
  const auto event_id = static_cast<int64_t>(id.value());
  // `position` keeps the order given (schema 0005).
  for (std::size_t i = 0; i < ev.departments.size(); ++i) {
    const auto& [name, key] = ev.departments[i];
    auto& st = impl.stmt(
        "INSERT INTO event_department (event_id, department_id, position) VALUES (?, ?, ?)");
    st.bind(1, event_id);
    st.bind(2, static_cast<int64_t>(upsert_department(impl, name, key)));
    st.bind(3, static_cast<int64_t>(i));
    st.exec();
  }
  for (std::size_t i = 0; i < ev.reasons.size(); ++i) {
    const std::int64_t reason = upsert_reason(impl, ev.reasons[i], indexed(prefix, "reasons", i));
    auto& st =
        impl.stmt("INSERT INTO event_reason (event_id, reason_id, position) VALUES (?, ?, ?)");
    st.bind(1, event_id);
    st.bind(2, static_cast<int64_t>(reason));
    st.bind(3, static_cast<int64_t>(i));
    st.exec();
  }
  for (std::size_t i = 0; i < ev.sources.size(); ++i) {
    auto& st =
        impl.stmt("INSERT INTO event_source (event_id, source_id, position) VALUES (?, ?, ?)");
    st.bind(1, event_id);
    st.bind(2, static_cast<int64_t>(upsert_source(impl, ev.sources[i])));
    st.bind(3, static_cast<int64_t>(i));
    st.exec();
  }
  for (const EventId inc : ev.includes) {
    auto& st = impl.stmt(
        "INSERT INTO event_inclusion (including_event_id, included_event_id) VALUES (?, ?)");
    st.bind(1, event_id);
    st.bind(2, static_cast<int64_t>(inc.value()));
    st.exec();
  }
}

std::optional<EventId> find_by_key(Tracker::Impl& impl, const std::string& key) {
  if (impl.bulk.deferred) {
    return impl.bulk_find_key(key);
  }
  auto& st = impl.stmt("SELECT id FROM layoff_event WHERE external_key = ?");
  st.bind(1, key);
  std::optional<EventId> found;
  if (st.executeStep()) {
    found = EventId(st.getColumn(0).getInt64());
  }
  st.reset();
  return found;
}

// The event `ev` would duplicate: the one with its key if it has one, else
// one with the same company, date, headcount and first source (and no key).
std::optional<EventId> find_duplicate_checked(Tracker::Impl& impl, const CheckedEvent& ev,
                                              std::optional<EventId> except) {
  if (!ev.key.empty()) {
    const auto found = find_by_key(impl, ev.key);
    return found && found != except ? found : std::nullopt;
  }
  auto& st = impl.stmt(
      "SELECT e.id FROM layoff_event e "
      "WHERE e.company_id = ?1 AND e.announced_on = ?2 AND e.announced_precision = ?3 "
      "AND e.headcount_kind = ?4 AND e.headcount_low = ?5 AND e.headcount_high IS ?6 "
      "AND e.id IS NOT ?7 AND e.external_key IS NULL "
      "AND coalesce((SELECT s.url FROM event_source es JOIN source s ON s.id = es.source_id "
      "              WHERE es.event_id = e.id ORDER BY es.position LIMIT 1), '') = ?8 "
      "LIMIT 1");
  st.bind(1, static_cast<int64_t>(ev.company.value()));
  st.bind(2, ev.announced_on.iso());
  detail::bind_literal(st, 3, to_string(ev.announced_on.precision()));
  st.bind(4, std::string(to_string(ev.headcount.kind())));
  st.bind(5, static_cast<int64_t>(ev.headcount.low()));
  detail::bind_optional(st, 6, ev.headcount.high());
  if (except) {
    st.bind(7, static_cast<int64_t>(except->value()));
  } else {
    st.bind(7);
  }
  st.bind(8, ev.sources.empty() ? std::string() : ev.sources.front().url);
  std::optional<EventId> found;
  if (st.executeStep()) {
    found = EventId(st.getColumn(0).getInt64());
  }
  st.reset();
  return found;
}
}  // namespace

EventId Tracker::Impl::record_in_transaction(const NewEvent& event, std::string_view prefix) {
  const CheckedEvent ev = check_fields(event, prefix, latest_allowed(options));
  require_company(ev.company, join(prefix, "company"));
  if (const auto existing = find_duplicate_checked(*this, ev, std::nullopt)) {
    // The same facts again. Returning the existing id must not silently drop
    // an inclusion the caller asked for, so each must already be recorded.
    auto& have = stmt(
        "SELECT 1 FROM event_inclusion WHERE including_event_id = ? AND included_event_id = ?");
    for (std::size_t i = 0; i < ev.includes.size(); ++i) {
      have.bind(1, static_cast<int64_t>(existing->value()));
      have.bind(2, static_cast<int64_t>(ev.includes[i].value()));
      const bool recorded = have.executeStep();
      have.reset();
      if (!recorded) {
        throw invalid_field(indexed(prefix, "includes", i), std::to_string(ev.includes[i].value()),
                            "is not included by event " + std::to_string(existing->value()) +
                                ", which already records these facts (use update() to change "
                                "its inclusions): event",
                            ErrorCode::already_exists);
      }
    }
    log->debug("event for company {} on {} already recorded as {}", ev.company.value(),
               ev.announced_on.to_string(), existing->value());
    return *existing;
  }
  check_inclusions(*this, ev, std::nullopt, prefix);
  auto& st = stmt(
      "INSERT INTO layoff_event (company_id, announced_on, announced_precision, effective_on, "
      "headcount_kind, headcount_low, headcount_high, headcount_estimate, headcount_phrase, "
      "workforce_pct, locations, country, notes, external_key, company_stage, funds_raised_musd, "
      "kind, status, status_note, us_state, created_at, updated_at, added_on) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20, ?21, ?21, ?22)");
  bind_event_row(st, ev);
  bulk_will_record(ev.key);
  // The time stamp the columns' DEFAULT would compute, made once a second
  // instead of twice a row.
  st.bindNoCopy(21, timestamps.now());
  st.exec();
  const EventId id(db->getLastInsertRowid());
  insert_children(*this, id, ev, prefix);
  if (!ev.includes.empty()) {
    refresh_counted_bounds({id.value()}, join(prefix, "includes"));
  }
  bulk_recorded(id, ev.key);
  return id;
}

const char* Tracker::Impl::Timestamps::now() {
  const std::time_t t = std::time(nullptr);
  if (t != second_) {
    std::tm utc{};
    gmtime_r(&t, &utc);
    if (std::strftime(text_, sizeof text_, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0) {
      text_[0] = '\0';
    }
    second_ = t;
  }
  return text_;
}

void Tracker::Impl::before_bulk_write(bool keyless) {
  if (!bulk.active) {
    return;
  }
  if (keyless) {
    // Its duplicate check needs the company/date index: build them again
    // and keep them.
    if (bulk.deferred) {
      rebuild_indexes();
    }
    bulk.done = true;
    return;
  }
  maybe_defer_indexes();
}

namespace {

// An event whose recording is a single INSERT: inside a caller's
// transaction it needs no savepoint of its own, since SQLite undoes a failed
// statement by itself.
bool writes_one_row(const NewEvent& e) {
  return e.departments.empty() && e.reasons.empty() && e.sources.empty() && e.includes.empty();
}

}  // namespace

EventId Tracker::record(const NewEvent& event) {
  Impl::Call call(*impl_, Impl::Indexes::not_needed);
  impl_->require_writable("record");
  return guarded("record", [&] {
    impl_->before_bulk_write(event.key.empty());
    if (impl_->tx.depth > 0 && writes_one_row(event)) {
      detail::require_live_transaction(*impl_->db, impl_->tx);
      const sqlite3_int64 changes = sqlite3_total_changes64(impl_->db->getHandle());
      try {
        return impl_->record_in_transaction(event, "");
      } catch (...) {
        detail::note_failed_statement(*impl_->db, impl_->tx);
        if (sqlite3_total_changes64(impl_->db->getHandle()) != changes &&
            impl_->tx.aborted_code == 0) {
          // Failed after its row was written (e.g. out of memory): nothing
          // can take that row back alone, so the transaction must fail.
          impl_->tx.aborted_code = SQLITE_ABORT;
        }
        throw;
      }
    }
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    const EventId id = impl_->record_in_transaction(event, "");
    tx.commit();
    return id;
  });
}

std::vector<EventId> Tracker::record_batch(std::span<const NewEvent> events) {
  Impl::Call call(*impl_, Impl::Indexes::not_needed);
  impl_->require_writable("record_batch");
  return guarded("record_batch", [&] {
    std::vector<EventId> ids;
    ids.reserve(events.size());
    impl_->before_bulk_write(
        std::any_of(events.begin(), events.end(), [](const NewEvent& e) { return e.key.empty(); }));
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    for (std::size_t i = 0; i < events.size(); ++i) {
      ids.push_back(impl_->record_in_transaction(events[i], "events[" + std::to_string(i) + "]."));
    }
    tx.commit();
    return ids;
  });
}

void Tracker::update(EventId id, const NewEvent& event) {
  Impl::Call call(*impl_);
  impl_->require_writable("update");
  guarded("update", [&] {
    const CheckedEvent ev = check_fields(event, "", latest_allowed(impl_->options));
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    auto& exists = impl_->stmt(
        "SELECT (SELECT including_event_id FROM event_inclusion WHERE included_event_id = e.id) "
        "FROM layoff_event e WHERE e.id = ?");
    exists.bind(1, static_cast<int64_t>(id.value()));
    if (!exists.executeStep()) {
      throw invalid_field("id", std::to_string(id.value()), "no event has id",
                          ErrorCode::not_found);
    }
    const std::optional<std::int64_t> includer = detail::column_optional_int(exists, 0);
    exists.reset();
    impl_->require_company(ev.company, "company");
    if (const auto other = find_duplicate_checked(*impl_, ev, id)) {
      throw invalid_field(
          "id", std::to_string(id.value()),
          "would become a duplicate of event " + std::to_string(other->value()) + ": event",
          ErrorCode::already_exists);
    }
    check_inclusions(*impl_, ev, id, "");
    const Event before = impl_->load_event(id);
    if (includer) {
      // The event that includes this one must stay later and related.
      const Event outer = impl_->load_event(EventId(*includer));
      if (!may_include(outer.kind, outer.announced_on, ev.kind, ev.announced_on.first_day().iso(),
                       impl_->options.filing_window_days)) {
        throw invalid_field("announced_on", ev.announced_on.to_string(),
                            "would put this event after event " + std::to_string(*includer) +
                                ", which includes it:",
                            ErrorCode::invalid_inclusion);
      }
      if (impl_->root_of(ev.company) != impl_->root_of(outer.company)) {
        throw invalid_field("company", std::to_string(ev.company.value()),
                            "would move this event out of the company tree of event " +
                                std::to_string(*includer) + ", which includes it:",
                            ErrorCode::invalid_inclusion);
      }
    }
    // Inclusions go first so the date trigger sees only the new ones.
    for (const char* sql : {"DELETE FROM event_inclusion WHERE including_event_id = ?",
                            "DELETE FROM event_department WHERE event_id = ?",
                            "DELETE FROM event_reason WHERE event_id = ?",
                            "DELETE FROM event_source WHERE event_id = ?"}) {
      auto& del = impl_->stmt(sql);
      del.bind(1, static_cast<int64_t>(id.value()));
      del.exec();
    }
    auto& st = impl_->stmt(
        "UPDATE layoff_event SET company_id = ?1, announced_on = ?2, announced_precision = ?3, "
        "effective_on = ?4, headcount_kind = ?5, headcount_low = ?6, headcount_high = ?7, "
        "headcount_estimate = ?8, headcount_phrase = ?9, workforce_pct = ?10, locations = ?11, "
        "country = ?12, notes = ?13, external_key = ?14, company_stage = ?15, "
        "funds_raised_musd = ?16, kind = ?17, status = ?18, status_note = ?19, us_state = ?20, "
        "added_on = ?22, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?21");
    bind_event_row(st, ev);
    st.bind(21, static_cast<int64_t>(id.value()));
    st.exec();
    insert_children(*impl_, id, ev, "");
    if (includer || !before.includes.empty() || !ev.includes.empty()) {
      std::vector<std::int64_t> touched{id.value()};
      for (const EventId old : before.includes) {
        touched.push_back(old.value());
      }
      const bool same_includes =
          before.includes.size() == ev.includes.size() &&
          std::is_permutation(before.includes.begin(), before.includes.end(), ev.includes.begin());
      impl_->refresh_counted_bounds(touched, same_includes ? "headcount" : "includes");
    }
    tx.commit();
  });
}

void Tracker::set_status(EventId id, EventStatus status, std::string_view note) {
  Impl::Call call(*impl_);
  impl_->require_writable("set_status");
  guarded("set_status", [&] {
    check_status("status", status);
    const std::string checked = checked_status_note("status_note", status, note);
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    auto& st = impl_->stmt(
        "UPDATE layoff_event SET status = ?1, status_note = ?2, "
        "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?3");
    detail::bind_literal(st, 1, to_string(status));
    detail::bind_text_or_null(st, 2, checked);
    st.bind(3, static_cast<int64_t>(id.value()));
    if (st.exec() == 0) {
      throw invalid_field("id", std::to_string(id.value()), "no event has id",
                          ErrorCode::not_found);
    }
    impl_->refresh_counted_bounds({id.value()}, "status");
    tx.commit();
  });
}

void Tracker::link(EventId includer, std::span<const EventId> included) {
  Impl::Call call(*impl_);
  impl_->require_writable("link");
  guarded("link", [&] {
    check_list_size("included", included.size());
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    const Event outer = [&] {
      try {
        return impl_->load_event(includer);
      } catch (const Error& e) {
        if (e.code() == ErrorCode::not_found) {
          throw invalid_field("includer", std::to_string(includer.value()), "no event has id",
                              ErrorCode::not_found);
        }
        throw;
      }
    }();
    CheckedEvent ev;
    ev.company = outer.company;
    ev.announced_on = outer.announced_on;
    ev.kind = outer.kind;
    std::unordered_set<EventId> seen;
    for (std::size_t i = 0; i < included.size(); ++i) {
      if (!seen.insert(included[i]).second) {
        throw invalid_field(indexed("", "included", i), std::to_string(included[i].value()),
                            "lists the same event twice:", ErrorCode::invalid_inclusion);
      }
      // Already inside this event: nothing to do.
      if (std::find(outer.includes.begin(), outer.includes.end(), included[i]) ==
          outer.includes.end()) {
        ev.includes.push_back(included[i]);
      }
    }
    // Named "included[i]" after the argument, not "includes[i]".
    try {
      check_inclusions(*impl_, ev, includer, "");
    } catch (const Error& e) {
      std::string field = e.field();
      if (field.rfind("includes", 0) == 0) {
        field = "included" + field.substr(8);
      }
      throw Error(e.code(),
                  field + std::string(e.what()).substr(
                              std::min(e.field().size(), std::string(e.what()).size())),
                  field, e.value());
    }
    for (const EventId inc : ev.includes) {
      auto& st = impl_->stmt(
          "INSERT INTO event_inclusion (including_event_id, included_event_id) VALUES (?, ?)");
      st.bind(1, static_cast<int64_t>(includer.value()));
      st.bind(2, static_cast<int64_t>(inc.value()));
      st.exec();
    }
    if (!ev.includes.empty()) {
      impl_->refresh_counted_bounds({includer.value()}, "included");
    }
    tx.commit();
  });
}

void Tracker::unlink(EventId included) {
  Impl::Call call(*impl_);
  impl_->require_writable("unlink");
  guarded("unlink", [&] {
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    auto& exists = impl_->stmt(
        "SELECT (SELECT including_event_id FROM event_inclusion WHERE included_event_id = e.id) "
        "FROM layoff_event e WHERE e.id = ?");
    exists.bind(1, static_cast<int64_t>(included.value()));
    if (!exists.executeStep()) {
      throw invalid_field("included", std::to_string(included.value()), "no event has id",
                          ErrorCode::not_found);
    }
    const std::optional<std::int64_t> includer = detail::column_optional_int(exists, 0);
    exists.reset();
    if (includer) {
      auto& del = impl_->stmt("DELETE FROM event_inclusion WHERE included_event_id = ?");
      del.bind(1, static_cast<int64_t>(included.value()));
      del.exec();
      impl_->refresh_counted_bounds({*includer, included.value()}, "included");
    }
    tx.commit();
  });
}

void Tracker::remove(EventId id) {
  Impl::Call call(*impl_);
  impl_->require_writable("remove");
  guarded("remove", [&] {
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    // The events it included become trees of their own, and the one that
    // included it loses a part: their counted figures change.
    std::vector<std::int64_t> touched;
    auto& links = impl_->stmt(
        "SELECT including_event_id FROM event_inclusion WHERE included_event_id = ?1 UNION ALL "
        "SELECT included_event_id FROM event_inclusion WHERE including_event_id = ?1");
    links.bind(1, static_cast<int64_t>(id.value()));
    while (links.executeStep()) {
      touched.push_back(links.getColumn(0).getInt64());
    }
    links.reset();
    auto& st = impl_->stmt("DELETE FROM layoff_event WHERE id = ?");
    st.bind(1, static_cast<int64_t>(id.value()));
    if (st.exec() == 0) {
      throw invalid_field("id", std::to_string(id.value()), "no event has id",
                          ErrorCode::not_found);
    }
    if (!touched.empty()) {
      impl_->refresh_counted_bounds(touched, "id");
    }
    tx.commit();
  });
}

Event Tracker::Impl::load_event(EventId id) {
  auto& st = stmt(
      "SELECT e.company_id, c.name, e.announced_on, e.announced_precision, e.effective_on, "
      "e.headcount_kind, e.headcount_low, e.headcount_high, e.headcount_estimate, "
      "e.headcount_phrase, e.workforce_pct, e.locations, e.country, e.notes, e.created_at, "
      "e.updated_at, (SELECT including_event_id FROM event_inclusion WHERE included_event_id = "
      "e.id), e.external_key, e.company_stage, e.funds_raised_musd, e.kind, e.status, "
      "e.status_note, e.us_state, e.added_on "
      "FROM layoff_event e LEFT JOIN company c ON c.id = e.company_id WHERE e.id = ?");
  st.bind(1, static_cast<int64_t>(id.value()));
  if (!st.executeStep()) {
    throw invalid_field("id", std::to_string(id.value()), "no event has id", ErrorCode::not_found);
  }
  if (st.isColumnNull(1)) {  // only in a file edited with foreign keys off
    throw Error(ErrorCode::corrupt, "event " + std::to_string(id.value()) + " names company " +
                                        std::to_string(st.getColumn(0).getInt64()) +
                                        ", which does not exist: '" + path +
                                        "' was edited by hand; run 'layoffs check'");
  }
  Event ev;
  ev.id = id;
  ev.company = CompanyId(st.getColumn(0).getInt64());
  ev.company_name = st.getColumn(1).getString();
  ev.announced_on = detail::read_announced_on(st, 2);
  if (!st.isColumnNull(4)) {
    ev.effective_on = Date::parse(st.getColumn(4).getString(), "effective_on");
  }
  ev.headcount = detail::read_headcount(st, 5);
  ev.workforce_pct = detail::column_optional_double(st, 10);
  const std::string locations = detail::column_text(st, 11);
  for (std::size_t start = 0; !locations.empty() && start <= locations.size();) {
    const std::size_t end = locations.find("; ", start);
    ev.locations.push_back(locations.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) {
      break;
    }
    start = end + 2;
  }
  ev.country = detail::column_text(st, 12);
  ev.notes = detail::column_text(st, 13);
  ev.created_at = st.getColumn(14).getString();
  ev.updated_at = st.getColumn(15).getString();
  if (const auto inc = detail::column_optional_int(st, 16)) {
    ev.included_in = EventId(*inc);
  }
  ev.key = detail::column_text(st, 17);
  ev.company_stage = detail::column_text(st, 18);
  ev.funds_raised_musd = detail::column_optional_double(st, 19);
  ev.kind = parse_event_kind(st.getColumn(20).getString(), "kind");
  ev.status = parse_event_status(st.getColumn(21).getString(), "status");
  ev.status_note = detail::column_text(st, 22);
  ev.us_state = detail::column_text(st, 23);
  if (!st.isColumnNull(24)) {
    ev.added_on = Date::parse(st.getColumn(24).getString(), "added_on");
  }
  st.reset();

  const auto event_id = static_cast<int64_t>(id.value());
  auto& deps = stmt(
      "SELECT d.name FROM event_department ed JOIN department d ON d.id = ed.department_id "
      "WHERE ed.event_id = ? ORDER BY ed.position, d.name_key");
  deps.bind(1, event_id);
  while (deps.executeStep()) {
    ev.departments.push_back(deps.getColumn(0).getString());
  }
  auto& reasons = stmt(
      "SELECT r.name, r.category FROM event_reason er JOIN reason r ON r.id = er.reason_id "
      "WHERE er.event_id = ? ORDER BY er.position, r.name_key");
  reasons.bind(1, event_id);
  while (reasons.executeStep()) {
    Reason r;
    r.name = reasons.getColumn(0).getString();
    if (!reasons.isColumnNull(1)) {
      r.category = parse_reason_category(reasons.getColumn(1).getString());
    }
    ev.reasons.push_back(std::move(r));
  }
  auto& sources = stmt(
      "SELECT s.url, s.title, s.publisher, s.published_on, s.tier FROM event_source es "
      "JOIN source s ON s.id = es.source_id WHERE es.event_id = ? ORDER BY es.position");
  sources.bind(1, event_id);
  while (sources.executeStep()) {
    ev.sources.push_back(detail::read_source(sources, 0));
  }
  auto& includes = stmt(
      "SELECT i.included_event_id FROM event_inclusion i JOIN layoff_event e "
      "ON e.id = i.included_event_id WHERE i.including_event_id = ? ORDER BY e.announced_on, e.id");
  includes.bind(1, event_id);
  while (includes.executeStep()) {
    ev.includes.emplace_back(includes.getColumn(0).getInt64());
  }
  return ev;
}

std::optional<EventId> Tracker::find_event(std::string_view key) const {
  Impl::ReadCall call(*impl_, Impl::Indexes::not_needed);
  return guarded("find_event", [&] {
    return key.empty() ? std::nullopt : find_by_key(*impl_, std::string(key));
  });
}

void Tracker::transaction(const std::function<void()>& work, Workload workload) {
  Impl::Call call(*impl_, Impl::Indexes::not_needed);
  impl_->require_writable("transaction");
  guarded("transaction", [&] {
    const bool bulk = workload == Workload::bulk_load && impl_->tx.depth == 0;
    // Ended after the transaction ends, either way.
    struct BulkScope {
      Impl* impl;
      ~BulkScope() {
        if (impl != nullptr) {
          impl->end_bulk_load();
        }
      }
    } bulk_scope{bulk ? impl_.get() : nullptr};
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    if (bulk) {
      impl_->begin_bulk_load();
    }
    work();
    // Even if they were built again early, a savepoint rolled back since
    // may have taken them away again: make sure before committing.
    if (bulk && !impl_->bulk.rebuild.empty()) {
      impl_->rebuild_indexes();
    }
    tx.commit();
  });
}

Event Tracker::event(EventId id) const {
  Impl::ReadCall call(*impl_, Impl::Indexes::not_needed);
  return guarded("event", [&] { return impl_->load_event(id); });
}

}  // namespace layoffs
