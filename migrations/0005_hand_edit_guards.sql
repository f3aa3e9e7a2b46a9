-- layoffs schema: guards for rows typed at the sqlite3 prompt.
--
-- The foreign keys of 0001 hold only on connections with
-- `PRAGMA foreign_keys = ON`. The library always sets it; the sqlite3 prompt
-- does not (it is off by default), so there a row could name a company or an
-- event that does not exist, and deleting a row could leave others pointing
-- at nothing. The triggers below enforce the same existence rules whatever
-- the connection's pragmas: a row must name rows that exist, a row others
-- name (RESTRICT) cannot be deleted or renumbered, and deleting an event or
-- a company removes the rows that belong to it (CASCADE), as the foreign
-- keys do. With foreign keys on they agree with them and add nothing.
--
-- Also enforced here: a company's name cannot be another name's alias (names
-- and aliases share one namespace), and the order in which departments and
-- reasons were given is kept (`position`, as event_source has).
--
-- (event_counted_bounds is 0003's; this file runs after it.)
--
-- What a trigger cannot check (it cannot recurse): parent cycles, inclusions
-- across company trees. Nor whether name_key is the library's folding of the
-- name, or a date lies in the future. `layoffs check` (Tracker::check) lists
-- all of these.

-- ---- rows must name rows that exist ------------------------------------------

CREATE TRIGGER company_parent_exists_on_insert
BEFORE INSERT ON company
WHEN NEW.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM company WHERE id = NEW.parent_id)
BEGIN
  SELECT RAISE(ABORT, 'company: parent_id names no company');
END;
CREATE TRIGGER company_parent_exists_on_update
BEFORE UPDATE OF parent_id ON company
WHEN NEW.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM company WHERE id = NEW.parent_id)
BEGIN
  SELECT RAISE(ABORT, 'company: parent_id names no company');
END;

CREATE TRIGGER company_alias_company_exists_on_insert
BEFORE INSERT ON company_alias
WHEN NOT EXISTS (SELECT 1 FROM company WHERE id = NEW.company_id)
BEGIN
  SELECT RAISE(ABORT, 'company_alias: company_id names no company');
END;
CREATE TRIGGER company_alias_company_exists_on_update
BEFORE UPDATE OF company_id ON company_alias
WHEN NOT EXISTS (SELECT 1 FROM company WHERE id = NEW.company_id)
BEGIN
  SELECT RAISE(ABORT, 'company_alias: company_id names no company');
END;

CREATE TRIGGER layoff_event_company_exists_on_insert
BEFORE INSERT ON layoff_event
WHEN NOT EXISTS (SELECT 1 FROM company WHERE id = NEW.company_id)
BEGIN
  SELECT RAISE(ABORT, 'layoff_event: company_id names no company');
END;
CREATE TRIGGER layoff_event_company_exists_on_update
BEFORE UPDATE OF company_id ON layoff_event
WHEN NOT EXISTS (SELECT 1 FROM company WHERE id = NEW.company_id)
BEGIN
  SELECT RAISE(ABORT, 'layoff_event: company_id names no company');
END;

CREATE TRIGGER event_inclusion_events_exist_on_insert
BEFORE INSERT ON event_inclusion
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.including_event_id)
  OR NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.included_event_id)
BEGIN
  SELECT RAISE(ABORT, 'event_inclusion: including_event_id or included_event_id names no event');
END;
CREATE TRIGGER event_inclusion_events_exist_on_update
BEFORE UPDATE ON event_inclusion
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.including_event_id)
  OR NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.included_event_id)
BEGIN
  SELECT RAISE(ABORT, 'event_inclusion: including_event_id or included_event_id names no event');
END;

CREATE TRIGGER event_department_rows_exist_on_insert
BEFORE INSERT ON event_department
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.event_id)
  OR NOT EXISTS (SELECT 1 FROM department WHERE id = NEW.department_id)
BEGIN
  SELECT RAISE(ABORT, 'event_department: event_id or department_id names no row');
END;
CREATE TRIGGER event_department_rows_exist_on_update
BEFORE UPDATE OF event_id, department_id ON event_department
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.event_id)
  OR NOT EXISTS (SELECT 1 FROM department WHERE id = NEW.department_id)
