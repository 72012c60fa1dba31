-- SharpSweep results-store, schema 6: reads of large studies. Same SQL on PostgreSQL 15 and H2 2.x.
-- GET /v1/studies/{id}/trials answers keyset pages in the order (number, trial_id) within a study: this index gives
-- that order directly, so a page reads its rows and stops, instead of sorting every trial of the study.
CREATE INDEX trials_study_number_idx ON trials (study_id, number, trial_id);
