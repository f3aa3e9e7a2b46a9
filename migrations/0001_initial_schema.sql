-- layoffs schema v1.
--
-- The file format is a public contract: anyone may open it with sqlite3, so
-- names explain themselves and every rule that keeps the data sane lives in
-- the schema too (STRICT tables, NOT NULL, CHECK, foreign keys, triggers), not
-- only in the C++ library. Dates are ISO text (YYYY-MM-DD); enums are readable
-- text. CHECKs on dates use `date(x, '+0 days') IS x`, which rejects both
-- '2024-02-30' and 'yesterday' (`x = date(x)` would let them through, because
-- a NULL comparison passes a CHECK). Enum CHECKs are OR-chains, not IN-lists:
-- on SQLite 3.40 an IN-list of strings builds a temporary b-tree per row.

-- Companies form a tree: a subsidiary points at its parent.
CREATE TABLE company (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 200),
  -- The name folded for matching (case and repeated whitespace ignored),
  -- maintained by the library. Unique across companies.
  name_key    TEXT NOT NULL UNIQUE CHECK (length(name_key) > 0),
  parent_id   INTEGER REFERENCES company (id) ON DELETE RESTRICT,
  industry    TEXT CHECK (industry IS NULL OR length(trim(industry)) > 0),
  hq_location TEXT CHECK (hq_location IS NULL OR length(trim(hq_location)) > 0),
  country     TEXT CHECK (country IS NULL OR length(trim(country)) > 0),
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK (parent_id IS NOT id)
) STRICT;
CREATE INDEX company_parent_idx ON company (parent_id);

-- Other names a company is known by ("AWS" for Amazon Web Services).
CREATE TABLE company_alias (
  id         INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES company (id) ON DELETE CASCADE,
  alias      TEXT NOT NULL CHECK (length(trim(alias)) > 0 AND length(alias) <= 200),
  alias_key  TEXT NOT NULL UNIQUE CHECK (length(alias_key) > 0)
) STRICT;
CREATE INDEX company_alias_company_idx ON company_alias (company_id);

