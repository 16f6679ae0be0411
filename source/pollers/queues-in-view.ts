// The dashboard's queue rows that came into view (a scroll, a resize) holding a reading older than the latest
// refresh's: read at once, outside the queues poller (its schedule stays the interval's), GetQueueAttributes only.
// Their readings ride on top of the poller's statuses (overlay) until its next answer holds them (absorb). One read
// in flight at a time: rows that come into view meanwhile are read after it, if they are still in view then (a fast
// scroll passes rows by).
import type {AwsClients} from '../aws/clients.ts';
import {fetchQueueStatuses, type QueueRef} from '../aws/queues.ts';
import {clampWindow, type QueueWindow} from '../domain/queue-rotation.ts';
import type {QueueStatus} from '../domain/types.ts';

/** A queue's identity among the dashboard's rows (a queue with two roles is two rows). */
export const queueKey = (q: {role: string; arn: string}): string => `${q.role} ${q.arn}`;

/** When the latest refresh read the queues on screen (the newest reading in the queues poller's answer); null when
 * every queue is read every refresh (no reading carries a time). */
export function refreshedAt(statuses: readonly QueueStatus[]): number | null {
  let latest: number | null = null;
  for (const q of statuses) if (typeof q.readAt === 'number' && (latest === null || q.readAt > latest)) latest = q.readAt;
  return latest;
}

export interface InViewDeps {
  clients: AwsClients;
  /** The data clock readings are stamped with. */
  now: () => number;
  /** The queue refs, in row order (the queues poller's). */
  refs: () => readonly QueueRef[];
  /** The rows on screen now. */
  window: () => QueueWindow;
  /** The queues poller's statuses (row order). */
  polled: () => readonly QueueStatus[];
  /** After readings were taken (they are in the overlay already). */
  onRead: (read: readonly QueueStatus[]) => void;
}

export interface InViewReads {
  /** The poller's statuses with the readings taken at once on top (the newer of the two). */
  overlay(base: readonly QueueStatus[]): QueueStatus[];
  /** The poller answered with `statuses`: the readings it holds (or read again) are its own now. */
  absorb(statuses: readonly QueueStatus[]): void;
  /** These rows came into view: read the ones holding an older reading. */
  read(rows: readonly number[]): void;
  /** Bumped at every reading taken (the snapshot is rebuilt when it moved). */
  version(): number;
  stop(): void;
}

export function createInViewReads(deps: InViewDeps): InViewReads {
  const taken = new Map<string, QueueStatus>();
  let version = 0;
  let reading: Promise<void> | null = null;
  let again = false;
  let pending: number[] = [];
  let abort: AbortController | null = null;
  let stopped = false;

  const overlay = (base: readonly QueueStatus[]): QueueStatus[] => {
    if (taken.size === 0) return base as QueueStatus[];
    return base.map((q) => {
      const t = taken.get(queueKey(q));
      return t && (t.readAt ?? 0) > (q.readAt ?? -Infinity) ? t : q;
    });
  };

  /** The rows whose reading is older than the latest refresh's, or that were never read. */
  const stale = (rows: readonly number[]): number[] => {
    const list = overlay(deps.polled());
    if (list.length !== deps.refs().length || list.length === 0) return [];
    const latest = refreshedAt(deps.polled());
    return rows.filter((i) => {
      const q = list[i];
      if (!q || q.readAt === undefined) return false; // every queue is read every refresh
      return q.readAt === null || (latest !== null && q.readAt < latest);
    });
  };

  /** One read of the rows pending that are still in view and stale; false when there was none to read. */
  async function readOnce(): Promise<void> {
    const refs = deps.refs();
    const w = clampWindow(refs.length, deps.window());
    const wanted = stale(pending.filter((i) => i >= w.first && i < w.first + w.count));
    pending = [];
    if (wanted.length === 0) return;
    const asked = wanted.map((i) => refs[i]!);
    const controller = new AbortController();
    abort = controller;
    let read: QueueStatus[];
    try {
      read = await fetchQueueStatuses(deps.clients, asked, {signal: controller.signal});
    } catch {
      return; // every one failed for a passing reason: the next refresh reads them
    } finally {
      abort = null;
    }
    if (stopped || controller.signal.aborted) return;
    const at = deps.now();
    asked.forEach((ref, k) => taken.set(queueKey(ref), {...read[k]!, readAt: at}));
    version++;
    deps.onRead(read);
  }

  return {
    overlay,
    absorb(statuses) {
      for (const status of statuses) {
        const t = taken.get(queueKey(status));
        if (t && (status.readAt ?? Infinity) >= (t.readAt ?? 0)) taken.delete(queueKey(status));
      }
    },
    read(rows) {
      pending = [...new Set([...pending, ...rows])];
      if (reading) {
        again = true;
        return;
      }
      reading = (async () => {
        do {
          again = false;
          await readOnce();
        } while (again && !stopped);
      })().finally(() => {
        reading = null;
      });
    },
    version: () => version,
    stop() {
      stopped = true;
      abort?.abort();
    },
  };
}
