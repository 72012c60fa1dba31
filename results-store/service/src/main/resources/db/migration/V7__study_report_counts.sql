-- SharpSweep results-store, schema 7: a study's count of stored reports, kept with the reports. Same SQL on
-- PostgreSQL 15 and H2 2.x. The study's detail and the progress sent to the scheduler after each decision read it;
-- counting the study's rows of epoch_reports instead costs a scan that grows with the study (a million rows in a
-- study of 10,000 trials of 100 epochs). Ingestion adds what each insert stored, in the same transaction.
ALTER TABLE studies ADD COLUMN reports_stored BIGINT DEFAULT 0 NOT NULL;
UPDATE studies SET reports_stored = (SELECT COUNT(*) FROM epoch_reports r WHERE r.study_id = studies.id);
