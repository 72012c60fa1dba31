-- SharpSweep results-store, schema 4: reports fenced by their lease. A lease that ends without finishing its segment
-- (released, expired, lost, failed with a retry to follow, or completed but never confirmed) records fence_epoch: the
-- epoch its segment goes on from. A report of that lease for a later epoch arrives after another lease took those
-- epochs over (it was delayed in Kafka or in the store's backlog) and is dropped, so every epoch is stored once. NULL
-- while the lease is held, and for a lease whose epochs nobody trains again (completed, or a final failure).

ALTER TABLE segment_leases ADD COLUMN fence_epoch INTEGER;
