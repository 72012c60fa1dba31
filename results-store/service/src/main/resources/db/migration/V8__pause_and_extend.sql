-- SharpSweep results-store, schema 8: a study can be paused and its budget extended. Same SQL on PostgreSQL 15 and
-- H2 2.x. paused is a flag beside state, not a state of its own: a paused study is still running for every rule
-- (its promotions and retries are queued, its reports are stored, it can be cancelled), only dispatch and trial
-- creation skip it. An extension rewrites the spec's budget (every reader of the spec sees the new one), so the spec
-- the study was created with is kept in spec_at_creation, against which a repeated create is compared.
ALTER TABLE studies ADD COLUMN paused BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE studies ADD COLUMN spec_at_creation TEXT;