-- One announcement of job cuts. The headcount is an interval:
-- [headcount_low, headcount_high] (high NULL = unbounded), with a best
-- estimate inside it and the phrase as reported.
CREATE TABLE layoff_event (
  id                  INTEGER PRIMARY KEY,
  company_id          INTEGER NOT NULL REFERENCES company (id) ON DELETE RESTRICT,
  -- First day of the announced period; announced_precision says whether the
  -- day, only the month, or only the year is known.
  announced_on        TEXT NOT NULL CHECK (date(announced_on, '+0 days') IS announced_on),
  announced_precision TEXT NOT NULL DEFAULT 'day'
                      CHECK (announced_precision = 'day' OR announced_precision = 'month'
                             OR announced_precision = 'year'),
  effective_on        TEXT CHECK (effective_on IS NULL OR date(effective_on, '+0 days') IS effective_on),
  headcount_kind      TEXT NOT NULL
                      CHECK (headcount_kind = 'exact' OR headcount_kind = 'about'
                             OR headcount_kind = 'at_least' OR headcount_kind = 'up_to'
                             OR headcount_kind = 'range' OR headcount_kind = 'phrase'
                             OR headcount_kind = 'unknown'),
  headcount_low       INTEGER NOT NULL CHECK (headcount_low >= 0),
  headcount_high      INTEGER CHECK (headcount_high IS NULL OR headcount_high >= headcount_low),
  headcount_estimate  INTEGER NOT NULL
                      CHECK (headcount_estimate >= headcount_low
                             AND (headcount_high IS NULL OR headcount_estimate <= headcount_high)),
  headcount_phrase    TEXT NOT NULL CHECK (length(headcount_phrase) > 0),
  -- Share of the workforce affected, in percent (35 means 35 %).
  workforce_pct       REAL CHECK (workforce_pct IS NULL OR (workforce_pct >= 0 AND workforce_pct <= 100)),
  -- Places or scope, separated by "; " ("Seattle; Bengaluru").
  locations           TEXT CHECK (locations IS NULL OR length(trim(locations)) > 0),
  country             TEXT CHECK (country IS NULL OR length(trim(country)) > 0),
  notes               TEXT,
  created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK (announced_on >= '1900-01-01'),
  CHECK (effective_on IS NULL OR effective_on >= '1900-01-01'),
  CHECK (announced_precision = 'day'
         OR (announced_precision = 'month' AND substr(announced_on, 9, 2) = '01')
         OR (announced_precision = 'year' AND substr(announced_on, 6, 5) = '01-01')),
  -- Each kind's bounds have one shape (see include/layoffs/headcount.h), so
  -- every row the schema accepts is one the library can read back.
  CHECK ((headcount_kind = 'exact' AND headcount_high = headcount_low
          AND headcount_estimate = headcount_low)
         OR (headcount_kind = 'about' AND headcount_high = headcount_low
             AND headcount_estimate = headcount_low)
         OR (headcount_kind = 'at_least' AND headcount_high IS NULL
             AND headcount_estimate = headcount_low)
         OR (headcount_kind = 'up_to' AND headcount_low = 0 AND headcount_high IS NOT NULL
             AND headcount_estimate = headcount_high)
         OR (headcount_kind = 'range' AND headcount_high IS NOT NULL
             AND headcount_estimate = (headcount_low + headcount_high) / 2)
         OR (headcount_kind = 'phrase' AND headcount_high IS NOT NULL)
         OR (headcount_kind = 'unknown' AND headcount_low = 0 AND headcount_high IS NULL
             AND headcount_estimate = 0)),
  -- Headcount::kMax: no employer has more people, and sums cannot overflow.
  CHECK (headcount_low <= 100000000 AND (headcount_high IS NULL OR headcount_high <= 100000000))
) STRICT;
-- Covering index for totals of a company over a date range: the total query
-- reads only these columns, so it never touches the table rows.
CREATE INDEX layoff_event_company_date_idx
  ON layoff_event (company_id, announced_on, headcount_low, headcount_high, headcount_estimate,
                   headcount_kind);
CREATE INDEX layoff_event_date_idx
  ON layoff_event (announced_on, company_id, headcount_low, headcount_high, headcount_estimate,
                   headcount_kind);

-- "Just over 18,000, including the 10,000 announced in November": the
-- including event's figure already contains the included one. An event is
-- included by at most one other event, which is not later than it.
CREATE TABLE event_inclusion (
  including_event_id INTEGER NOT NULL REFERENCES layoff_event (id) ON DELETE CASCADE,
  included_event_id  INTEGER NOT NULL UNIQUE REFERENCES layoff_event (id) ON DELETE CASCADE,
  PRIMARY KEY (including_event_id, included_event_id),
  CHECK (including_event_id <> included_event_id)
) STRICT, WITHOUT ROWID;
-- included_event_id is indexed by its UNIQUE constraint; including_event_id by
-- the primary key.

-- "Not later" compares the included event's first day with the last day of
-- the including event's period, so "January 2023" may include 2023-01-04.
CREATE TRIGGER event_inclusion_not_later
BEFORE INSERT ON event_inclusion
WHEN (SELECT announced_on FROM layoff_event WHERE id = NEW.included_event_id)
   > (SELECT CASE announced_precision WHEN 'day' THEN announced_on
                                      WHEN 'month' THEN date(announced_on, '+1 month', '-1 day')
                                      ELSE date(announced_on, '+1 year', '-1 day') END
      FROM layoff_event WHERE id = NEW.including_event_id)
BEGIN
  SELECT RAISE(ABORT, 'event_inclusion: an event cannot include a later event');
END;

