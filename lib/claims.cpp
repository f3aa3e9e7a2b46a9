// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Tracker: claims (reported totals): recording them, listing them, and
// reconciling each with what its company's events add up to.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <layoffs/error.h>
#include <layoffs/tracker.h>

#include "event_checks.h"
#include "rows.h"
#include "text.h"
#include "tracker_impl.h"

namespace layoffs {

using detail::checked_text;
using namespace detail::checks;

ClaimId Tracker::record_claim(const NewClaim& claim) {
  Impl::Call call(*impl_);
  impl_->require_writable("record_claim");
  return guarded("record_claim", [&] {
    const Date latest = latest_allowed(impl_->options);
    const Date start = claim.period_start.first_day();
    const Date end = claim.period_end.last_day();
    // A period may run on past today (a plan for the year), but it must
    // have begun: check() lists a later period_start as a problem.
    check_date_range("period_start", claim.period_start, latest);
    if (end < start) {
      throw invalid_field("period_end", claim.period_end.to_string(),
                          "is before period_start (" + claim.period_start.to_string() + "):");
    }
    std::optional<CheckedSource> source;
    if (claim.source) {
      source = check_source(*claim.source, "source", latest);
    }
    const std::string notes = checked_text("notes", claim.notes, kMaxNotes, false, true);

    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    impl_->require_company(claim.company, "company");
    auto& dup = impl_->stmt(
        "SELECT r.id FROM reported_total r LEFT JOIN source s ON s.id = r.source_id "
        "WHERE r.company_id = ?1 AND r.include_subsidiaries = ?2 AND r.period_start = ?3 "
        "AND r.period_end = ?4 AND r.headcount_kind = ?5 AND r.headcount_low = ?6 "
        "AND r.headcount_high IS ?7 AND coalesce(s.url, '') = ?8 LIMIT 1");
    dup.bind(1, static_cast<int64_t>(claim.company.value()));
    dup.bind(2, claim.include_subsidiaries ? 1 : 0);
    dup.bind(3, start.iso());
    dup.bind(4, end.iso());
    dup.bind(5, std::string(to_string(claim.headcount.kind())));
    dup.bind(6, static_cast<int64_t>(claim.headcount.low()));
    detail::bind_optional(dup, 7, claim.headcount.high());
    dup.bind(8, source ? source->url : std::string());
    if (dup.executeStep()) {
      const ClaimId existing(dup.getColumn(0).getInt64());
      dup.reset();
      tx.commit();
      return existing;
    }
    dup.reset();
    std::optional<std::int64_t> source_id;
    if (source) {
      source_id = upsert_source(*impl_, *source);
    }
    auto& st = impl_->stmt(
        "INSERT INTO reported_total (company_id, include_subsidiaries, period_start, period_end, "
        "headcount_kind, headcount_low, headcount_high, headcount_estimate, headcount_phrase, "
        "source_id, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, static_cast<int64_t>(claim.company.value()));
    st.bind(2, claim.include_subsidiaries ? 1 : 0);
    st.bind(3, start.iso());
    st.bind(4, end.iso());
    st.bind(5, std::string(to_string(claim.headcount.kind())));
    st.bind(6, static_cast<int64_t>(claim.headcount.low()));
    detail::bind_optional(st, 7, claim.headcount.high());
    st.bind(8, static_cast<int64_t>(claim.headcount.estimate()));
    st.bind(9, claim.headcount.phrase());
    detail::bind_optional(st, 10, source_id);
    detail::bind_text_or_null(st, 11, notes);
    st.exec();
    const ClaimId id(impl_->db->getLastInsertRowid());
    tx.commit();
    return id;
  });
}

namespace {

Claim read_claim(SQLite::Statement& st) {
  Claim c;
  c.id = ClaimId(st.getColumn(0).getInt64());
  c.company = CompanyId(st.getColumn(1).getInt64());
  c.company_name = st.getColumn(2).getString();
  c.include_subsidiaries = st.getColumn(3).getInt() != 0;
  c.period_start = Date::parse(st.getColumn(4).getString(), "period_start");
  c.period_end = Date::parse(st.getColumn(5).getString(), "period_end");
  c.headcount = detail::read_headcount(st, 6);
  if (!st.isColumnNull(11)) {
    c.source = detail::read_source(st, 11);
  }
  c.notes = detail::column_text(st, 16);
  return c;
}

constexpr const char* kClaimColumns =
    "SELECT r.id, r.company_id, c.name, r.include_subsidiaries, r.period_start, r.period_end, "
    "r.headcount_kind, r.headcount_low, r.headcount_high, r.headcount_estimate, "
    "r.headcount_phrase, s.url, s.title, s.publisher, s.published_on, s.tier, r.notes "
    "FROM reported_total r JOIN company c ON c.id = r.company_id "
    "LEFT JOIN source s ON s.id = r.source_id";

Verdict verdict_for(const Total& events, const Headcount& claim) {
  if (events.high && *events.high < claim.low()) {
    return Verdict::events_fall_short;
  }
  if (claim.high() && events.low > *claim.high()) {
    return Verdict::events_exceed;
  }
  return Verdict::consistent;
}

}  // namespace

std::vector<Claim> Tracker::claims() const {
  Impl::ReadCall call(*impl_);
  return guarded("claims", [&] {
    auto& st = impl_->stmt(std::string(kClaimColumns) + " ORDER BY r.period_start, r.id");
    std::vector<Claim> out;
    while (st.executeStep()) {
      out.push_back(read_claim(st));
    }
    return out;
  });
}

std::vector<Reconciliation> Tracker::reconcile(const Filter& filter) const {
  Impl::ReadCall call(*impl_);
  return guarded("reconcile", [&] {
    std::string sql = kClaimColumns;
    sql += " WHERE 1";
    std::vector<std::function<void(SQLite::Statement&, int)>> binds;
    std::string with;
    if (filter.company) {
      impl_->require_company(*filter.company, "filter.company");
      const auto company = static_cast<int64_t>(filter.company->value());
      if (filter.include_subsidiaries) {
        impl_->root_of(*filter.company);  // a subtree on a parent cycle has no answer: throws
        with = detail::company_subtree_cte("scope", "?");
        sql += " AND r.company_id IN (SELECT id FROM scope)";
      } else {
        sql += " AND r.company_id = ?";
      }
      binds.emplace_back([company](SQLite::Statement& st, int i) { st.bind(i, company); });
    }
    if (filter.from && filter.to && filter.to->last_day() < filter.from->first_day()) {
      throw invalid_field("filter.to", filter.to->to_string(),
                          "is before filter.from (" + filter.from->to_string() + "):");
    }
    if (filter.from) {
      sql += " AND r.period_end >= ?";
      binds.emplace_back(
          [d = filter.from->first_day().iso()](SQLite::Statement& st, int i) { st.bind(i, d); });
    }
    if (filter.to) {
      sql += " AND r.period_start <= ?";
      binds.emplace_back(
          [d = filter.to->last_day().iso()](SQLite::Statement& st, int i) { st.bind(i, d); });
    }
    sql += " ORDER BY r.period_start, r.id";
    std::vector<Claim> claims;
    {
      auto& st = impl_->stmt(with + sql);
      for (std::size_t i = 0; i < binds.size(); ++i) {
        binds[i](st, static_cast<int>(i) + 1);
      }
      while (st.executeStep()) {
        claims.push_back(read_claim(st));
      }
    }
    std::vector<Reconciliation> out;
    for (Claim& claim : claims) {
      Filter scope;
      scope.company = claim.company;
      scope.include_subsidiaries = claim.include_subsidiaries;
      scope.from = claim.period_start;
      scope.to = claim.period_end;
      Reconciliation r;
      r.events = impl_->total(scope);
      r.verdict = verdict_for(r.events, claim.headcount);
      r.claim = std::move(claim);
      out.push_back(std::move(r));
    }
    return out;
  });
}

}  // namespace layoffs
