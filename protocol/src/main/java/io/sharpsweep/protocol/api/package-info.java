/**
 * The public REST answers: the results-store's query API ({@code /v1/studies/...}: studies, trials,
 * curves, best, Pareto front, rungs, export, importance, variants), which the dashboard and the CLI
 * read, and the typed client of it and of the scheduler's study API (whose bodies are the control
 * plane's {@link io.sharpsweep.protocol.control.StudyStatus} and {@link
 * io.sharpsweep.protocol.control.EnqueuedConfigs}). The JSON field names are the records' component
 * names; {@code docs/queries.md} and {@code docs/analysis.md} describe every field.
 */
package io.sharpsweep.protocol.api;
