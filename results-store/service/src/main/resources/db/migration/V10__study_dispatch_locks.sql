-- One row per study that lease grants lock instead of the study's own row. The study's row is locked by its
-- ingestion and its control calls for as long as they run; a grant needs only to be alone among the study's grants,
-- since grants are the one thing that raises the count of leased segments held against `parallelism`.
CREATE TABLE study_dispatch (
  study_id VARCHAR(200) PRIMARY KEY REFERENCES studies (id)
);

INSERT INTO study_dispatch (study_id) SELECT id FROM studies;
