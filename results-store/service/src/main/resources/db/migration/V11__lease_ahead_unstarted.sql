-- SharpSweep results-store, schema 11: a lease granted ahead (docs/control-plane.md, "Lease ahead") is held by a worker
-- still training its current segment. lease_unstarted is TRUE from such a grant until a heartbeat of the lease says its
-- segment started training; a lease that expires while it is TRUE was never trained, and its segment is queued again
-- without charging the trial an attempt. FALSE for every other lease, and while the segment holds none.
ALTER TABLE segments ADD COLUMN lease_unstarted BOOLEAN NOT NULL DEFAULT FALSE;
