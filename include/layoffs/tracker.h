// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <layoffs/export.h>
#include <layoffs/ids.h>
#include <layoffs/model.h>
#include <layoffs/options.h>
#include <layoffs/query.h>

namespace layoffs {

namespace detail {
struct TrackerAccess;  // the library's test-only hooks (lib/testing.h)
}

// What a Tracker::transaction is for (see there).
enum class Workload {
  normal,
  bulk_load,  // records very many events (an import)
};

// A Tracker is one connection to one layoffs database file.
//
// Threads: a Tracker is safe for concurrent use from multiple threads without
// external synchronization; calls are serialized by an internal mutex. For
// parallel writers, open one Tracker per thread (or per process) on the same
// file: every write is a BEGIN IMMEDIATE transaction that waits up to
// Options::busy_timeout for the write lock, so concurrent writers lose no
// events and do not see SQLITE_BUSY within that time. Readers never block
// writers (WAL), and each read call sees one committed state of the file,
// never a mix of before and after a concurrent write.
//
// Errors: every failure throws layoffs::Error (see error.h). A write that
// throws has changed nothing: each public write is one transaction, rolled
// back on any error, and the connection is never left inside a transaction.
//
// Lifetime: movable, not copyable. Destroying a Tracker closes the file. A
// Tracker that was moved from has no file: every call on it throws Error
// (ErrorCode::moved_from) until another Tracker is moved into it.
class LAYOFFS_EXPORT Tracker {
 public:
  // Opens (or creates) the database at `path`, or an in-memory database for
  // ":memory:". Before anything is written the file is probed: a file that is
  // not SQLite (not_a_database), an SQLite database of another application
  // (foreign_database) and a schema newer than this library (schema_too_new)
  // are refused and left byte-for-byte unchanged. Then pending migrations are
  // applied, each in its own BEGIN IMMEDIATE transaction; two processes
  // opening a new file at once do not both migrate.
  //
  // Every connection gets foreign_keys=ON, the busy timeout, WAL journal (for
  // files), synchronous=NORMAL, trusted_schema=OFF and SQLITE_DBCONFIG_DEFENSIVE.
  static Tracker open(const std::string& path, const Options& options = {});

  Tracker(Tracker&&) noexcept;
  Tracker& operator=(Tracker&&) noexcept;
  ~Tracker();

  // The schema version of the open file, and the newest this library knows.
  int schema_version() const;
  static int latest_schema_version() noexcept;
  const std::string& path() const noexcept;  // "" for a moved-from Tracker

  // ---- Companies --------------------------------------------------------

  // Adds a company. Throws already_exists if its name or an alias is taken by
  // any company (names and aliases share one namespace, matched ignoring case
  // and repeated whitespace), not_found for an unknown parent.
  CompanyId add_company(const NewCompany& company);
  // Returns the company whose name or alias matches `company.name`, or adds it
  // if there is none. An existing company is returned as it is (its parent,
  // aliases and details are not changed).
  CompanyId ensure_company(const NewCompany& company);
  // Sets or clears the parent. Throws cycle if `company` would become its own
  // ancestor, invalid_inclusion if an event would then include an event of
  // another company tree.
  void set_parent(CompanyId company, std::optional<CompanyId> parent);
  // Adds another name. Adding an alias the company already has is a no-op.
  void add_alias(CompanyId company, std::string_view alias);
  // Makes `from` and `into` one company, in one transaction: `from`'s events,
  // aliases, claims and child companies move to `into`, `from`'s name
  // becomes an alias of `into`, and `from` is deleted. Throws invalid_argument
  // if they are the same company, cycle if `into` lies inside `from`'s tree,
  // invalid_inclusion if an inclusion would then join two company trees.
  void merge_companies(CompanyId from, CompanyId into);
  // Looks a company up by name or alias (case and repeated whitespace ignored).
  std::optional<Company> find_company(std::string_view name_or_alias) const;
  // Like find_company, but throws not_found.
  CompanyId company_id(std::string_view name_or_alias) const;
  Company company(CompanyId id) const;  // throws not_found
  // All companies, ordered by name.
  std::vector<Company> companies() const;
  // The company and all its descendants, the company first. Throws corrupt
  // (pointing to `layoffs check`) when its parent links go round in a cycle,
  // as every roll-up over a subtree or to a top company does.
  std::vector<CompanyId> subtree(CompanyId root) const;

  // ---- Events -----------------------------------------------------------

