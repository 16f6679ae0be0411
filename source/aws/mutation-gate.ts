// THE one place --read-only is enforced. Every mutating adapter (send, delete, invoke, move, purge) takes a
// MutationGate and calls `assertAllowed` before it builds a request, so no code path can reach AWS with a
// mutation while read-only is set: a view or command cannot forget to check, because it cannot call the
// adapter without a gate. Pure: no I/O.

export type MutationAction = 'redrive' | 'delete' | 'purge' | 'move' | 'send' | 'invoke';

export class ReadOnlyError extends Error {
  constructor(
    readonly action: MutationAction,
    readonly detail: string,
  ) {
    super(`refused: --read-only is set; ${detail}`);
    this.name = 'ReadOnlyError';
  }
}

export interface MutationGate {
  readonly readOnly: boolean;
  /** Throws ReadOnlyError when read-only. `detail` completes "refused: --read-only is set; <detail>",
   * e.g. "redrive would send 12 events to order-processor". */
  assertAllowed(action: MutationAction, detail: string): void;
  /** How many mutations were refused / allowed through this gate (for reports and tests). */
  readonly counts: {readonly allowed: number; readonly refused: number};
}

/** `readOnly` may be a function, asked at each mutation: read-only that is learned during the run (the
 * config file marks the account, known after discovery, readOnly). */
export function createMutationGate(options: {readOnly: boolean | (() => boolean)}): MutationGate {
  const counts = {allowed: 0, refused: 0};
  const isReadOnly = typeof options.readOnly === 'function' ? options.readOnly : ((value) => () => value)(options.readOnly);
  return Object.freeze({
    get readOnly() {
      return isReadOnly();
    },
    counts,
    assertAllowed(action: MutationAction, detail: string): void {
      if (isReadOnly()) {
        counts.refused++;
        throw new ReadOnlyError(action, detail);
      }
      counts.allowed++;
    },
  });
}

/** Describes a mutation for the refusal message: "send 12 messages to <queue>". */
export function describeCount(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
