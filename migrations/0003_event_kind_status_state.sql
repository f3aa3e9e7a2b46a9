-- layoffs schema v3: announcements and filings, superseded and retracted
-- events, the US state of an event.
--
-- kind: an 'announcement' (what a company said, or what was reported) or a
-- 'filing' (a WARN notice or similar legal notice, filed per site and state,
-- often days or weeks after the announcement it belongs to).
ALTER TABLE layoff_event ADD COLUMN kind TEXT NOT NULL DEFAULT 'announcement'
  CHECK (kind = 'announcement' OR kind = 'filing');

-- status: 'active' events count; 'superseded' (by an amendment, recorded or
-- not) and 'retracted' (reported, then denied or reversed) events stay listed
-- and exported but count in no total. status_note says why, and only an
-- event that is not active has one.
ALTER TABLE layoff_event ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
  CHECK (status = 'active' OR status = 'superseded' OR status = 'retracted');
ALTER TABLE layoff_event ADD COLUMN status_note TEXT
  CHECK (status_note IS NULL
         OR (status <> 'active' AND length(trim(status_note)) > 0 AND length(status_note) <= 2000));

-- us_state: the USPS code of the US state, DC or territory where the cuts
-- fall (a WARN notice's state), NULL for none. The list is checked here, so
-- a row typed at the sqlite3 prompt cannot hold "Wash." or "wa".
ALTER TABLE layoff_event ADD COLUMN us_state TEXT
  CHECK (us_state IS NULL
         OR us_state = 'AL' OR us_state = 'AK' OR us_state = 'AZ' OR us_state = 'AR'
         OR us_state = 'CA' OR us_state = 'CO' OR us_state = 'CT' OR us_state = 'DE'
         OR us_state = 'DC' OR us_state = 'FL' OR us_state = 'GA' OR us_state = 'HI'
         OR us_state = 'ID' OR us_state = 'IL' OR us_state = 'IN' OR us_state = 'IA'
         OR us_state = 'KS' OR us_state = 'KY' OR us_state = 'LA' OR us_state = 'ME'
         OR us_state = 'MD' OR us_state = 'MA' OR us_state = 'MI' OR us_state = 'MN'
         OR us_state = 'MS' OR us_state = 'MO' OR us_state = 'MT' OR us_state = 'NE'
         OR us_state = 'NV' OR us_state = 'NH' OR us_state = 'NJ' OR us_state = 'NM'
         OR us_state = 'NY' OR us_state = 'NC' OR us_state = 'ND' OR us_state = 'OH'
         OR us_state = 'OK' OR us_state = 'OR' OR us_state = 'PA' OR us_state = 'RI'
         OR us_state = 'SC' OR us_state = 'SD' OR us_state = 'TN' OR us_state = 'TX'
         OR us_state = 'UT' OR us_state = 'VT' OR us_state = 'VA' OR us_state = 'WA'
         OR us_state = 'WV' OR us_state = 'WI' OR us_state = 'WY'
         OR us_state = 'AS' OR us_state = 'GU' OR us_state = 'MP' OR us_state = 'PR'
         OR us_state = 'VI');

-- Filtered and grouped columns. Few events are not active, so that index
-- holds only those.
CREATE INDEX layoff_event_us_state_idx ON layoff_event (us_state, announced_on)
  WHERE us_state IS NOT NULL;
CREATE INDEX layoff_event_kind_idx ON layoff_event (kind, announced_on);
CREATE INDEX layoff_event_status_idx ON layoff_event (status) WHERE status <> 'active';

-- An event cannot include a later one, with one exception: an announcement
-- may include filings dated up to 366 days after it (the paperwork of the
-- announced cut comes later). The library applies a tighter, configurable
-- window (Options::filing_window_days, 90 by default); this is the bound that
-- holds at the sqlite3 prompt.
DROP TRIGGER event_inclusion_not_later;
DROP TRIGGER event_inclusion_not_later_on_update;
DROP TRIGGER layoff_event_inclusion_dates;

CREATE TRIGGER event_inclusion_not_later
BEFORE INSERT ON event_inclusion
WHEN (SELECT x.announced_on > CASE
               WHEN o.kind = 'announcement' AND x.kind = 'filing'
                 THEN date(o.announced_on, CASE o.announced_precision WHEN 'day' THEN '+0 days'
                                             WHEN 'month' THEN '+1 month' ELSE '+1 year' END,
                           '+366 days')
               ELSE CASE o.announced_precision WHEN 'day' THEN o.announced_on
                      WHEN 'month' THEN date(o.announced_on, '+1 month', '-1 day')
                      ELSE date(o.announced_on, '+1 year', '-1 day') END END
      FROM layoff_event x, layoff_event o
      WHERE x.id = NEW.included_event_id AND o.id = NEW.including_event_id)
BEGIN
  SELECT RAISE(ABORT, 'event_inclusion: an event cannot include a later event (an announcement may include filings up to 366 days later)');
END;

CREATE TRIGGER event_inclusion_not_later_on_update
BEFORE UPDATE ON event_inclusion
WHEN (SELECT x.announced_on > CASE
               WHEN o.kind = 'announcement' AND x.kind = 'filing'
                 THEN date(o.announced_on, CASE o.announced_precision WHEN 'day' THEN '+0 days'
                                             WHEN 'month' THEN '+1 month' ELSE '+1 year' END,
                           '+366 days')
               ELSE CASE o.announced_precision WHEN 'day' THEN o.announced_on
                      WHEN 'month' THEN date(o.announced_on, '+1 month', '-1 day')
                      ELSE date(o.announced_on, '+1 year', '-1 day') END END
      FROM layoff_event x, layoff_event o
      WHERE x.id = NEW.included_event_id AND o.id = NEW.including_event_id)
BEGIN
  SELECT RAISE(ABORT, 'event_inclusion: an event cannot include a later event (an announcement may include filings up to 366 days later)');
END;

CREATE TRIGGER layoff_event_inclusion_dates
BEFORE UPDATE OF announced_on, announced_precision, kind ON layoff_event
WHEN EXISTS (SELECT 1 FROM event_inclusion i JOIN layoff_event o ON o.id = i.including_event_id
             WHERE i.included_event_id = NEW.id
               AND NEW.announced_on > CASE
                     WHEN o.kind = 'announcement' AND NEW.kind = 'filing'
                       THEN date(o.announced_on, CASE o.announced_precision WHEN 'day' THEN '+0 days'
                                                   WHEN 'month' THEN '+1 month' ELSE '+1 year' END,
                                 '+366 days')
                     ELSE CASE o.announced_precision WHEN 'day' THEN o.announced_on
                            WHEN 'month' THEN date(o.announced_on, '+1 month', '-1 day')
                            ELSE date(o.announced_on, '+1 year', '-1 day') END END)
  OR EXISTS (SELECT 1 FROM event_inclusion i JOIN layoff_event x ON x.id = i.included_event_id
             WHERE i.including_event_id = NEW.id
               AND x.announced_on > CASE
                     WHEN NEW.kind = 'announcement' AND x.kind = 'filing'
                       THEN date(NEW.announced_on, CASE NEW.announced_precision WHEN 'day' THEN '+0 days'
                                                     WHEN 'month' THEN '+1 month' ELSE '+1 year' END,
                                 '+366 days')
                     ELSE CASE NEW.announced_precision WHEN 'day' THEN NEW.announced_on
                            WHEN 'month' THEN date(NEW.announced_on, '+1 month', '-1 day')
                            ELSE date(NEW.announced_on, '+1 year', '-1 day') END END)
BEGIN
  SELECT RAISE(ABORT, 'layoff_event: the new date or kind would put an included event after its including event');
END;

-- event_summary gains the event's kind, status (and why) and US state.
DROP VIEW event_summary;
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
  e.notes               AS notes,
  e.kind                AS kind,
  e.status              AS status,
  e.status_note         AS status_note,
  e.us_state            AS us_state
FROM layoff_event e
JOIN company c ON c.id = e.company_id
LEFT JOIN company p ON p.id = c.parent_id;

-- The interval an event counts with, where it differs from its own headcount
-- because of what it includes: bounds flow upward (an includer is at least
-- the sum of what it includes, so "unknown, including the 10,000 from
-- November" counts at least 10,000), and an included event's best estimate
-- is lowered where its includer's estimate cannot hold all of its parts'.
-- Maintained by the library on every write that changes inclusions,
-- headcounts or statuses; `layoffs check` recomputes it and lists any row
-- that disagrees (one typed at the sqlite3 prompt). high NULL = unbounded.
-- company_low: where what the event adds to its company's own total is known
-- to be more than its figure less what it includes from other companies
-- (because same-company events inside it add at least their own part: 1,198
-- including 746 of its own and "a few hundred" of a subsidiary adds at least
-- 746, not 699), that tighter low; NULL otherwise.
CREATE TABLE event_counted_bounds (
  event_id    INTEGER PRIMARY KEY REFERENCES layoff_event (id) ON DELETE CASCADE,
  low         INTEGER NOT NULL CHECK (low >= 0 AND low <= 1000000000000),
  high        INTEGER CHECK (high IS NULL OR (high >= low AND high <= 1000000000000)),
  estimate    INTEGER NOT NULL CHECK (estimate >= low AND (high IS NULL OR estimate <= high)),
  company_low INTEGER CHECK (company_low IS NULL OR (company_low >= 0 AND company_low <= low))
) STRICT;

-- company_totals, as the library counts now: superseded and retracted events
-- are left out (and counted in events_superseded / events_retracted); an
-- event that is not active is transparent to inclusions (what it includes
-- belongs to the nearest active event above it); figures come from
-- event_counted_bounds where it has a row.
DROP VIEW company_totals;
CREATE VIEW company_totals AS
WITH RECURSIVE
figure AS (
  SELECT e.id, e.company_id, e.status, e.headcount_kind,
         coalesce(b.low, e.headcount_low) AS low,
         CASE WHEN b.event_id IS NULL THEN e.headcount_high ELSE b.high END AS high,
         coalesce(b.estimate, e.headcount_estimate) AS estimate,
         b.company_low AS company_low
  FROM layoff_event e LEFT JOIN event_counted_bounds b ON b.event_id = e.id
),
-- Each event's includers, walking up through includers that are not active.
up (event_id, includer_id) AS (
  SELECT i.included_event_id, i.including_event_id FROM event_inclusion i
  UNION  -- not UNION ALL: a hand-made inclusion cycle must not recurse forever
  SELECT u.event_id, i.including_event_id
  FROM up u
  JOIN layoff_event o ON o.id = u.includer_id AND o.status <> 'active'
  JOIN event_inclusion i ON i.included_event_id = u.includer_id
),
-- The nearest active includer of each active event.
nearest (event_id, includer_id) AS (
  SELECT u.event_id, u.includer_id
  FROM up u
  JOIN layoff_event o ON o.id = u.includer_id AND o.status = 'active'
  JOIN layoff_event x ON x.id = u.event_id AND x.status = 'active'
),
walk (root_id, root_company_id, event_id) AS (
  SELECT e.id, e.company_id, e.id FROM layoff_event e WHERE e.status = 'active'
  UNION
  SELECT w.root_id, w.root_company_id, n.event_id
  FROM walk w
  JOIN nearest n ON n.includer_id = w.event_id
  JOIN layoff_event x ON x.id = n.event_id
  WHERE x.company_id = w.root_company_id
),
outside_children AS (
  SELECT w.root_id AS event_id,
         count(*) AS n,
         count(x.high) AS n_bounded,
         sum(x.low) AS low,
         sum(x.high) AS high,
         sum(x.estimate) AS estimate
  FROM walk w
  JOIN nearest n ON n.includer_id = w.event_id
  JOIN figure x ON x.id = n.event_id
  WHERE x.company_id <> w.root_company_id
  GROUP BY w.root_id
),
contribution AS (
  SELECT
    e.company_id,
    CASE WHEN e.headcount_kind = 'unknown' AND e.low = 0 THEN 1 ELSE 0 END AS unknown,
    CASE WHEN k.n IS NULL THEN e.low
         WHEN e.company_low IS NOT NULL THEN e.company_low
         WHEN k.n_bounded < k.n THEN 0
         ELSE max(0, e.low - k.high) END AS low,
    CASE WHEN e.high IS NULL THEN NULL
         ELSE max(0, e.high - coalesce(k.low, 0)) END AS high,
    max(0, e.estimate - coalesce(k.estimate, 0)) AS estimate
  FROM figure e
  LEFT JOIN outside_children k ON k.event_id = e.id
  WHERE e.status = 'active'
    AND NOT EXISTS (SELECT 1 FROM nearest n JOIN layoff_event o ON o.id = n.includer_id
                    WHERE n.event_id = e.id AND o.company_id = e.company_id)
)
SELECT
  c.id                    AS company_id,
  c.name                  AS company,
  p.name                  AS parent_company,
  count(t.company_id)     AS events_counted,
  coalesce(sum(t.unknown), 0) AS events_unknown,
  coalesce(sum(t.low), 0) AS total_low,
  CASE WHEN count(t.company_id) > count(t.high) THEN NULL
       ELSE coalesce(sum(max(t.high, t.low)), 0) END AS total_high,
  coalesce(sum(max(t.low, CASE WHEN t.high IS NULL THEN t.estimate
                               ELSE min(t.estimate, max(t.high, t.low)) END)), 0) AS total_estimate,
  (SELECT count(*) FROM layoff_event s
   WHERE s.company_id = c.id AND s.status = 'superseded') AS events_superseded,
  (SELECT count(*) FROM layoff_event s
   WHERE s.company_id = c.id AND s.status = 'retracted')  AS events_retracted
FROM company c
LEFT JOIN company p ON p.id = c.parent_id
LEFT JOIN contribution t ON t.company_id = c.id
GROUP BY c.id;
