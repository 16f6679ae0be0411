// Pacing for commands that walk many functions (`doctor --all`): every Lambda control-plane call goes through one
// token bucket under the API's rate limit, and a throttled call pauses every caller for an exponential backoff
// with jitter before it is tried again. The pacer is the FilterLogEvents one (source/aws/logs-pacer.ts: a token
// bucket plus a shared throttle pause, generic in what it sends), at Lambda's rate.
import type {LambdaClient} from '@aws-sdk/client-lambda';
import type {AwsClients} from './clients.ts';
import {createLogsPacer, type LogsPacer, type PacerOptions} from './logs-pacer.ts';

/** Lambda's control-plane quota: 15 requests per second per region (all control-plane calls together, except
 * GetFunction and GetPolicy); we stay under it so that other tools of the account keep some room. */
export const LAMBDA_CONTROL_PLANE_PER_SECOND = 15;
export const DOCTOR_LAMBDA_CALLS_PER_SECOND = 10;
/** A throttled call is tried again until this long after it was first sent (then its error is reported). */
const THROTTLE_DEADLINE_MS = 60_000;

export function createLambdaPacer(options: PacerOptions = {}): LogsPacer {
  return createLogsPacer({ratePerSecond: DOCTOR_LAMBDA_CALLS_PER_SECOND, ...options});
}

/** The same clients, with every Lambda call sent through `pacer`. destroy() is the caller's (the original's). */
export function withPacedLambda(clients: AwsClients, pacer: LogsPacer, now: () => number = Date.now): AwsClients {
  let lambda: LambdaClient | undefined;
  const paced = (): LambdaClient =>
    (lambda ??= new Proxy(clients.lambda, {
      get(target, prop) {
        if (prop !== 'send') return Reflect.get(target, prop, target) as unknown;
        return (command: Parameters<LambdaClient['send']>[0], options?: {abortSignal?: AbortSignal}) => {
          const signal = options?.abortSignal as AbortSignal | undefined;
          return pacer.run(() => target.send(command, options), {deadline: now() + THROTTLE_DEADLINE_MS, ...(signal ? {signal} : {})});
        };
      },
    }));
  return {
    get lambda() {
      return paced();
    },
    get sqs() {
      return clients.sqs;
    },
    get cloudwatch() {
      return clients.cloudwatch;
    },
    get logs() {
      return clients.logs;
    },
    get iam() {
      return clients.iam;
    },
    region: () => clients.region(),
    lean: clients.lean,
    ...(clients.endpoint ? {endpoint: clients.endpoint} : {}),
    destroy() {},
  };
}

/** Runs `work` over `items` with at most `concurrency` at a time; results in the items' order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({length: Math.max(1, Math.min(concurrency, items.length))}, worker));
  return results;
}
