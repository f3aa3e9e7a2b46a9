// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Tracker::merge_companies: two records of one company become one.
#include <string>

#include <layoffs/error.h>
#include <layoffs/tracker.h>

#include "sqlite_util.h"
#include "tracker_impl.h"

namespace layoffs {

void Tracker::merge_companies(CompanyId from, CompanyId into) {
  Impl::Call call(*impl_);
  impl_->require_writable("merge_companies");
  guarded("merge_companies", [&] {
    detail::WriteTransaction tx(*impl_->db, &impl_->tx);
    impl_->require_company(from, "from");
    impl_->require_company(into, "into");
    if (from == into) {
      throw invalid_field("into", std::to_string(into.value()),
                          "is the company being merged; a company cannot be merged into itself:");
    }
    const Company gone = impl_->load_company(from);
    // Hanging FROM under INTO first checks what a merge must not break: INTO
    // inside FROM's tree would become its own ancestor (cycle), and an
    // inclusion between FROM's tree and the rest of its old tree would cross
    // trees (invalid_inclusion).
    set_parent(from, into);
    for (const char* sql : {
             "UPDATE layoff_event SET company_id = ?2 WHERE company_id = ?1",
             "UPDATE company SET parent_id = ?2 WHERE parent_id = ?1",
             "UPDATE company_alias SET company_id = ?2 WHERE company_id = ?1",
             "UPDATE reported_total SET company_id = ?2 WHERE company_id = ?1",
             "DELETE FROM company WHERE id = ?1",
         }) {
      auto& st = impl_->stmt(sql);
      st.bind(1, static_cast<int64_t>(from.value()));
      if (st.getBindParameterCount() > 1) {
        st.bind(2, static_cast<int64_t>(into.value()));
      }
      st.exec();
    }
    impl_->company_ids.erase(from.value());
    add_alias(into, gone.name);
    tx.commit();
  });
}

}  // namespace layoffs
