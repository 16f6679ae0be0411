// Reading a whole queue for the failed-event browser: several ReceiveMessage calls in flight ("lanes"), each
// batch handed on (parsed, spooled) as it arrives while the other lanes wait on the network. It stops when the
// queue gives nothing more (each lane came back empty twice in a row), at a deadline (the browser stops at
// four fifths of the peek's visibility, so everything it read is still hidden when it is done), when told to,
// or at the first error. The receive itself is passed in (aws/messages.ts), so this is tested without a queue.

export interface LaneOptions<M> {
  lanes: number;
  /** One receive of up to 10 messages. */
  receive: () => Promise<M[]>;
  /** A batch arrived (called in arrival order, synchronously: spool it here). */
  onMessages: (messages: M[]) => void;
  /** Checked before each receive: true stops that lane (the deadline, the browser closed). */
  shouldStop: () => 'window' | 'closed' | null;
}

export type LaneOutcome = {stopped: 'exhausted' | 'window' | 'closed'} | {stopped: 'error'; error: unknown};

/** Empty answers in a row after which a lane stops (a short poll can come back empty while messages remain). */
const EMPTY_ANSWERS = 2;

export async function receiveInLanes<M>(options: LaneOptions<M>): Promise<LaneOutcome> {
  let outcome: LaneOutcome | null = null;
  const lane = async (): Promise<void> => {
    let empties = 0;
    while (outcome === null) {
      const stop = options.shouldStop();
      if (stop) {
        outcome = {stopped: stop};
        return;
      }
      let messages: M[];
      try {
        messages = await options.receive();
      } catch (error) {
        outcome ??= {stopped: 'error', error};
        return;
      }
      if (messages.length === 0) {
        if (++empties >= EMPTY_ANSWERS) return;
        continue;
      }
      empties = 0;
      // Delivered even when another lane stopped meanwhile: these are read (and hidden) already.
      options.onMessages(messages);
    }
  };
  await Promise.all(Array.from({length: Math.max(1, options.lanes)}, lane));
  return outcome ?? {stopped: 'exhausted'};
}
