// Whether the failure queues the browser pages through are known: discovery has answered and the queues it names
// have been read (an early empty answer does not count). A pure read of the store's state, shared by the browser
// controller and the app controller (which asks it before the browser's modules are loaded).
import {queueRolesOf} from '../aws/queues.ts';
import type {AppState} from '../store/types.ts';

export function failureQueuesKnown(state: AppState): boolean {
  const dashboard = state.dashboard;
  const topology = dashboard?.discovery.data;
  if (!topology || !dashboard.queues.data) return false;
  const expected = queueRolesOf(topology).length;
  return expected === 0 || dashboard.snapshot.queues.length > 0;
}