  // Records an event in one transaction and returns its id.
  //
  // Keys: an event with a non-empty `key` is identified by its key alone.
  // If an event with that key exists, its id is returned and nothing is
  // written (the content is not compared); the duplicate rule below does not
  // apply.
  //
  // Duplicates: an event without a key and with the same company, announced date (and
  // precision), headcount (kind and bounds) and first source URL (or no
  // sources on both) as an existing event is not stored again; the existing
  // event's id is returned and nothing is written. So recording the same
  // facts twice is safe. Every event in `includes` must then already be
  // included by the existing event (else already_exists: use update()).
  //
  // Validation: throws invalid_argument naming the field (e.g.
  // "departments[1]") for bad values, not_found for an unknown company or
  // included event, invalid_inclusion for an event that includes itself, a
  // later event, an event of an unrelated company or one already included
  // elsewhere.
  EventId record(const NewEvent& event);
  // Records many events in one transaction: all of them or, on any error, none.
  // Errors name the element ("events[3].headcount"). Returns one id per input,
  // in order (a duplicate gives the existing id).
  std::vector<EventId> record_batch(std::span<const NewEvent> events);
  // Replaces every field of an event (including its departments, reasons,
  // sources and inclusions). Throws already_exists if the result would
  // duplicate another event.
  void update(EventId id, const NewEvent& event);
  // Deletes an event. Events it included become standalone again; an event
  // that included it keeps its own (larger) figure.
  void remove(EventId id);
  // Adds inclusions to `includer`, in one transaction: each event in
  // `included` is counted inside it from now on (an announcement and the
  // filings that are its paperwork; "18,000 including November's 10,000").
  // The rules of record()'s includes apply (same company tree, not later
  // unless an announcement includes a filing within
  // Options::filing_window_days, not included elsewhere, no loop), and the
  // includer must have room: its high (for "about n", n + 10 %) at least the
  // sum of what it then includes, else invalid_inclusion naming both figures.
  // Events it already includes are left as they are.
  void link(EventId includer, std::span<const EventId> included);
  // Makes `included` standalone again (no-op if nothing includes it); totals
  // are then exactly what they were before it was linked.
  void unlink(EventId included);
  // Marks an event superseded or retracted (with a note saying why), or
  // active again (the note must then be empty). Nothing else changes; the
  // event stays listed and exported, and counts in no total while it is not
  // active. Throws not_found for an unknown event, invalid_argument for a
  // note that is too long or given with EventStatus::active.
  void set_status(EventId id, EventStatus status, std::string_view note = {});
  Event event(EventId id) const;  // throws not_found
  // The event with this key, if any.
  std::optional<EventId> find_event(std::string_view key) const;
  std::vector<Event> events(const Filter& filter = {}, EventOrder order = EventOrder::announced_asc,
                            std::int64_t limit = -1, std::int64_t offset = 0) const;
  std::int64_t count_events(const Filter& filter = {}) const;

  // Runs `work` as one write transaction: every write it makes through this
  // Tracker commits together, or, if `work` throws, none does and the
  // exception propagates. Each public write inside is a savepoint of its own,
  // so `work` may catch a failed write and go on without losing the others.
  // Reads inside see the transaction's own writes. Other threads' calls on
  // this Tracker wait until it ends. Transactions may nest.
  //
  // Workload::bulk_load (for the outermost transaction; ignored when nested)
  // says the transaction records very many events, as an import does. The
  // contracts above do not change; only how the work is done: once it has
  // recorded more events than the file held before it (and at least
  // Options::bulk_load_min_events), layoff_event's indexes are dropped and built again
  // once, by sorting, before the commit, instead of being updated row by
  // row. Until then, duplicate keys are found through a map in memory
  // (about 32 bytes per event with a key); any other call that needs those
  // indexes (a query, update(), remove(), an event without a key) rebuilds
  // them first, and they are not dropped again in that transaction. Other
  // connections see nothing of this: they read the file as it was until
  // the commit.
  void transaction(const std::function<void()>& work, Workload workload = Workload::normal);

  // Runs `work` as one read snapshot: every read it makes through this
  // Tracker sees the same committed state of the file, whatever other
  // connections (threads, processes) commit meanwhile. An export made of
  // several reads (companies, then events, then claims) is then consistent:
  // it cannot hold an inclusion naming an event it does not hold. Other
  // threads' calls on this Tracker wait until it ends; other connections'
  // writes do not (WAL). Writes through this Tracker inside `work` throw
  // ErrorCode::read_only. Inside a transaction() it reads that
  // transaction's state. May nest.
  void read(const std::function<void()>& work) const;

  // ---- Claims -----------------------------------------------------------

