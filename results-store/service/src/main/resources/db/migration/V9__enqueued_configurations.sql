-- SharpSweep results-store, schema 9: configurations a user enqueued for a study, to be tried before the sampler is
-- asked. Same SQL on PostgreSQL 15 and H2 2.x. position orders them within the study; trial_number is NULL while the
-- configuration waits and the number of the trial it became once created (in the same transaction that created the
-- trial, under the study's lock). source is 'user' or the name of the preset that produced it.
CREATE TABLE enqueued_configs (
  study_id      VARCHAR(200) NOT NULL REFERENCES studies (id),
  position      INTEGER NOT NULL,
  params        TEXT NOT NULL,
  source        VARCHAR(40) NOT NULL,
  trial_number  INTEGER,
  enqueued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (study_id, position)
);

CREATE INDEX enqueued_configs_waiting_idx ON enqueued_configs (study_id, trial_number, position);
