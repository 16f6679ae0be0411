// The settle phase of a batch, after its sends: delete EXACTLY the messages whose event was accepted and
// journaled (every copy of it: twins, redelivered copies, leftovers of an earlier run), hold back the rest
// (skipped, failed: released at the end of the run), journal failures and deletes. Nothing is deleted
// whose acceptance is not on disk.
import type {FailedEvent} from '../domain/types.ts';
import type {JournalRecord, JournalWriter} from './journal.ts';
import type {PlannedSend, PlannedSkip} from './plan.ts';
import type {RunState} from './run-state.ts';
import type {SendOutcome} from './send.ts';
import type {HeldMessages} from './held.ts';

export interface DeletePort {
  delete(queueUrl: string, entries: Array<{id: string; receiptHandle: string}>): Promise<{deleted: string[]; failed: Array<{id: string; code: string; message: string}>}>;
  changeVisibility(queueUrl: string, receiptHandles: string[], seconds: number): Promise<{failed: Array<{receiptHandle: string; message: string}>}>;
}

/** Copies of an event being sent by another batch of this run, to delete once it is accepted.
 * Slots in two arrays, reused and never shrunk, not a Map and a Set: the sends in flight are few (lanes x batches
 * in flight, about 120 for Lambda), and a Map whose entries come and go reallocates its table as it shrinks and
 * grows again; every copy outlives a scavenge and is promoted (measured with V8's sampling heap profiler over a
 * 100,000-invoke redrive: a third of the old-space garbage, about 120 bytes a message, what made the old space
 * grow to its next collection). A lookup is one indexOf over the identities in flight. */
export class Followers {
  private readonly slots: Array<string | null> = [];
  /** The copies following each slot's send (null until the first one). */
  private readonly lists: Array<FailedEvent[] | null> = [];
  has(identity: string): boolean {
    return this.slots.indexOf(identity) >= 0;
  }
  /** The identities being sent now (a live view: read it, do not keep it). */
  identities(): {has(identity: string): boolean} {
    return this;
  }
  start(identity: string): void {
    let slot = this.slots.indexOf(identity);
    if (slot < 0) slot = this.slots.indexOf(null);
    if (slot < 0) {
      slot = this.slots.length;
      this.slots.push(null);
      this.lists.push(null);
    }
    this.slots[slot] = identity;
    this.lists[slot] = null;
  }
  follow(identity: string, event: FailedEvent): boolean {
    const slot = this.slots.indexOf(identity);
    if (slot < 0) return false;
    (this.lists[slot] ??= []).push(event);
    return true;
  }
  /** The send of `identity` finished: its followers, to delete (accepted) or hold (not). */
  finish(identity: string): FailedEvent[] {
    const slot = this.slots.indexOf(identity);
    if (slot < 0) return [];
    const list = this.lists[slot] ?? [];
    this.slots[slot] = null;
    this.lists[slot] = null;
    return list;
  }
}

export interface SettleContext {
  state: RunState;
  journal: JournalWriter | null;
  ports: DeletePort;
  held: HeldMessages;
  followers: Followers;
  now: () => number;
  /** Leftover deletes tried per message in this run (a message whose delete keeps failing is held). */
  leftoverAttempts: Map<string, number>;
  onDeleted?: ((messageIds: string[]) => void) | undefined;
}

interface ToDelete {
  event: FailedEvent;
  /** A leftover of an earlier run's acceptance, or a copy of an event accepted now (a twin). */
  kind: 'accepted' | 'leftover' | 'copy';
}

/** Skips first (before the sends): leftovers to delete, the rest held. Returns the leftovers to delete. */
export function settleSkips(skips: readonly PlannedSkip[], ctx: SettleContext, canDelete: boolean): ToDelete[] {
  const toDelete: ToDelete[] = [];
  for (const s of skips) {
    const fromQueue = s.event.receiptHandle !== '';
    if (s.reason === 'duplicate' && s.identity && ctx.followers.follow(s.identity, s.event)) continue;
    if (s.deleteLeftover && fromQueue && canDelete) {
      const attempts = (ctx.leftoverAttempts.get(s.event.messageId) ?? 0) + 1;
      ctx.leftoverAttempts.set(s.event.messageId, attempts);
      if (attempts <= 3) {
        toDelete.push({event: s.event, kind: 'leftover'});
        continue;
      }
    }
    ctx.state.noteSkip(s.event.messageId, s.reason, s.detail);
    if (fromQueue) ctx.held.park(s.event.queueUrl, s.event.messageId, s.event.receiptHandle);
  }
  return toDelete;
}

