-- layoffs schema v2.
--
-- external_key: a stable identifier for an event, given by whoever recorded
-- it (an importer derives one from each source row), so importing the same
-- file again adds nothing and exports can name events without rowids.
ALTER TABLE layoff_event ADD COLUMN external_key TEXT
  CHECK (external_key IS NULL OR (length(external_key) > 0 AND length(external_key) <= 200));
CREATE UNIQUE INDEX layoff_event_external_key_idx
  ON layoff_event (external_key) WHERE external_key IS NOT NULL;

-- The company as the report described it when the event happened: its
-- funding stage ("Series B", "Post-IPO") and the money it had raised, in
-- millions of US dollars. They change over a company's life, so they belong
-- to the event, not the company.
ALTER TABLE layoff_event ADD COLUMN company_stage TEXT
  CHECK (company_stage IS NULL OR (length(trim(company_stage)) > 0 AND length(company_stage) <= 200));
ALTER TABLE layoff_event ADD COLUMN funds_raised_musd REAL
  CHECK (funds_raised_musd IS NULL OR (funds_raised_musd >= 0 AND funds_raised_musd <= 10000000));
