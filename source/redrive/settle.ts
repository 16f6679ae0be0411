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
 * An open-addressing table (linear probing, deletion by backward shift) in arrays that only grow with the most
 * sends ever in flight at once, not a Map and a Set: a Map whose entries come and go allocates a new table as it
 * shrinks and grows again, and each copy outlives a scavenge and is promoted (V8's sampling heap profiler over a
 * 100,000-invoke redrive: a third of the old-space garbage, about 120 bytes a message). Each operation hashes the
 * identity's last 16 characters (ids, request ids and hashes differ there) and compares whole strings. */
export class Followers {
  private keys: Array<string | null> = new Array<string | null>(256).fill(null);
  /** The copies following each slot's send (null until the first one). */
  private lists: Array<FailedEvent[] | null> = new Array<FailedEvent[] | null>(256).fill(null);
  private hashes = new Int32Array(256);
  private count = 0;

  has(identity: string): boolean {
    return this.slotOf(identity) >= 0;
  }
  /** The identities being sent now (a live view: read it, do not keep it). */
  identities(): {has(identity: string): boolean} {
    return this;
  }
  start(identity: string): void {
    const found = this.slotOf(identity);
    if (found >= 0) {
      this.lists[found] = null;
      return;
    }
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    this.place(identity, hashOf(identity), null);
    this.count++;
  }
  follow(identity: string, event: FailedEvent): boolean {
    const slot = this.slotOf(identity);
    if (slot < 0) return false;
    (this.lists[slot] ??= []).push(event);
    return true;
  }
  /** The send of `identity` finished: its followers, to delete (accepted) or hold (not). */
  finish(identity: string): FailedEvent[] {
    const slot = this.slotOf(identity);
    if (slot < 0) return [];
    const list = this.lists[slot] ?? [];
    this.remove(slot);
    this.count--;
    return list;
  }

  private slotOf(identity: string): number {
    const mask = this.keys.length - 1;
    for (let i = hashOf(identity) & mask; ; i = (i + 1) & mask) {
      const key = this.keys[i];
      if (key === null) return -1;
      if (key === identity) return i;
    }
  }

  private place(identity: string, hash: number, list: FailedEvent[] | null): void {
    const mask = this.keys.length - 1;
    let i = hash & mask;
    while (this.keys[i] !== null) i = (i + 1) & mask;
    this.keys[i] = identity;
    this.lists[i] = list;
    this.hashes[i] = hash;
  }

  /** Empties slot `hole`, moving back the entries after it that would no longer be found (backward shift). */
  private remove(hole: number): void {
    const mask = this.keys.length - 1;
    for (let j = (hole + 1) & mask; this.keys[j] !== null; j = (j + 1) & mask) {
      const home = this.hashes[j]! & mask;
      // The entry at j stays when its home slot is cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      this.keys[hole] = this.keys[j]!;
      this.lists[hole] = this.lists[j]!;
      this.hashes[hole] = this.hashes[j]!;
      hole = j;
    }
    this.keys[hole] = null;
    this.lists[hole] = null;
  }

  private grow(): void {
    const {keys, lists, hashes} = this;
    this.keys = new Array<string | null>(keys.length * 2).fill(null);
    this.lists = new Array<FailedEvent[] | null>(keys.length * 2).fill(null);
    this.hashes = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) if (keys[i] !== null) this.place(keys[i]!, hashes[i]!, lists[i]!);
  }
}

/** A hash of the last 16 characters and the length. */
function hashOf(text: string): number {
  let h = text.length;
  for (let i = text.length - 1, end = Math.max(0, text.length - 16); i >= end; i--) h = Math.imul(h ^ text.charCodeAt(i), 0x9e3779b1);
  return h ^ (h >>> 15);
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
