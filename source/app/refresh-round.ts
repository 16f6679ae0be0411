// One refresh is a round of polls (metrics, queues, the destinations' queues), each on its own timer, armed an
// interval after its own answer. Their answers drift apart: a poll that answers later is due later, so after a
// while one poll of the round starts only after another answered, and a feed that waits only for the polls in
// flight draws the round twice (measured in --demo: metrics, then queues 15-150 ms later, two whole frames per
// refresh). This says whether a poll of the round is about to start, so the feed can wait for it too.
import type {PollState} from '../domain/types.ts';

export interface RoundPoll {
  state: PollState<unknown>;
  /** Wall ms of this poll's latest answer (data or error) the tracker saw; null before the first. */
  answeredAt: number | null;
}

/** Remembers when each poll of the round last answered (wall ms), from the states the feed sees. */
export function createRoundTracker(wall: () => number = Date.now) {
  const seen = new Map<string, {updatedAt: number | null; errorAt: number | null; answeredAt: number | null}>();
  return {
    /** Notes the states (the feed calls this on every update); returns each poll with its answer's wall time. */
    note(polls: Record<string, PollState<unknown> | undefined>): RoundPoll[] {
      const out: RoundPoll[] = [];
      for (const [name, state] of Object.entries(polls)) {
        if (!state) continue;
        const last = seen.get(name);
        const errorAt = state.error?.at ?? null;
        let answeredAt = last?.answeredAt ?? null;
        if (!last || last.updatedAt !== state.updatedAt || last.errorAt !== errorAt) {
          if (state.updatedAt !== null || errorAt !== null) answeredAt = wall();
          seen.set(name, {updatedAt: state.updatedAt, errorAt, answeredAt});
        }
        out.push({state, answeredAt});
      }
      return out;
    },
  };
}

/**
 * Is a poll of the round in flight, or due within `withinMs` (its timer fires an interval after its answer)?
 * A poll backing off after a failure is not waited for (its next attempt is further away), nor one that has
 * never answered, nor one overdue by more than a moment (its timer is not running: stopped or paused).
 */
export function roundPending(polls: readonly RoundPoll[], options: {now: number; intervalMs: number; withinMs: number}): boolean {
  for (const {state, answeredAt} of polls) {
    if (state.syncing) return true;
    if (answeredAt === null || state.consecutiveFailures > 0) continue;
    const dueIn = answeredAt + options.intervalMs - options.now;
    if (dueIn <= options.withinMs && dueIn >= -OVERDUE_MS) return true;
  }
  return false;
}

/** A timer this late is still about to fire (the event loop is busy with the poll that just answered). */
const OVERDUE_MS = 50;