  // Records a reported total. Recording the same claim (company, scope,
  // period, headcount and source URL) again returns the existing id.
  // Throws Error(invalid_argument) naming the field for a period that starts
  // before 1900 or after today plus Options::future_tolerance_days (it may
  // end later), or ends before it starts.
  ClaimId record_claim(const NewClaim& claim);
  std::vector<Claim> claims() const;

  // ---- Queries ----------------------------------------------------------

  // Adds up the selected events (see Total for the counting rules).
  Total total(const Filter& filter = {}) const;
  // One Total per group. Time groups are in chronological order; company,
  // department and reason groups by estimate (largest first), then label.
  // Within each group the counting rules apply to the group's events alone.
  // With a department (reason) filter, department (reason) groups are limited
  // to the departments (reasons) filtered on.
  // Periods::all fills in the empty years, quarters or months (see Periods).
  std::vector<GroupTotal> totals_by(Grouping grouping, const Filter& filter = {},
                                    Periods periods = Periods::with_events) const;
  // Each claim whose company lies in the filter's company scope and whose
  // period overlaps the filter's dates, beside what the events over the
  // claim's own scope and period add up to. Only the filter's company and
  // dates apply: a claim is about all departments and reasons.
  std::vector<Reconciliation> reconcile(const Filter& filter = {}) const;

  // ---- Announcements and filings ----------------------------------------

  // Proposes links from filings to the announcements they are the paperwork
  // of: every active filing the filter selects that nothing includes yet,
  // paired with the nearest active announcement of the same company tree
  // dated from options.days_after before to options.days_before after it
  // and with room left for the filing's low (proposals are made in filing
  // date order, each using up room for the next). Two equally near
  // announcements make the pair ambiguous. Filings with no candidate are
  // not listed. Changes nothing.
  std::vector<MatchProposal> match_filings(const Filter& filter = {},
                                           const MatchOptions& options = {}) const;
  // Links every proposal that is not ambiguous, in one transaction: all of
  // them or none. Returns how many were linked.
  int apply_matches(std::span<const MatchProposal> proposals);
  // For each active announcement the filter selects, what the filings it
  // includes put on file, in total and by US state; in date order.
  std::vector<Coverage> coverage(const Filter& filter = {}) const;

  // ---- Maintenance ------------------------------------------------------

  // The query plan (EXPLAIN QUERY PLAN detail lines, e.g. "SEARCH e USING
  // COVERING INDEX layoff_event_company_date_idx (company_id=? AND ...)") of
  // the statement total(filter) runs. For diagnosing slow totals.
  std::vector<std::string> explain_total(const Filter& filter = {}) const;

  // What the schema cannot refuse in a file edited by hand, one sentence per
  // problem (empty when the file is sound): PRAGMA integrity_check and
  // foreign_key_check, parent cycles, name keys that are not the key of
  // their name or alias, a name or alias naming two companies, inclusions
  // across company trees, dates later than today plus
  // Options::future_tolerance_days, and effective dates more than five years
  // (1,830 days) after the last day of their announcement. A part that cannot finish
  // (integrity_check on some damaged files) is listed as a problem and the others still run.
  std::vector<std::string> check() const;

  // check(), part by part, in the order it runs them: "integrity_check"
  // (SQLite's own), "foreign_key_check", "companies" (parent cycles, name
  // keys, names and aliases naming two companies, inclusions across
  // company trees), "dates" (later than today plus the tolerance) and
  // "inclusion bounds" (stored bounds that disagree with the events). A part
  // with no problems passed; check() is every part's problems in order.
  struct CheckPart {
    std::string name;
    std::vector<std::string> problems;
  };
  std::vector<CheckPart> check_parts() const;

  // The implementation, opaque to users (declared public only so the
  // library's own files can name it).
  struct Impl;

 private:
  friend struct detail::TrackerAccess;
  // Owns the Impl; dereferencing it in a moved-from Tracker throws
  // ErrorCode::moved_from instead of following a null pointer.
  class ImplPtr {
   public:
    ImplPtr() noexcept;
    explicit ImplPtr(std::unique_ptr<Impl> impl) noexcept;
    ImplPtr(ImplPtr&&) noexcept;
    ImplPtr& operator=(ImplPtr&&) noexcept;
    ~ImplPtr();
    Impl& operator*() const;
    Impl* operator->() const { return &**this; }
    Impl* get() const noexcept { return impl_.get(); }

   private:
    std::unique_ptr<Impl> impl_;
  };

  explicit Tracker(std::unique_ptr<Impl> impl);
  ImplPtr impl_;
};

}  // namespace layoffs
