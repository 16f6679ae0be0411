// What "waiting" means, once: every message a queue holds — visible, in flight (including the ones our own peek
// holds hidden while the failed-event browser is open) and delayed. The header, the pipeline, the diagnosis and
// --once --json all count it this way; the part our peek holds is shown as ours, not subtracted.
import type {QueueStatus} from './types.ts';

/** null while the depth is not known. */
export function queueWaiting(q: Pick<QueueStatus, 'visible' | 'inFlight' | 'delayed'>): number | null {
  if (q.visible === null) return null;
  return q.visible + (q.inFlight ?? 0) + (q.delayed ?? 0);
}
