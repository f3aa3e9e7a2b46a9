// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The test-only hooks of testing.h that need a Tracker's insides
// (set_memory_from_image lives with the code that opens databases, in
// schema.cpp).
#include "testing.h"

#include <sqlite3.h>

#include <layoffs/error.h>

#include "schema.h"
#include "tracker_impl.h"

namespace layoffs::detail {

struct TrackerAccess {
  static Tracker::Impl& impl(Tracker& t) { return *t.impl_; }
};

namespace {

bool reset_in_transaction(Tracker::Impl& impl, const MigratedImage& image) {
  WriteTransaction tx(*impl.db, &impl.tx);
  for (std::size_t i = 0; i < image.filled_tables.size(); ++i) {
    auto& select = impl.stmt("SELECT * FROM " + quote_identifier(image.filled_tables[i]));
    if (table_dump(select) != image.filled_dumps[i]) {
      return false;  // rolled back by tx
    }
  }
  // In an order that never breaks a foreign key (a PRAGMA defer_foreign_keys
  // would expire every prepared statement of the connection).
  for (const std::string& update : image.clear_self_references) {
    impl.stmt(update).exec();
  }
  for (const std::string& table : image.empty_tables) {
    impl.stmt("DELETE FROM " + quote_identifier(table)).exec();
  }
  tx.commit();
  // The epoch moved with the transaction; these are cleared for good measure.
  impl.department_ids.clear();
  impl.reason_ids.clear();
  impl.company_ids.clear();
  impl.inclusions = {};
  impl.inclusions_stamp.reset();
  return true;
}

}  // namespace

namespace testing {

bool reset_memory_database(Tracker& tracker) {
  Tracker::Impl& impl = TrackerAccess::impl(tracker);
  Tracker::Impl::Call call(impl);
  if (impl.path != ":memory:" || impl.options.read_only || impl.tx.depth != 0 || impl.bulk.active ||
      !sqlite3_get_autocommit(impl.db->getHandle())) {
    return false;
  }
  const MigratedImage& image = migrated_image(*impl.log);
  try {
    return reset_in_transaction(impl, image);
  } catch (const SQLite::Exception&) {
    return false;  // rolled back (by the WriteTransaction)
  } catch (const Error&) {
    return false;
  }
}

}  // namespace testing
}  // namespace layoffs::detail
