// The send phase: planned events to the target, paced (token bucket + AIMD on throttles), retried on
// retryable failures. Each acceptance is handed to `onAccepted` AS SOON AS it arrives (one invoke's 202, or
// one SendMessageBatch answer) and counts as accepted only once that resolves: the engine journals it there
// (fdatasync), so a kill -9 at any instant re-sends at most the sends in flight at that instant.
import type {InvokeOutcome} from '../aws/invoke.ts';
import type {SendEntry, SendResult} from '../aws/messages.ts';
import {createAimd, type Aimd} from './aimd.ts';
import type {RedriveTarget} from './journal.ts';
import type {PlannedSend} from './plan.ts';
import {createTokenBucket, sleep, type TokenBucket} from './token-bucket.ts';

const THROTTLE_CODE = /throttl|toomanyrequests|slowdown|requestlimitexceeded/i;
const RETRYABLE_SEND_CODE = /throttl|toomanyrequests|serviceunavailable|internal|timeout|noresult|econn|socket|network|aborted/i;

export interface SendPorts {
  sendBatch(queueUrl: string, entries: SendEntry[]): Promise<SendResult>;
  invoke(functionName: string, payload: string, qualifier?: string, payloadSha256?: string): Promise<InvokeOutcome>;
}

/** The pace of a run: a token bucket whose rate AIMD lowers on throttles and raises back on successes. */
export class Pacer {
  readonly bucket: TokenBucket;
  private aimd: Aimd | null;
  throttles = 0;

  constructor(
    rate: number,
    burst: number,
    private readonly now: () => number,
  ) {
    this.bucket = createTokenBucket({ratePerSecond: rate, burst: Number.isFinite(rate) ? Math.max(1, Math.min(burst, Math.ceil(rate))) : 1, now});
    this.aimd = Number.isFinite(rate) ? createAimd({initial: rate, min: Math.min(rate, 0.5), max: rate, increase: Math.max(1, rate / 20), now}) : null;
  }

  throttled(currentRate: number): void {
    this.throttles++;
    this.aimd ??= createAimd({initial: Math.max(1, currentRate || 50), min: 0.5, max: 10_000, increase: 5, now: this.now});
    this.bucket.setRate(this.aimd.onThrottle());
  }

  succeeded(n: number): void {
    if (n > 0 && this.aimd) this.bucket.setRate(this.aimd.onSuccess(n));
  }
}

export interface SendContext {
  target: RedriveTarget;
  ports: SendPorts;
  pacer: Pacer;
  maxAttempts: number;
  invokeConcurrency: number;
  signal?: AbortSignal | undefined;
  /** Called with each acceptance; the send counts as accepted once it resolves (journaled). A rejection
   * leaves it `unjournaled`: accepted by the target, but its message must not be deleted. */
  onAccepted(accepted: ReadonlyArray<{send: PlannedSend; newId: string}>): Promise<void>;
  onAttempt(n: number): void;
  onError(message: string): void;
  currentRate(): number;
}

export interface SendOutcome {
  ok: Array<{send: PlannedSend; newId: string}>;
  bad: Array<{send: PlannedSend; outcome: string; detail: string}>;
  /** Never attempted (abort): untouched. */
  unsent: PlannedSend[];
  /** Accepted by the target, but the journal write failed: keep the message (a resend is possible). */
  unjournaled: PlannedSend[];
}

const backoff = (attempt: number, signal?: AbortSignal) => sleep(Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2), signal);

export async function sendPlanned(sends: readonly PlannedSend[], ctx: SendContext): Promise<SendOutcome> {
  return ctx.target.kind === 'lambda' ? sendInvokes(sends, ctx, ctx.target) : sendToQueue(sends, ctx, ctx.target.queueUrl);
}

async function record(ctx: SendContext, out: SendOutcome, accepted: Array<{send: PlannedSend; newId: string}>): Promise<void> {
  if (accepted.length === 0) return;
  try {
    await ctx.onAccepted(accepted);
    out.ok.push(...accepted);
  } catch {
    out.unjournaled.push(...accepted.map((a) => a.send));
  }
}

/** Async invokes, `invokeConcurrency` at a time; each 202 is journaled before the next invoke of its worker.
 * When every invoke of the batch runs at once (the default: 10 of 10), no worker has a next invoke, so the
 * batch's 202s are journaled together, with one fdatasync, once the last is answered: the same bound (the
 * invokes in flight) with one sync per batch instead of one per group of answers. */