CREATE TRIGGER event_inclusion_not_later_on_update
BEFORE UPDATE ON event_inclusion
WHEN (SELECT announced_on FROM layoff_event WHERE id = NEW.included_event_id)
   > (SELECT CASE announced_precision WHEN 'day' THEN announced_on
                                      WHEN 'month' THEN date(announced_on, '+1 month', '-1 day')
                                      ELSE date(announced_on, '+1 year', '-1 day') END
      FROM layoff_event WHERE id = NEW.including_event_id)
BEGIN
  SELECT RAISE(ABORT, 'event_inclusion: an event cannot include a later event');
END;

CREATE TRIGGER layoff_event_inclusion_dates
BEFORE UPDATE OF announced_on, announced_precision ON layoff_event
WHEN EXISTS (SELECT 1 FROM event_inclusion i JOIN layoff_event o ON o.id = i.including_event_id
             WHERE i.included_event_id = NEW.id
               AND NEW.announced_on > CASE o.announced_precision
                                        WHEN 'day' THEN o.announced_on
                                        WHEN 'month' THEN date(o.announced_on, '+1 month', '-1 day')
                                        ELSE date(o.announced_on, '+1 year', '-1 day') END)
  OR EXISTS (SELECT 1 FROM event_inclusion i JOIN layoff_event o ON o.id = i.included_event_id
             WHERE i.including_event_id = NEW.id
               AND o.announced_on > CASE NEW.announced_precision
                                      WHEN 'day' THEN NEW.announced_on
                                      WHEN 'month' THEN date(NEW.announced_on, '+1 month', '-1 day')
                                      ELSE date(NEW.announced_on, '+1 year', '-1 day') END)
BEGIN
  SELECT RAISE(ABORT, 'layoff_event: the new date would put an included event after its including event');
END;

-- Departments (teams, business units) cut by an event.
CREATE TABLE department (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 200),
  name_key TEXT NOT NULL UNIQUE CHECK (length(name_key) > 0)
) STRICT;

