// Pipelined lanes for a queue redrive: each lane reads its next batch while the previous one is being sent, and
// deletes (settles) a batch while the next one is being sent. What stays sequential in a lane is what bounds a
// kill -9: a lane starts a send only after its previous send returned, and a send returns only after its
// acceptances are journaled (fdatasync). So the sends accepted but not yet on disk at any instant are at most one
// batch per lane, as before; what is added is at most one batch per lane read ahead (hidden for the visibility
// timeout, untouched otherwise) and one being deleted (its acceptances already on disk). No I/O of its own.

export type LaneRead<B> = {kind: 'batch'; batch: B} | {kind: 'retry'} | {kind: 'stop'};

export interface LaneSteps<B, S> {
  /** The next batch, 'retry' (nothing to handle this time: read again) or 'stop' (this lane is done). */
  read(): Promise<LaneRead<B>>;
  /** Plans and sends a batch; resolves once its acceptances are journaled. One at a time per lane. */
  send(batch: B): Promise<S>;
  /** Deletes what was accepted (and holds the rest), after the journal's sync. At most `settleDepth` per lane at
   * a time, beside the lane's next sends. */
  settle(sent: S): Promise<void>;
  /** A batch read ahead that will not be handled (the lane stopped or failed): give its messages back. */
  release(batch: B): Promise<void>;
  /** Whether a lane may read ahead now (not after an abort, a fatal error, or in a dry run). */
  readAhead(): boolean;
}

/** Runs `lanes` lanes until each read says stop; rethrows the first error after every lane wound down.
 * `settleDepth`: settles a lane may have under way at once (each waits for the journal's fdatasync, which one
 * sync serves for all): more lets a lane go on sending while the disk syncs. */
export async function runLanes<B, S>(lanes: number, steps: LaneSteps<B, S>, settleDepth = 1): Promise<void> {
  const results = await Promise.allSettled(Array.from({length: Math.max(1, lanes)}, () => lane(steps, Math.max(1, settleDepth))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function lane<B, S>(steps: LaneSteps<B, S>, depth: number): Promise<void> {
  let ahead: Promise<LaneRead<B>> | null = null;
  const settling = new Set<Promise<void>>();
  const failed: {first: {error: unknown} | null} = {first: null};
  try {
    for (;;) {
      const read: LaneRead<B> = await (ahead ?? steps.read());
      ahead = null;
      if (read.kind === 'stop') break;
      if (read.kind === 'retry') continue;
      if (steps.readAhead()) ahead = steps.read();
      const sent = await steps.send(read.batch);
      while (settling.size >= depth) await Promise.race(settling);
      if (failed.first) throw failed.first.error;
      const settle: Promise<void> = steps.settle(sent).then(
        () => void settling.delete(settle),
        (error: unknown) => {
          settling.delete(settle);
          failed.first ??= {error};
        },
      );
      settling.add(settle);
    }
  } finally {
    try {
      await Promise.all(settling);
    } finally {
      if (ahead) {
        const left = await ahead.catch(() => null);
        if (left?.kind === 'batch') await steps.release(left.batch).catch(() => undefined);
      }
    }
  }
  if (failed.first) throw failed.first.error;
}
