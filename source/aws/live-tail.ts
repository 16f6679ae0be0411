// StartLiveTail: a streaming session on a log group (an update a second, at most 500 events each, sampled beyond
// that; ends after 3 hours; billed per minute while open). The session is closed by aborting its signal: the
// connection is torn down and billing stops. Emulators answer "unknown operation" (the simulator, moto): that
// reaches the caller as an AwsCallError of kind 'unsupported', and the tail falls back to polling.
import type {AwsClients} from './clients.ts';
import {call} from './call.ts';
import type {LogEvent} from './logs.ts';

export type LiveTailUpdate =
  | {kind: 'started'}
  | {kind: 'events'; events: LogEvent[]; sampled: boolean}
  /** The service ended the session (its 3-hour limit, or a streaming error): reconnect. */
  | {kind: 'ended'; reason: string};

export interface LiveTailOptions {
  logGroupArn: string;
  filterPattern?: string;
  /** Aborting it closes the session. */
  signal: AbortSignal;
}

/** Opens a session and yields its updates until it ends or the signal aborts. Errors before the first update
 * (access denied, unsupported) are thrown from the first `next()`. */
export async function* liveTail(clients: AwsClients, options: LiveTailOptions): AsyncGenerator<LiveTailUpdate> {
  // The SDK's CloudWatch Logs module (its event stream) only when a tail opens: the dashboard loads this module with
  // its logs panel, and reads over the lean path otherwise.
  const {StartLiveTailCommand} = await import('./sdk/cloudwatch-logs.ts');
  const response = await call(clients, {action: 'logs:StartLiveTail', resource: options.logGroupArn, signal: options.signal}, (o) =>
    clients.logs.send(new StartLiveTailCommand({logGroupIdentifiers: [options.logGroupArn], ...(options.filterPattern ? {logEventFilterPattern: options.filterPattern} : {})}), o),
  );
  const stream = response.responseStream;
  if (!stream) {
    yield {kind: 'ended', reason: 'the service opened no stream'};
    return;
  }
  try {
    for await (const update of stream) {
      if (options.signal.aborted) return;
      if (update.sessionStart) yield {kind: 'started'};
      else if (update.sessionUpdate) {
        const events: LogEvent[] = (update.sessionUpdate.sessionResults ?? [])
          .filter((e) => typeof e.message === 'string')
          .map((e) => ({eventId: null, timestamp: e.timestamp ?? e.ingestionTime ?? 0, stream: e.logStreamName ?? '', message: e.message!}));
        yield {kind: 'events', events, sampled: update.sessionUpdate.sessionMetadata?.sampled === true};
      } else if (update.SessionTimeoutException) {
        yield {kind: 'ended', reason: 'the session reached its 3-hour limit'};
        return;
      } else if (update.SessionStreamingException) {
        yield {kind: 'ended', reason: `streaming error: ${update.SessionStreamingException.message ?? 'unknown'}`};
        return;
      }
    }
  } catch (error) {
    if (options.signal.aborted) return;
    const name = (error as {name?: string}).name ?? '';
    if (name === 'SessionTimeoutException') {
      yield {kind: 'ended', reason: 'the session reached its 3-hour limit'};
      return;
    }
    if (name === 'SessionStreamingException') {
      yield {kind: 'ended', reason: `streaming error: ${(error as Error).message}`};
      return;
    }
    throw error;
  }
  yield {kind: 'ended', reason: 'the service closed the stream'};
}
