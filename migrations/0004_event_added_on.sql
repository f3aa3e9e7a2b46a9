-- layoffs schema v4: when a tracker first listed an event.
--
-- added_on: the day the publisher of the row (layoffs.fyi's "Date Added")
-- learned of the cut and listed it; NULL when the source does not say. It
-- is the first entry of the event's revision history: the announcement may
-- be older (a cut found weeks later) and never later than the day it was
-- listed, give or take time zones, so no ordering is enforced here.
ALTER TABLE layoff_event ADD COLUMN added_on TEXT
  CHECK (added_on IS NULL OR date(added_on, '+0 days') IS added_on);
