/**
 * The control plane's REST contract: the bodies the scheduler and the workers exchange with the
 * results-store, which owns every piece of durable study state (docs/architecture.md, "Who owns
 * what", and docs/operations.md for the lease rules). Paths are in {@link ControlPaths}.
 */
package io.sharpsweep.protocol.control;
