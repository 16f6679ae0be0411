// One pacer for FilterLogEvents, shared by every caller in the process (the `logs` command, the tail, the
// browser's `l`): CloudWatch Logs allows 5 FilterLogEvents requests per second per account and region, and the
// quota cannot be raised. A token bucket (burst 1, so no sliding second ever holds more than 5 starts) spaces
// the calls; a ThrottlingException pauses every caller of that account+region for an exponential backoff with
// jitter (250 ms doubling to 8 s), and the throttled call is tried again until its deadline.
// (The token bucket is the redrive engine's, source/redrive/token-bucket.ts: generic and pure, imported as is.)
import {createTokenBucket, sleep as defaultSleep, type TokenBucket} from '../redrive/token-bucket.ts';
import type {AwsClients} from './clients.ts';
import {isAbortError, isThrottleError} from './errors.ts';

/** FilterLogEvents: requests per second per account and region (CloudWatch Logs quotas; not adjustable). */
export const FILTER_LOG_EVENTS_PER_SECOND = 5;

export interface PacerOptions {
  ratePerSecond?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface PacedCallOptions {
  signal?: AbortSignal;
  /** Wall-clock epoch ms after which a throttled call is not tried again (its error is thrown). */
  deadline?: number;
}

export interface PacerStats {
  /** Calls sent. */
  sent: number;
  /** Of those, answered with throttling. */
  throttled: number;
  /** Wall ms spent waiting for the bucket or a backoff. */
  waitedMs: number;
}

export interface LogsPacer {
  run<T>(send: () => Promise<T>, options?: PacedCallOptions): Promise<T>;
  readonly stats: Readonly<PacerStats>;
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), {name: 'AbortError'});
}

export function createLogsPacer(options: PacerOptions = {}): LogsPacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const base = options.baseBackoffMs ?? 250;
  const cap = options.maxBackoffMs ?? 8000;
  const bucket: TokenBucket = createTokenBucket({ratePerSecond: options.ratePerSecond ?? FILTER_LOG_EVENTS_PER_SECOND, burst: 1, now});
  /** Until when every caller waits after a throttle (the service said the account is over its rate). */
  let pausedUntil = 0;
  let consecutiveThrottles = 0;
  const stats: PacerStats = {sent: 0, throttled: 0, waitedMs: 0};

  const wait = async (ms: number, signal?: AbortSignal) => {
    if (ms <= 0) return;
    stats.waitedMs += ms;
    await sleep(ms, signal);
    if (signal?.aborted) throw abortError();
  };

  return {
    stats,
    async run<T>(send: () => Promise<T>, call: PacedCallOptions = {}): Promise<T> {
      for (;;) {
        if (call.signal?.aborted) throw abortError();
        await wait(pausedUntil - now(), call.signal);
        await wait(bucket.reserve(), call.signal);
        // Another caller may have been throttled while this one waited for its token.
        if (pausedUntil > now()) continue;
        stats.sent++;
        try {
          const result = await send();
          consecutiveThrottles = 0;
          return result;
        } catch (error) {
          if (isAbortError(error) || !isThrottleError(error)) throw error;
          stats.throttled++;
          consecutiveThrottles++;
          const ceiling = Math.min(cap, base * 2 ** Math.min(16, consecutiveThrottles - 1));
          // "Equal jitter": at least half the step, so callers spread out but never hammer at once.
          const backoff = Math.round(ceiling / 2 + random() * (ceiling / 2));
          pausedUntil = Math.max(pausedUntil, now() + backoff);
          if (call.deadline !== undefined && pausedUntil >= call.deadline) throw error;
        }
      }
    },
  };
}

const shared = new Map<string, LogsPacer>();

/** The process-wide pacer of the account+region the clients talk to (keyed by endpoint and region: the account
 * is one per set of credentials, and lambda-top uses one set per process). */
export async function logsPacerFor(clients: AwsClients): Promise<LogsPacer> {
  let region = '?';
  try {
    region = await clients.region();
  } catch {
    // the call itself will fail with the region error
  }
  const key = `${clients.endpoint ?? 'aws'}|${region}`;
  let pacer = shared.get(key);
  if (!pacer) shared.set(key, (pacer = createLogsPacer()));
  return pacer;
}