BEGIN
  SELECT RAISE(ABORT, 'event_department: event_id or department_id names no row');
END;

CREATE TRIGGER event_reason_rows_exist_on_insert
BEFORE INSERT ON event_reason
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.event_id)
  OR NOT EXISTS (SELECT 1 FROM reason WHERE id = NEW.reason_id)
BEGIN
  SELECT RAISE(ABORT, 'event_reason: event_id or reason_id names no row');
END;
CREATE TRIGGER event_reason_rows_exist_on_update
BEFORE UPDATE OF event_id, reason_id ON event_reason
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.event_id)
  OR NOT EXISTS (SELECT 1 FROM reason WHERE id = NEW.reason_id)
BEGIN
  SELECT RAISE(ABORT, 'event_reason: event_id or reason_id names no row');
END;

CREATE TRIGGER event_source_rows_exist_on_insert
BEFORE INSERT ON event_source
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.event_id)
  OR NOT EXISTS (SELECT 1 FROM source WHERE id = NEW.source_id)
BEGIN
  SELECT RAISE(ABORT, 'event_source: event_id or source_id names no row');
END;
CREATE TRIGGER event_source_rows_exist_on_update
BEFORE UPDATE OF event_id, source_id ON event_source
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.event_id)
  OR NOT EXISTS (SELECT 1 FROM source WHERE id = NEW.source_id)
BEGIN
  SELECT RAISE(ABORT, 'event_source: event_id or source_id names no row');
END;

CREATE TRIGGER reported_total_rows_exist_on_insert
BEFORE INSERT ON reported_total
WHEN NOT EXISTS (SELECT 1 FROM company WHERE id = NEW.company_id)
  OR (NEW.source_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM source WHERE id = NEW.source_id))
BEGIN
  SELECT RAISE(ABORT, 'reported_total: company_id or source_id names no row');
END;
CREATE TRIGGER reported_total_rows_exist_on_update
BEFORE UPDATE OF company_id, source_id ON reported_total
WHEN NOT EXISTS (SELECT 1 FROM company WHERE id = NEW.company_id)
  OR (NEW.source_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM source WHERE id = NEW.source_id))
BEGIN
  SELECT RAISE(ABORT, 'reported_total: company_id or source_id names no row');
END;

CREATE TRIGGER event_counted_bounds_event_exists_on_insert
BEFORE INSERT ON event_counted_bounds
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.event_id)
BEGIN
  SELECT RAISE(ABORT, 'event_counted_bounds: event_id names no event');
END;
CREATE TRIGGER event_counted_bounds_event_exists_on_update
BEFORE UPDATE OF event_id ON event_counted_bounds
WHEN NOT EXISTS (SELECT 1 FROM layoff_event WHERE id = NEW.event_id)
BEGIN
  SELECT RAISE(ABORT, 'event_counted_bounds: event_id names no event');
END;

-- ---- rows others name: RESTRICT and CASCADE ----------------------------------

CREATE TRIGGER company_delete_restrict
BEFORE DELETE ON company
WHEN EXISTS (SELECT 1 FROM company WHERE parent_id = OLD.id)
  OR EXISTS (SELECT 1 FROM layoff_event WHERE company_id = OLD.id)
  OR EXISTS (SELECT 1 FROM reported_total WHERE company_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'company: still has subsidiaries, events or claims');
END;
CREATE TRIGGER company_delete_cascade
AFTER DELETE ON company
BEGIN
  DELETE FROM company_alias WHERE company_id = OLD.id;
END;
CREATE TRIGGER company_id_update_restrict
BEFORE UPDATE OF id ON company
WHEN NEW.id IS NOT OLD.id
 AND (EXISTS (SELECT 1 FROM company WHERE parent_id = OLD.id)
   OR EXISTS (SELECT 1 FROM company_alias WHERE company_id = OLD.id)
   OR EXISTS (SELECT 1 FROM layoff_event WHERE company_id = OLD.id)
   OR EXISTS (SELECT 1 FROM reported_total WHERE company_id = OLD.id))
BEGIN
  SELECT RAISE(ABORT, 'company: other rows name this id');
END;

