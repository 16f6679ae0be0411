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
  /** Deletes what was accepted (and holds the rest). At most one per lane at a time, beside the lane's next send. */
  settle(sent: S): Promise<void>;
  /** A batch read ahead that will not be handled (the lane stopped or failed): give its messages back. */
  release(batch: B): Promise<void>;
  /** Whether a lane may read ahead now (not after an abort, a fatal error, or in a dry run). */
  readAhead(): boolean;
}

/** Runs `lanes` lanes until each read says stop; rethrows the first error after every lane wound down. */
export async function runLanes<B, S>(lanes: number, steps: LaneSteps<B, S>): Promise<void> {
  const results = await Promise.allSettled(Array.from({length: Math.max(1, lanes)}, () => lane(steps)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function lane<B, S>(steps: LaneSteps<B, S>): Promise<void> {
  let ahead: Promise<LaneRead<B>> | null = null;
  let settling: Promise<void> | null = null;
  try {
    for (;;) {
      const read: LaneRead<B> = await (ahead ?? steps.read());
      ahead = null;
      if (read.kind === 'stop') break;
      if (read.kind === 'retry') continue;
      if (steps.readAhead()) ahead = steps.read();
      const sent = await steps.send(read.batch);
      if (settling) await settling;
      settling = steps.settle(sent);
      // A settle that fails is seen at the next turn (or at the end), not left unobserved.
      settling.catch(() => undefined);
    }
  } finally {
    try {
      if (settling) await settling;
    } finally {
      if (ahead) {
        const left = await ahead.catch(() => null);
        if (left?.kind === 'batch') await steps.release(left.batch).catch(() => undefined);
      }
    }
  }
}
