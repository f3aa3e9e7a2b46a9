// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Tracker: opening, lifetime, and companies.
#include <algorithm>
#include <tuple>
#include <unordered_set>

#include <sqlite3.h>

#include <layoffs/error.h>
#include <layoffs/tracker.h>

#include "logging.h"
#include "rows.h"
#include "schema.h"
#include "text.h"
#include "tracker_impl.h"

namespace layoffs {

using detail::checked_text;
using detail::name_key;

namespace {
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxDetail = 200;
}  // namespace

void Tracker::Impl::require_writable(std::string_view operation) const {
  if (read_depth > 0) {
    throw Error(ErrorCode::read_only,
                std::string(operation) + ": cannot write inside Tracker::read (a read snapshot)");
  }
  if (options.read_only) {
    throw Error(ErrorCode::read_only,
                std::string(operation) + ": '" + path + "' was opened read-only");
  }
}

void Tracker::Impl::recover() {
  // Inside a Tracker::read, the open transaction is its snapshot.
  if (tx.depth > 0 || read_depth > 0 || !db) {
    return;
  }
  tx.retry_stale(db->getHandle());
  if (sqlite3_get_autocommit(db->getHandle())) {
    return;
  }
  statements->reset_all();
  if (!tx.rollback_all(db->getHandle())) {
    const int code = sqlite3_extended_errcode(db->getHandle());
    throw Error(detail::error_code_for_sqlite(code),
                "'" + path +
                    "' is still inside a transaction an earlier error left open, and "
                    "rolling it back failed: " +
                    sqlite3_errmsg(db->getHandle()),
                {}, {}, code);
  }
  tx.after_rollback(db->getHandle());
  tx.schema_changed = false;
  ++tx.epoch;
  log->warn("rolled back a transaction an earlier error left open on '{}'", path);
}

Tracker::Impl::ReadCall::ReadCall(Impl& impl, Indexes indexes) : call_(impl, indexes), impl_(impl) {
  if (sqlite3_get_autocommit(impl_.db->getHandle())) {
    try {
      impl_.db->exec("BEGIN");  // deferred: the snapshot starts at the first read
      began_ = true;
    } catch (const SQLite::Exception& e) {
      throw detail::translate(e, "cannot start a read transaction");
    }
  }
}

Tracker::Impl::ReadCall::~ReadCall() {
  if (began_ && !sqlite3_get_autocommit(impl_.db->getHandle())) {
    impl_.statements->reset_all();
    detail::end_read_transaction(impl_.db->getHandle(), impl_.tx);
  }
}

Tracker Tracker::open(const std::string& path, const Options& options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  impl->log = options.logger ? options.logger : detail::library_logger();
  impl->busy = std::make_unique<detail::BusyWaiter>(options.busy_timeout);
  impl->db = detail::open_database(path, options, *impl->log, *impl->busy);
  impl->statements = std::make_unique<detail::StatementCache>(*impl->db);
  impl->tx.prepare(impl->db->getHandle());
  impl->log->debug("opened '{}'", path);
  return Tracker(std::move(impl));
}

Tracker::ImplPtr::ImplPtr() noexcept = default;
Tracker::ImplPtr::ImplPtr(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Tracker::ImplPtr::ImplPtr(ImplPtr&&) noexcept = default;
Tracker::ImplPtr& Tracker::ImplPtr::operator=(ImplPtr&&) noexcept = default;
Tracker::ImplPtr::~ImplPtr() = default;

Tracker::Impl& Tracker::ImplPtr::operator*() const {
  if (!impl_) {
    throw Error(ErrorCode::moved_from,
                "this Tracker was moved from and has no database; use the Tracker it was moved "
                "to, or open another");
  }
  return *impl_;
}

Tracker::Tracker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tracker::Tracker(Tracker&&) noexcept = default;
Tracker& Tracker::operator=(Tracker&&) noexcept = default;
Tracker::~Tracker() = default;

int Tracker::schema_version() const {
  Impl::ReadCall call(*impl_, Impl::Indexes::not_needed);
  return guarded("schema_version", [&] { return detail::schema_version(*impl_->db); });
}

int Tracker::latest_schema_version() noexcept {
  return detail::latest_schema_version();
}

const std::string& Tracker::path() const noexcept {
  static const std::string none;
  return impl_.get() != nullptr ? impl_.get()->path : none;
}

void Tracker::read(const std::function<void()>& work) const {
  Impl::ReadCall call(*impl_, Impl::Indexes::not_needed);
  struct Depth {
    int& depth;
    explicit Depth(int& d) : depth(d) { ++depth; }
    ~Depth() { --depth; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;
  } depth(impl_->read_depth);
  guarded("read", [&] {
    // Start the snapshot now rather than at work's first read, so that it
    // is the state of the file when read() was called.
    detail::query_int(*impl_->db, "SELECT count(*) FROM sqlite_schema");
    work();
  });
}

// ---- companies -----------------------------------------------------------

std::optional<CompanyId> Tracker::Impl::lookup_company(std::string_view name_or_alias) {
  const std::string key = name_key(name_or_alias);
  if (key.empty()) {
    return std::nullopt;
  }
  auto& st = stmt(
      "SELECT id FROM company WHERE name_key = ?1 "
      "UNION ALL SELECT company_id FROM company_alias WHERE alias_key = ?1 LIMIT 1");
  st.bind(1, key);
  if (st.executeStep()) {
    const CompanyId id(st.getColumn(0).getInt64());
    st.reset();
    return id;
  }
  return std::nullopt;
}

void Tracker::Impl::require_company(CompanyId id, std::string_view field) {
  const bool writing = tx.depth > 0;
  if (writing) {
    check_id_caches();
    if (company_ids.count(id.value())) {
      return;
    }
  }
  auto& st = stmt("SELECT 1 FROM company WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id.value()));
  const bool found = st.executeStep();
  st.reset();
  if (!found) {
    throw invalid_field(field, std::to_string(id.value()), "no company has id",
                        ErrorCode::not_found);
  }
  if (writing) {
    company_ids.insert(id.value());
  }
}

std::optional<CompanyId> Tracker::Impl::parent_of(CompanyId id) {
  auto& st = stmt("SELECT parent_id FROM company WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id.value()));
  std::optional<CompanyId> parent;
  if (st.executeStep() && !st.isColumnNull(0)) {
    parent = CompanyId(st.getColumn(0).getInt64());
  }
  st.reset();
  return parent;
}

CompanyId Tracker::Impl::root_of(CompanyId id) {
  // Bounded walk: a hand-edited file could hold a cycle; stop rather than spin.
  CompanyId current = id;
  for (int depth = 0; depth < 10'000; ++depth) {
    const auto parent = parent_of(current);
    if (!parent) {
      return current;
    }
    current = *parent;
  }
  throw parent_cycle(id);
}

Error Tracker::Impl::parent_cycle(CompanyId id) {
  std::string who = "company " + std::to_string(id.value());
  try {
    auto& st = stmt("SELECT name FROM company WHERE id = ?");
    st.bind(1, static_cast<int64_t>(id.value()));
    if (st.executeStep()) {
      who = st.getColumn(0).getString() + " (" + who + ")";
    }
    st.reset();
  } catch (const SQLite::Exception&) {
    // The id alone still names it.
  }
  return Error(ErrorCode::corrupt, "the parent links above " + who +
                                       " go round in a cycle, so its top company and "
                                       "subsidiaries cannot be told: '" +
                                       path + "' was edited by hand; run 'layoffs check'");
}

std::string detail::company_subtree_cte(std::string_view name, std::string_view param) {
  const std::string n(name);
  return "WITH RECURSIVE " + n + "(id) AS (SELECT " + std::string(param) +
         " UNION SELECT c.id FROM company c JOIN " + n + " ON c.parent_id = " + n + ".id) ";
}

std::string detail::inclusion_descent_cte(std::string_view name, std::string_view param) {
  const std::string n(name);
  return "WITH RECURSIVE " + n + "(id) AS (SELECT " + std::string(param) +
         " UNION SELECT i.included_event_id FROM event_inclusion i JOIN " + n +
         " ON i.including_event_id = " + n + ".id) ";
}

Company Tracker::Impl::load_company(CompanyId id) {
  auto& st =
      stmt("SELECT id, name, parent_id, industry, hq_location, country FROM company WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id.value()));
  if (!st.executeStep()) {
    throw invalid_field("company", std::to_string(id.value()), "no company has id",
                        ErrorCode::not_found);
  }
  Company c = detail::read_company(st);
  st.reset();
  auto& aliases = stmt("SELECT alias FROM company_alias WHERE company_id = ? ORDER BY id");
  aliases.bind(1, static_cast<int64_t>(id.value()));
  while (aliases.executeStep()) {
    c.aliases.push_back(aliases.getColumn(0).getString());
  }
  return c;
}

namespace {

void insert_alias(Tracker::Impl& impl, CompanyId company, const std::string& alias,
                  const std::string& key) {
  auto& st = impl.stmt("INSERT INTO company_alias (company_id, alias, alias_key) VALUES (?, ?, ?)");
  st.bind(1, static_cast<int64_t>(company.value()));
  st.bind(2, alias);
  st.bind(3, key);
  st.exec();
}

}  // namespace

namespace {

// A NewCompany with every field validated and normalized.
struct CheckedCompany {
  std::string name, key, industry, hq, country;
  std::optional<CompanyId> parent;
  std::vector<std::pair<std::string, std::string>> aliases;  // (alias, key), deduplicated
  std::vector<std::size_t> alias_index;  // each alias's index in NewCompany::aliases
};

CheckedCompany check_company(const NewCompany& in) {
  CheckedCompany c;
  c.name = checked_text("name", in.name, kMaxName, true);
  c.key = name_key(c.name);
  c.industry = checked_text("industry", in.industry, kMaxDetail, false);
  c.hq = checked_text("hq_location", in.hq_location, kMaxDetail, false);
  c.country = checked_text("country", in.country, kMaxDetail, false);
  c.parent = in.parent;
  std::unordered_set<std::string> keys{c.key};
  for (std::size_t i = 0; i < in.aliases.size(); ++i) {
    const std::string field = "aliases[" + std::to_string(i) + "]";
    std::string alias = checked_text(field, in.aliases[i], kMaxName, true);
    std::string alias_key = name_key(alias);
    if (keys.insert(alias_key).second) {
      c.aliases.emplace_back(std::move(alias), std::move(alias_key));
      c.alias_index.push_back(i);
    }
  }
  return c;
}

// Inserts a checked company. `name_is_new`: the caller has just looked the
// name up in this transaction and found nothing (ensure_company), so the
// lookup is not repeated.
CompanyId insert_checked(Tracker::Impl& impl, const CheckedCompany& in, bool name_is_new) {
  const std::string& name = in.name;
  const std::string& key = in.key;
  const std::string& industry = in.industry;
  const std::string& hq = in.hq;
  const std::string& country = in.country;
  const auto& aliases = in.aliases;
  if (in.parent) {
    impl.require_company(*in.parent, "parent");
  }
  if (!name_is_new && impl.lookup_company(name)) {
    throw invalid_field("name", name, "a company or alias already has the name",
                        ErrorCode::already_exists);
  }
  for (std::size_t i = 0; i < aliases.size(); ++i) {
    if (impl.lookup_company(aliases[i].first)) {
      throw invalid_field("aliases[" + std::to_string(in.alias_index[i]) + "]", aliases[i].first,
                          "a company or alias already has the name", ErrorCode::already_exists);
    }
  }
  auto& st = impl.stmt(
      "INSERT INTO company (name, name_key, parent_id, industry, hq_location, country) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, name);
  st.bind(2, key);
  if (in.parent) {
    st.bind(3, static_cast<int64_t>(in.parent->value()));
  } else {
    st.bind(3);
  }
  detail::bind_text_or_null(st, 4, industry);
  detail::bind_text_or_null(st, 5, hq);
  detail::bind_text_or_null(st, 6, country);
  st.exec();
  const CompanyId id(impl.db->getLastInsertRowid());
  for (const auto& [alias, alias_key] : aliases) {
    insert_alias(impl, id, alias, alias_key);
  }
  if (impl.tx.depth > 0) {
    // The events recorded next for it need not look it up again (a
    // rollback moves the epoch, which clears the cache).
    impl.check_id_caches();
    impl.company_ids.insert(id.value());
  }
  return id;
}

// ensure_company's work, inside its transaction or the caller's.
CompanyId ensure_checked(Tracker::Impl& impl, const CheckedCompany& checked) {
  if (checked.parent) {
    impl.require_company(*checked.parent, "parent");
  }
  if (const auto existing = impl.lookup_company(checked.name)) {
    return *existing;
  }
  return insert_checked(impl, checked, true);
}

}  // namespace

CompanyId Tracker::Impl::insert_company(const NewCompany& company) {
  return insert_checked(*this, check_company(company), false);
}

CompanyId Tracker::add_company(const NewCompany& company) {
  Impl::Call call(*impl_, Impl::Indexes::not_needed);
  impl_->require_writable("add_company");
  return guarded("add_company", [&] {
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    const CompanyId id = impl_->insert_company(company);
    tx.commit();
    return id;
  });
}

CompanyId Tracker::ensure_company(const NewCompany& company) {
  Impl::Call call(*impl_, Impl::Indexes::not_needed);
  impl_->require_writable("ensure_company");
  return guarded("ensure_company", [&] {
    // Bad input is refused even when the company exists already.
    const CheckedCompany checked = check_company(company);
    if (impl_->tx.depth > 0 && checked.aliases.empty()) {
      // Inside a caller's transaction a company without aliases is at most
      // one INSERT, which SQLite undoes by itself if it fails: no savepoint
      // of its own (as record() does for a one-row event). An import of
      // 4,277 layoffs.fyi rows creates 1,884 companies this way.
      detail::require_live_transaction(*impl_->db, impl_->tx);
      const sqlite3_int64 changes = sqlite3_total_changes64(impl_->db->getHandle());
      try {
        return ensure_checked(*impl_, checked);
      } catch (...) {
        detail::note_failed_statement(*impl_->db, impl_->tx);
        if (sqlite3_total_changes64(impl_->db->getHandle()) != changes &&
            impl_->tx.aborted_code == 0) {
          impl_->tx.aborted_code = SQLITE_ABORT;  // its row is written: nothing takes it back alone
        }
        throw;
      }
    }
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    const CompanyId id = ensure_checked(*impl_, checked);
    tx.commit();
    return id;
  });
}

void Tracker::set_parent(CompanyId company, std::optional<CompanyId> parent) {
  Impl::Call call(*impl_);
  impl_->require_writable("set_parent");
  guarded("set_parent", [&] {
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    impl_->require_company(company, "company");
    if (parent) {
      impl_->require_company(*parent, "parent");
      // Walk up from the new parent: meeting `company` means a cycle.
      std::optional<CompanyId> cursor = parent;
      for (int depth = 0; cursor && depth < 10'000; ++depth) {
        if (*cursor == company) {
          throw invalid_field("parent", std::to_string(parent->value()),
                              *parent == company
                                  ? "company {} cannot be its own parent"
                                  : "company {} is a subsidiary of company " +
                                        std::to_string(company.value()) +
                                        " (or further down its tree), so it cannot be its parent",
                              ErrorCode::cycle);
        }
        cursor = impl_->parent_of(*cursor);
      }
    }
    // Inclusions between the moved subtree and events outside it must stay
    // within one company tree after the move.
    const CompanyId new_root = parent ? impl_->root_of(*parent) : company;
    auto& cross =
        impl_->stmt(detail::company_subtree_cte("moved", "?1") +
                    "SELECT i.including_event_id, i.included_event_id, "
                    "CASE WHEN a.company_id IN moved THEN b.company_id ELSE a.company_id END "
                    "FROM event_inclusion i JOIN layoff_event a ON a.id = i.including_event_id "
                    "JOIN layoff_event b ON b.id = i.included_event_id "
                    "WHERE (a.company_id IN moved) <> (b.company_id IN moved)");
    cross.bind(1, static_cast<int64_t>(company.value()));
    std::vector<std::tuple<std::int64_t, std::int64_t, CompanyId>> links;
    while (cross.executeStep()) {
      links.emplace_back(cross.getColumn(0).getInt64(), cross.getColumn(1).getInt64(),
                         CompanyId(cross.getColumn(2).getInt64()));
    }
    for (const auto& [including, included, outside] : links) {
      if (impl_->root_of(outside) != new_root) {
        throw invalid_field("parent",
                            parent ? std::to_string(parent->value()) : std::string("none"),
                            "would split event " + std::to_string(including) + " from event " +
                                std::to_string(included) +
                                ", which it includes, into different company trees: parent",
                            ErrorCode::invalid_inclusion);
      }
    }
    auto& st = impl_->stmt("UPDATE company SET parent_id = ? WHERE id = ?");
    if (parent) {
      st.bind(1, static_cast<int64_t>(parent->value()));
    } else {
      st.bind(1);
    }
    st.bind(2, static_cast<int64_t>(company.value()));
    st.exec();
    tx.commit();
  });
}

void Tracker::add_alias(CompanyId company, std::string_view alias) {
  Impl::Call call(*impl_, Impl::Indexes::not_needed);
  impl_->require_writable("add_alias");
  guarded("add_alias", [&] {
    const std::string text = checked_text("alias", alias, kMaxName, true);
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    impl_->require_company(company, "company");
    if (const auto owner = impl_->lookup_company(text)) {
      if (*owner == company) {
        tx.commit();
        return;  // already known by that name
      }
      throw invalid_field(
          "alias", text,
          "is already the name or alias of company " + std::to_string(owner->value()) + ":",
          ErrorCode::already_exists);
    }
    insert_alias(*impl_, company, text, name_key(text));
    tx.commit();
  });
}

std::optional<Company> Tracker::find_company(std::string_view name_or_alias) const {
  Impl::ReadCall call(*impl_, Impl::Indexes::not_needed);
  return guarded("find_company", [&]() -> std::optional<Company> {
    const auto id = impl_->lookup_company(name_or_alias);
    if (!id) {
      return std::nullopt;
    }
    return impl_->load_company(*id);
  });
}

CompanyId Tracker::company_id(std::string_view name_or_alias) const {
  Impl::ReadCall call(*impl_, Impl::Indexes::not_needed);
  return guarded("company_id", [&] {
    const auto id = impl_->lookup_company(name_or_alias);
    if (!id) {
      throw invalid_field("company", name_or_alias, "no company has the name or alias",
                          ErrorCode::not_found);
    }
    return *id;
  });
}

Company Tracker::company(CompanyId id) const {
  Impl::ReadCall call(*impl_, Impl::Indexes::not_needed);
  return guarded("company", [&] { return impl_->load_company(id); });
}

std::vector<Company> Tracker::companies() const {
  Impl::ReadCall call(*impl_, Impl::Indexes::not_needed);
  return guarded("companies", [&] {
    std::vector<Company> out;
    auto& st = impl_->stmt(
        "SELECT id, name, parent_id, industry, hq_location, country FROM company ORDER BY "
        "name_key");
    std::unordered_map<std::int64_t, std::size_t> index;
    while (st.executeStep()) {
      Company c = detail::read_company(st);
      index.emplace(c.id.value(), out.size());
      out.push_back(std::move(c));
    }
    auto& aliases = impl_->stmt("SELECT company_id, alias FROM company_alias ORDER BY id");
    while (aliases.executeStep()) {
      const auto it = index.find(aliases.getColumn(0).getInt64());
      if (it != index.end()) {
        out[it->second].aliases.push_back(aliases.getColumn(1).getString());
      }
    }
    return out;
  });
}

std::vector<CompanyId> Tracker::subtree(CompanyId root) const {
  Impl::ReadCall call(*impl_, Impl::Indexes::not_needed);
  return guarded("subtree", [&] {
    impl_->require_company(root, "company");
    impl_->root_of(root);  // a subtree on a parent cycle has no answer: throws
    auto& st = impl_->stmt(detail::company_subtree_cte("tree", "?1") + "SELECT id FROM tree");
    st.bind(1, static_cast<int64_t>(root.value()));
    std::vector<CompanyId> out;
    while (st.executeStep()) {
      out.emplace_back(st.getColumn(0).getInt64());
    }
    return out;
  });
}

}  // namespace layoffs