CREATE TRIGGER layoff_event_delete_cascade
AFTER DELETE ON layoff_event
BEGIN
  DELETE FROM event_inclusion WHERE including_event_id = OLD.id OR included_event_id = OLD.id;
  DELETE FROM event_department WHERE event_id = OLD.id;
  DELETE FROM event_reason WHERE event_id = OLD.id;
  DELETE FROM event_source WHERE event_id = OLD.id;
  DELETE FROM event_counted_bounds WHERE event_id = OLD.id;
END;
CREATE TRIGGER layoff_event_id_update_restrict
BEFORE UPDATE OF id ON layoff_event
WHEN NEW.id IS NOT OLD.id
 AND (EXISTS (SELECT 1 FROM event_inclusion
              WHERE including_event_id = OLD.id OR included_event_id = OLD.id)
   OR EXISTS (SELECT 1 FROM event_department WHERE event_id = OLD.id)
   OR EXISTS (SELECT 1 FROM event_reason WHERE event_id = OLD.id)
   OR EXISTS (SELECT 1 FROM event_source WHERE event_id = OLD.id)
   OR EXISTS (SELECT 1 FROM event_counted_bounds WHERE event_id = OLD.id))
BEGIN
  SELECT RAISE(ABORT, 'layoff_event: other rows name this id');
END;

CREATE TRIGGER department_delete_restrict
BEFORE DELETE ON department
WHEN EXISTS (SELECT 1 FROM event_department WHERE department_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'department: still named by events');
END;
CREATE TRIGGER department_id_update_restrict
BEFORE UPDATE OF id ON department
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM event_department WHERE department_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'department: other rows name this id');
END;

CREATE TRIGGER reason_delete_restrict
BEFORE DELETE ON reason
WHEN EXISTS (SELECT 1 FROM event_reason WHERE reason_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'reason: still named by events');
END;
CREATE TRIGGER reason_id_update_restrict
BEFORE UPDATE OF id ON reason
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM event_reason WHERE reason_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'reason: other rows name this id');
END;

CREATE TRIGGER source_delete_restrict
BEFORE DELETE ON source
WHEN EXISTS (SELECT 1 FROM event_source WHERE source_id = OLD.id)
  OR EXISTS (SELECT 1 FROM reported_total WHERE source_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'source: still named by events or claims');
END;
CREATE TRIGGER source_id_update_restrict
BEFORE UPDATE OF id ON source
WHEN NEW.id IS NOT OLD.id
 AND (EXISTS (SELECT 1 FROM event_source WHERE source_id = OLD.id)
   OR EXISTS (SELECT 1 FROM reported_total WHERE source_id = OLD.id))
BEGIN
  SELECT RAISE(ABORT, 'source: other rows name this id');
END;

-- ---- names and aliases share one namespace -----------------------------------

CREATE TRIGGER company_name_not_an_alias_on_insert
BEFORE INSERT ON company
WHEN EXISTS (SELECT 1 FROM company_alias WHERE alias_key = NEW.name_key)
BEGIN
  SELECT RAISE(ABORT, 'company: name_key is already an alias');
END;
CREATE TRIGGER company_name_not_an_alias_on_update
BEFORE UPDATE OF name_key ON company
WHEN EXISTS (SELECT 1 FROM company_alias WHERE alias_key = NEW.name_key)
BEGIN
  SELECT RAISE(ABORT, 'company: name_key is already an alias');
END;
CREATE TRIGGER company_alias_not_a_name_on_insert
BEFORE INSERT ON company_alias
WHEN EXISTS (SELECT 1 FROM company WHERE name_key = NEW.alias_key)
BEGIN
  SELECT RAISE(ABORT, 'company_alias: alias_key is already a company name');
END;
CREATE TRIGGER company_alias_not_a_name_on_update
BEFORE UPDATE OF alias_key ON company_alias
WHEN EXISTS (SELECT 1 FROM company WHERE name_key = NEW.alias_key)
BEGIN
  SELECT RAISE(ABORT, 'company_alias: alias_key is already a company name');
END;

-- ---- departments and reasons in the order given ------------------------------

-- 0 for rows written before this migration (then they read back by name).
ALTER TABLE event_department ADD COLUMN position INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0);
ALTER TABLE event_reason ADD COLUMN position INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0);