/** After the sends: delete the accepted events' messages (all copies, and followers), hold the rest. */
export async function settleSends(outcome: SendOutcome, leftovers: ToDelete[], ctx: SettleContext): Promise<void> {
  const {state} = ctx;
  const toDelete: ToDelete[] = [...leftovers];
  const hold = (e: FailedEvent) => e.receiptHandle !== '' && ctx.held.park(e.queueUrl, e.messageId, e.receiptHandle);
  const copiesOf = (send: PlannedSend) => [send.event, ...send.copies, ...ctx.followers.finish(send.identity)];
  // The acceptances were written when they arrived; on disk (fdatasync) before any of their messages is deleted.
  if (ctx.journal && outcome.ok.length > 0) {
    try {
      await ctx.journal.sync();
    } catch (error) {
      state.fatal ??= new Error(`journal sync failed, stopping before deleting: ${(error as Error).message}`);
      outcome = {...outcome, ok: [], unjournaled: [...outcome.unjournaled, ...outcome.ok.map((a) => a.send)]};
    }
  }
  state.noteAccepted(outcome.ok.length);
  for (const {send} of outcome.ok) {
    for (const e of copiesOf(send)) if (e.receiptHandle !== '') toDelete.push({event: e, kind: e === send.event ? 'accepted' : 'copy'});
  }
  // Accepted but not journaled: the journal write failed, so the messages stay (the run stops).
  for (const send of outcome.unjournaled) {
    state.noteAccepted(1);
    for (const e of copiesOf(send)) hold(e);
  }
  const failRecords: JournalRecord[] = [];
  for (const {send, outcome: why, detail} of outcome.bad) {
    state.noteFailure(send.event.messageId, why, detail);
    for (const e of copiesOf(send)) hold(e);
    failRecords.push({outcome: 'failed', time: ctx.now(), messageId: send.event.messageId, detail: `${why}: ${detail}`});
  }
  // Never started (abort): release at once, they were not touched.
  const release = new Map<string, string[]>();
  for (const send of outcome.unsent) {
    for (const e of copiesOf(send)) if (e.receiptHandle !== '') release.set(e.queueUrl, [...(release.get(e.queueUrl) ?? []), e.receiptHandle]);
  }
  for (const [queueUrl, handles] of release) await ctx.ports.changeVisibility(queueUrl, handles, 0).catch(() => undefined);
  const deleteRecords = await deleteAll(toDelete, ctx);
  if (ctx.journal && failRecords.length + deleteRecords.length > 0) {
    try {
      // Deferred: written with the next batch's acceptances (one write per batch); nothing resumes from them.
      await ctx.journal.append([...failRecords, ...deleteRecords], {defer: true});
    } catch (error) {
      state.fatal ??= new Error(`journal write failed: ${(error as Error).message}`);
    }
  }
}

/** DeleteMessageBatch per queue of exactly these messages; a failed delete leaves the message (the journal
 * holds its acceptance, so no run sends it again). */
async function deleteAll(toDelete: readonly ToDelete[], ctx: SettleContext): Promise<JournalRecord[]> {
  const records: JournalRecord[] = [];
  const byQueue = new Map<string, ToDelete[]>();
  for (const d of toDelete) {
    const list = byQueue.get(d.event.queueUrl);
    if (list) list.push(d);
    else byQueue.set(d.event.queueUrl, [d]);
  }
  for (const [queueUrl, list] of byQueue) {
    let result: Awaited<ReturnType<DeletePort['delete']>>;
    try {
      result = await ctx.ports.delete(queueUrl, list.map((d) => ({id: d.event.messageId, receiptHandle: d.event.receiptHandle})));
    } catch (error) {
      if ((error as Error).name === 'ReadOnlyError') throw error;
      result = {deleted: [], failed: list.map((d) => ({id: d.event.messageId, code: (error as Error).name ?? 'Error', message: String((error as Error).message)}))};
    }
    const byId = new Map(list.map((d) => [d.event.messageId, d]));
    for (const id of result.deleted) {
      const d = byId.get(id);
      if (!d) continue;
      ctx.state.deleted++;
      if (d.kind === 'leftover') {
        ctx.state.leftoversDeleted++;
        ctx.state.skips['already-accepted'] = (ctx.state.skips['already-accepted'] ?? 0) + 1;
      } else if (d.kind === 'copy') ctx.state.copiesDeleted++;
      records.push({outcome: 'deleted', time: ctx.now(), messageId: id});
    }
    if (result.deleted.length > 0) ctx.onDeleted?.(result.deleted);
    for (const f of result.failed) {
      ctx.state.noteDeleteFailure(f.id, f.code, f.message);
      // Accepted and journaled, not deleted: hold it so this run does not handle it again; the next run's
      // journal deletes it as a leftover.
      const d = byId.get(f.id);
      if (d && d.kind !== 'leftover') ctx.held.park(queueUrl, d.event.messageId, d.event.receiptHandle);
    }
  }
  return records;
}
