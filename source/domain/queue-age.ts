// How old a queue's oldest message is, and how long before SQS's retention deletes it, from what the tool knows:
// CloudWatch's ApproximateAgeOfOldestMessage (minutes late, and blind to messages received more than 3 times) and
// the SentTimestamps and receive counts of the messages our own peeks saw. Pure: no I/O.
//
// Reference section 4: ApproximateAgeOfOldestMessage leaves out messages received more than 3 times (peeks count);
// on a queue's own DLQ (redrive policy) it counts from the move, while a standard queue keeps the message's original
// SentTimestamp and expires it from that first enqueue in the source queue. A FIFO DLQ restarts the clock.
import {formatAgeSeconds, formatCount} from './format.ts';
import type {QueueStatus} from './types.ts';

/** ApproximateAgeOfOldestMessage leaves out messages received more than this many times. */
export const AGE_METRIC_MAX_RECEIVES = 3;

/** What our peek saw of one message: its SentTimestamp and ApproximateReceiveCount (after our receive). */
export interface PeekedMessage {
  sentAt: number | null;
  receiveCount: number | null;
}

/** The messages our peeks saw in one queue, by message id (deleted ones are forgotten). */
export type QueuePeeks = Readonly<Record<string, PeekedMessage>>;

/** Per queue URL. */
export type PeekLog = Readonly<Record<string, QueuePeeks>>;

export interface QueueAge {
  /** Seconds the oldest message has been in the queue by the measure that drives its expiry; null when not known. */
  seconds: number | null;
  /** True when the real value may be higher: from peeked messages only, from a metric that leaves some out, or
   * (a standard queue's own DLQ) from a metric that counts from the move instead of the first enqueue. */
  atLeast: boolean;
  /** Where `seconds` comes from. */
  from: 'metric' | 'peeked' | null;
  /** Messages our peeks saw in this queue. */
  peeked: number;
  /** Of those, received more than 3 times: left out of ApproximateAgeOfOldestMessage. */
  hiddenFromMetric: number;
  /** A standard queue's own DLQ: SQS expires messages from their first enqueue in the source queue. */
  expiresFromSourceEnqueue: boolean;
}

/** A source DLQ (standard) keeps the source queue's SentTimestamp; a FIFO DLQ restarts it (reference section 4). */
function keepsOriginalEnqueue(q: QueueStatus): boolean {
  return q.role === 'source-dlq' && !q.fifo;
}

/** The oldest age of `q` at `now`, combining its age metric with what our peeks saw of it. */
export function queueAge(q: QueueStatus, peeks: QueuePeeks | undefined, now: number): QueueAge {
  const messages = peeks ? Object.values(peeks) : [];
  const hiddenFromMetric = messages.filter((m) => (m.receiveCount ?? 0) > AGE_METRIC_MAX_RECEIVES).length;
  const expiresFromSourceEnqueue = keepsOriginalEnqueue(q);
  const empty = q.visible === 0 && (q.inFlight ?? 0) === 0 && (q.delayed ?? 0) === 0;
  let oldestSent: number | null = null;
  if (!empty && q.error === null) {
    for (const m of messages) {
      if (m.sentAt === null) continue;
      // a message past the queue's retention has been deleted by SQS: it says nothing about what is left
      if (q.retentionSeconds !== null && now - m.sentAt >= q.retentionSeconds * 1000) continue;
      if (oldestSent === null || m.sentAt < oldestSent) oldestSent = m.sentAt;
    }
  }
  const peekedSeconds = oldestSent === null ? null : Math.max(0, Math.floor((now - oldestSent) / 1000));
  const metric = q.oldestAgeSeconds !== null && q.oldestAgeSeconds > 0 ? q.oldestAgeSeconds : null;
  const base = {peeked: messages.length, hiddenFromMetric, expiresFromSourceEnqueue};
  if (metric === null && peekedSeconds === null) return {...base, seconds: null, atLeast: false, from: null};
  if (peekedSeconds !== null && (metric === null || peekedSeconds > metric)) return {...base, seconds: peekedSeconds, atLeast: true, from: 'peeked'};
  return {...base, seconds: metric, atLeast: hiddenFromMetric > 0 || expiresFromSourceEnqueue, from: 'metric'};
}

/** Seconds before SQS's retention deletes the oldest message: `atMost` when the age is a lower bound. */
export function retentionLeft(q: QueueStatus, age: QueueAge): {seconds: number; atMost: boolean} | null {
  if (q.retentionSeconds === null || age.seconds === null) return null;
  return {seconds: Math.max(0, q.retentionSeconds - age.seconds), atMost: age.atLeast};
}

/** "12 min", "≥ 12 min", or null when not known. */
export function formatQueueAge(age: QueueAge): string | null {
  return age.seconds === null ? null : `${age.atLeast ? '≥ ' : ''}${formatAgeSeconds(age.seconds)}`;
}

/** When our peeks pushed messages past 3 receives: the age metric no longer sees them. */
export function hiddenFromMetricWords(age: QueueAge): string | null {
  if (age.hiddenFromMetric <= 0) return null;
  const n = age.hiddenFromMetric;
  return `${formatCount(n)} of the messages our peeks saw ${n === 1 ? 'was' : 'were'} received more than ${AGE_METRIC_MAX_RECEIVES} times (each peek counts), and SQS leaves such messages out of ApproximateAgeOfOldestMessage: the oldest may be older than the metric says`;
}

/** Why the age shown may be too young, in words; null when nothing to say. */
export function queueAgeCaveat(q: QueueStatus, age: QueueAge): string | null {
  const parts: string[] = [];
  const hidden = hiddenFromMetricWords(age);
  if (hidden) parts.push(hidden);
  if (age.from === 'peeked') parts.push(`the age is from the SentTimestamp of the oldest message our peeks saw${age.hiddenFromMetric > 0 ? '' : ', older than the age metric says'}: unpeeked ones may be older still`);
  if (age.expiresFromSourceEnqueue) {
    parts.push(age.from === 'peeked'
      ? `${q.name} keeps each message's first enqueue time in the source queue, which its retention counts from`
      : `ApproximateAgeOfOldestMessage on ${q.name} counts from the move into this DLQ, while SQS expires each message from its first enqueue in the source queue`);
  }
  return parts.length > 0 ? parts.join('; ') : null;
}

/** The same, in a few words for the queues panel's footnote; null when nothing to say. */
export function queueAgeFootnote(age: QueueAge): string | null {
  const parts: string[] = [];
  if (age.hiddenFromMetric > 0) parts.push(`${formatCount(age.hiddenFromMetric)} peeked >${AGE_METRIC_MAX_RECEIVES} receives, not in the age metric`);
  if (age.from === 'peeked') parts.push('≥ oldest peeked SentTimestamp');
  if (age.expiresFromSourceEnqueue && age.from !== 'peeked') parts.push('expiry counts from the source enqueue');
  return parts.length > 0 ? parts.join('; ') : null;
}
