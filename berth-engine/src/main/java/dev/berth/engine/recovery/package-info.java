/**
 * Crash recovery: what brings records and backend reality back together after a Berth process
 * died at any instant.
 *
 * <ul>
 *   <li>{@link dev.berth.engine.recovery.Reconciler}: every record against its backend (reattach,
 *       record the real exit, mark lost, adopt a handle found by labels, forget a record whose
 *       create never happened).</li>
 *   <li>{@link dev.berth.engine.recovery.Reaper} with {@link dev.berth.engine.recovery.ReapPlan}:
 *       every resource labelled with <em>this</em> owner id against the records; what no record
 *       explains is removed.</li>
 *   <li>{@link dev.berth.engine.recovery.ForeignOwners}: resources of other owners, listed for
 *       {@code berth info} and removed only when a user names their owner.</li>
 * </ul>
 *
 * Ownership is exact: a resource is ours only when its {@code dev.berth.owner} label equals our
 * owner id, checked here again whatever filter the backend applied.
 */
package dev.berth.engine.recovery;