async function sendInvokes(sends: readonly PlannedSend[], ctx: SendContext, target: Extract<RedriveTarget, {kind: 'lambda'}>): Promise<SendOutcome> {
  const out: SendOutcome = {ok: [], bad: [], unsent: [], unjournaled: []};
  const together = ctx.invokeConcurrency >= sends.length;
  const answered: Array<{send: PlannedSend; newId: string}> = [];
  let next = 0;
  const worker = async () => {
    while (next < sends.length) {
      const send = sends[next++]!;
      if (ctx.signal?.aborted) {
        out.unsent.push(send);
        continue;
      }
      ctx.onAttempt(1);
      for (let attempt = 1; ; attempt++) {
        const wait = ctx.pacer.bucket.reserve(1);
        if (wait > 0) await sleep(wait, ctx.signal);
        let result: InvokeOutcome;
        try {
          // payloadHash is the payload's full SHA-256 (plan.ts): the signature's body hash too.
          result = await ctx.ports.invoke(target.functionName, send.payload, target.qualifier, send.payloadHash);
        } catch (error) {
          if ((error as Error).name === 'ReadOnlyError') throw error;
          result = {outcome: 'failed', message: String((error as Error).message ?? error), retryable: true};
        }
        if (result.outcome === 'accepted') {
          ctx.pacer.succeeded(1);
          if (together) answered.push({send, newId: result.requestId});
          else await record(ctx, out, [{send, newId: result.requestId}]);
          break;
        }
        ctx.onError(result.message);
        if (result.outcome === 'throttled') ctx.pacer.throttled(ctx.currentRate());
        if (!result.retryable || attempt >= ctx.maxAttempts || ctx.signal?.aborted) {
          out.bad.push({send, outcome: result.outcome, detail: result.message});
          break;
        }
        await backoff(attempt, ctx.signal);
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(ctx.invokeConcurrency, sends.length)}, worker));
  await record(ctx, out, answered);
  return out;
}

/** One SendMessageBatch per attempt; only the entries that failed retryably are retried. */
async function sendToQueue(sends: readonly PlannedSend[], ctx: SendContext, queueUrl: string): Promise<SendOutcome> {
  const out: SendOutcome = {ok: [], bad: [], unsent: [], unjournaled: []};
  const fifo = queueUrl.endsWith('.fifo');
  let pending = sends.map((send, i) => ({send, id: String(i)}));
  ctx.onAttempt(pending.length);
  for (let attempt = 1; pending.length > 0; attempt++) {
    await sleep(ctx.pacer.bucket.reserve(pending.length), ctx.signal);
    const entries: SendEntry[] = pending.map(({send, id}) => ({
      id,
      body: send.payload,
      messageAttributes: send.messageAttributes,
      // FIFO: deduplicate by the message's identity, never by its body (two messages, same body, two events).
      ...(fifo ? {messageGroupId: send.event.messageAttributes.MessageGroupId?.stringValue ?? 'lambda-top-redrive', messageDeduplicationId: send.event.messageId.slice(0, 128)} : {}),
    }));
    let result: SendResult;
    try {
      result = await ctx.ports.sendBatch(queueUrl, entries);
    } catch (error) {
      if ((error as Error).name === 'ReadOnlyError') throw error;
      result = {accepted: [], failed: entries.map((e) => ({id: e.id, code: (error as Error).name ?? 'Error', message: String((error as Error).message), senderFault: false}))};
    }
    const byId = new Map(pending.map((p) => [p.id, p.send]));
    const accepted: Array<{send: PlannedSend; newId: string}> = [];
    for (const a of result.accepted) {
      const send = byId.get(a.id);
      if (send) accepted.push({send, newId: a.messageId});
    }
    ctx.pacer.succeeded(accepted.length);
    await record(ctx, out, accepted);
    const retry: typeof pending = [];
    let throttled = false;
    for (const f of result.failed) {
      const send = byId.get(f.id);
      if (!send) continue;
      ctx.onError(`${f.code}: ${f.message}`);
      if (THROTTLE_CODE.test(f.code)) throttled = true;
      const retryable = !f.senderFault || RETRYABLE_SEND_CODE.test(f.code);
      if (retryable && attempt < ctx.maxAttempts && !ctx.signal?.aborted) retry.push({send, id: f.id});
      else out.bad.push({send, outcome: f.senderFault ? 'rejected' : 'failed', detail: `${f.code}: ${f.message}`});
    }
    if (throttled) ctx.pacer.throttled(ctx.currentRate());
    pending = retry;
    if (pending.length > 0) await backoff(attempt, ctx.signal);
  }
  return out;
}
