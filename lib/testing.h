// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// TEST-ONLY hooks. This header is internal (lib/, never installed) and is
// included only by tests (tests/fuzz): nothing here is part of the public
// API, and a program using only include/layoffs cannot reach it.
#pragma once

#include <layoffs/tracker.h>

namespace layoffs::detail::testing {

// While on, every writable Tracker::open(":memory:") in this process starts
// from a copy of a freshly migrated database instead of running the
// migrations again: the copy is an image (sqlite3_serialize) of a scratch
// in-memory database on which the embedded migrations ran once, through the
// same code as any open, the first time it is needed. The new connection
// then goes through the usual probe and checks of schema_migrations, finds
// nothing to migrate, and holds exactly what a migrated :memory: database
// holds. Files and read-only opens are not affected.
//
// For the fuzz targets, which open thousands of fresh databases a second and
// would otherwise spend most of their time parsing the schema's DDL. Off by
// default; thread-safe.
void set_memory_from_image(bool on) noexcept;
bool memory_from_image() noexcept;

// Returns `tracker`, a writable ":memory:" Tracker, to the data of a freshly
// opened one, keeping its connection, parsed schema and prepared statements
// (which a new Tracker prepares again): in one transaction, every table that
// the migrated image (see above) holds no rows of is emptied, referencing
// tables first and self-references cleared before (SQLite then
// numbers new rows from 1 again, as in a new database), and every table that
// it holds rows of (schema_migrations) must still hold exactly those rows.
// The Tracker's caches of ids and inclusions are dropped.
//
// Returns false, having changed nothing (the transaction rolled back), when
// it cannot promise that: not ":memory:", read-only, inside a transaction, a
// table of the image changed, or a statement failed; then open a new Tracker
// instead.
bool reset_memory_database(Tracker& tracker);

}  // namespace layoffs::detail::testing