CREATE TABLE event_department (
  event_id      INTEGER NOT NULL REFERENCES layoff_event (id) ON DELETE CASCADE,
  department_id INTEGER NOT NULL REFERENCES department (id) ON DELETE RESTRICT,
  PRIMARY KEY (event_id, department_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_department_department_idx ON event_department (department_id, event_id);

-- Reasons given, each optionally in a category.
CREATE TABLE reason (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 500),
  name_key TEXT NOT NULL UNIQUE CHECK (length(name_key) > 0),
  category TEXT CHECK (category IS NULL OR category = 'cost_cutting' OR category = 'restructuring'
                       OR category = 'strategy_shift' OR category = 'automation'
                       OR category = 'outsourcing' OR category = 'market_conditions'
                       OR category = 'closure' OR category = 'other')
) STRICT;

CREATE TABLE event_reason (
  event_id  INTEGER NOT NULL REFERENCES layoff_event (id) ON DELETE CASCADE,
  reason_id INTEGER NOT NULL REFERENCES reason (id) ON DELETE RESTRICT,
  PRIMARY KEY (event_id, reason_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_reason_reason_idx ON event_reason (reason_id, event_id);

-- Where a fact came from. One source may back several events.
CREATE TABLE source (
  id           INTEGER PRIMARY KEY,
  url          TEXT NOT NULL UNIQUE CHECK (length(url) > 0 AND length(url) <= 2048),
  title        TEXT,
  publisher    TEXT,
  published_on TEXT CHECK (published_on IS NULL OR (date(published_on, '+0 days') IS published_on
                                                   AND published_on >= '1900-01-01')),
  tier         TEXT NOT NULL DEFAULT 'media_report'
               CHECK (tier = 'filing' OR tier = 'company_statement' OR tier = 'media_report'
                      OR tier = 'leak')
) STRICT;

CREATE TABLE event_source (
  event_id  INTEGER NOT NULL REFERENCES layoff_event (id) ON DELETE CASCADE,
  source_id INTEGER NOT NULL REFERENCES source (id) ON DELETE RESTRICT,
  -- Order in which the sources were given; position 0 is the first source.
  position  INTEGER NOT NULL CHECK (position >= 0),
  PRIMARY KEY (event_id, source_id),
  UNIQUE (event_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_source_source_idx ON event_source (source_id);

-- A total somebody reported ("more than 27,000 over two years"): a claim to
-- check against the recorded events, never added to them.
CREATE TABLE reported_total (
  id                   INTEGER PRIMARY KEY,
  company_id           INTEGER NOT NULL REFERENCES company (id) ON DELETE RESTRICT,
  include_subsidiaries INTEGER NOT NULL DEFAULT 1 CHECK (include_subsidiaries = 0 OR include_subsidiaries = 1),
  period_start         TEXT NOT NULL CHECK (date(period_start, '+0 days') IS period_start),
  period_end           TEXT NOT NULL CHECK (date(period_end, '+0 days') IS period_end),
  headcount_kind       TEXT NOT NULL
                       CHECK (headcount_kind = 'exact' OR headcount_kind = 'about'
                              OR headcount_kind = 'at_least' OR headcount_kind = 'up_to'
                              OR headcount_kind = 'range' OR headcount_kind = 'phrase'
                              OR headcount_kind = 'unknown'),
  headcount_low        INTEGER NOT NULL CHECK (headcount_low >= 0),
  headcount_high       INTEGER CHECK (headcount_high IS NULL OR headcount_high >= headcount_low),
  headcount_estimate   INTEGER NOT NULL
                       CHECK (headcount_estimate >= headcount_low
                              AND (headcount_high IS NULL OR headcount_estimate <= headcount_high)),
  headcount_phrase     TEXT NOT NULL CHECK (length(headcount_phrase) > 0),
  source_id            INTEGER REFERENCES source (id) ON DELETE RESTRICT,
  notes                TEXT,
  created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK (period_start <= period_end),
  CHECK (period_start >= '1900-01-01'),
  CHECK ((headcount_kind = 'exact' AND headcount_high = headcount_low
          AND headcount_estimate = headcount_low)
         OR (headcount_kind = 'about' AND headcount_high = headcount_low
             AND headcount_estimate = headcount_low)
         OR (headcount_kind = 'at_least' AND headcount_high IS NULL
             AND headcount_estimate = headcount_low)
         OR (headcount_kind = 'up_to' AND headcount_low = 0 AND headcount_high IS NOT NULL
             AND headcount_estimate = headcount_high)
         OR (headcount_kind = 'range' AND headcount_high IS NOT NULL
             AND headcount_estimate = (headcount_low + headcount_high) / 2)
         OR (headcount_kind = 'phrase' AND headcount_high IS NOT NULL)
         OR (headcount_kind = 'unknown' AND headcount_low = 0 AND headcount_high IS NULL
             AND headcount_estimate = 0)),
  -- Headcount::kMax: no employer has more people, and sums cannot overflow.
  CHECK (headcount_low <= 100000000 AND (headcount_high IS NULL OR headcount_high <= 100000000))
) STRICT;
CREATE INDEX reported_total_company_idx ON reported_total (company_id, period_start);
CREATE INDEX reported_total_source_idx ON reported_total (source_id);

-- One row per event, flattened for reading at the sqlite3 prompt.
CREATE VIEW event_summary AS
SELECT
  e.id                  AS event_id,
  c.name                AS company,
  p.name                AS parent_company,
  e.announced_on        AS announced_on,
  e.announced_precision AS announced_precision,
  e.effective_on        AS effective_on,
  e.headcount_phrase    AS headcount,
  e.headcount_kind      AS headcount_kind,
  e.headcount_low       AS headcount_low,
  e.headcount_high      AS headcount_high,
  e.headcount_estimate  AS headcount_estimate,
  e.workforce_pct       AS workforce_pct,
  (SELECT group_concat(name, '; ') FROM
     (SELECT d.name FROM event_department ed JOIN department d ON d.id = ed.department_id
      WHERE ed.event_id = e.id ORDER BY d.name))                          AS departments,
  (SELECT group_concat(name, '; ') FROM
     (SELECT r.name FROM event_reason er JOIN reason r ON r.id = er.reason_id
      WHERE er.event_id = e.id ORDER BY r.name))                          AS reasons,
  (SELECT s.url FROM event_source es JOIN source s ON s.id = es.source_id
   WHERE es.event_id = e.id ORDER BY es.position LIMIT 1)                 AS first_source_url,
  (SELECT i.including_event_id FROM event_inclusion i
   WHERE i.included_event_id = e.id)                                      AS included_in_event_id,
  e.locations           AS locations,
  coalesce(e.country, c.country) AS country,
  e.notes               AS notes
FROM layoff_event e
JOIN company c ON c.id = e.company_id
LEFT JOIN company p ON p.id = c.parent_id;

-- Each company's own events (subsidiaries not rolled in), counted the way the
-- library counts them: an event included by another event of the same company
-- is skipped, and an event that includes events of other companies counts
-- only its remainder. The walk goes down through included events of the same
-- company (skipped, so what they include is inside the figure too) and stops
-- at each event of another company, whose figure is subtracted. total_high
-- NULL means unbounded.
CREATE VIEW company_totals AS
WITH RECURSIVE
walk (root_id, root_company_id, event_id) AS (
  SELECT e.id, e.company_id, e.id FROM layoff_event e
  UNION  -- not UNION ALL: a hand-made inclusion cycle must not recurse forever
  SELECT w.root_id, w.root_company_id, x.id
  FROM walk w
  JOIN event_inclusion i ON i.including_event_id = w.event_id
  JOIN layoff_event x ON x.id = i.included_event_id
  WHERE x.company_id = w.root_company_id
),
outside_children AS (
  SELECT w.root_id AS event_id,
         count(*) AS n,
         count(x.headcount_high) AS n_bounded,
         sum(x.headcount_low) AS low,
         sum(x.headcount_high) AS high,
         sum(x.headcount_estimate) AS estimate
  FROM walk w
  JOIN event_inclusion i ON i.including_event_id = w.event_id
  JOIN layoff_event x ON x.id = i.included_event_id
  WHERE x.company_id <> w.root_company_id
  GROUP BY w.root_id
),
contribution AS (
  SELECT
    e.company_id,
    e.headcount_kind,
    CASE WHEN k.n IS NULL THEN e.headcount_low
         WHEN k.n_bounded < k.n THEN 0
         ELSE max(0, e.headcount_low - k.high) END AS low,
    CASE WHEN e.headcount_high IS NULL THEN NULL
         ELSE max(0, e.headcount_high - coalesce(k.low, 0)) END AS high,
    max(0, e.headcount_estimate - coalesce(k.estimate, 0)) AS estimate
  FROM layoff_event e
  LEFT JOIN outside_children k ON k.event_id = e.id
  WHERE NOT EXISTS (SELECT 1 FROM event_inclusion i JOIN layoff_event o ON o.id = i.including_event_id
                    WHERE i.included_event_id = e.id AND o.company_id = e.company_id)
)
SELECT
  c.id                    AS company_id,
  c.name                  AS company,
  p.name                  AS parent_company,
  count(t.company_id)     AS events_counted,
  count(CASE WHEN t.headcount_kind = 'unknown' THEN 1 END) AS events_unknown,
  coalesce(sum(t.low), 0) AS total_low,
  CASE WHEN count(t.company_id) > count(t.high) THEN NULL
       ELSE coalesce(sum(max(t.high, t.low)), 0) END AS total_high,
  coalesce(sum(max(t.low, CASE WHEN t.high IS NULL THEN t.estimate
                               ELSE min(t.estimate, max(t.high, t.low)) END)), 0) AS total_estimate
FROM company c
LEFT JOIN company p ON p.id = c.parent_id
LEFT JOIN contribution t ON t.company_id = c.id
GROUP BY c.id;
