// One failed request's log lines: FilterLogEvents with the quoted request id over a window around the
// failure, paged and bounded. Messages are raw (sanitise before display).
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import type {AwsClients} from './clients.ts';
import {call, errorContext} from './call.ts';
import {toAwsCallError} from './errors.ts';

export interface RequestLogLine {
  timestamp: number;
  stream: string;
  message: string;
}

export interface FetchRequestLogsOptions {
  logGroup: string;
  requestId: string;
  /** When the request ran (or failed), epoch ms. */
  around: number;
  /** Half-width of the searched window (default 15 minutes each side). */
  spanMs?: number;
  /** Most lines returned (default 200). */
  limit?: number;
  /** Most FilterLogEvents pages read (default 10): the call scans, so it is bounded. */
  maxPages?: number;
  signal?: AbortSignal;
}

export async function fetchRequestLogs(clients: AwsClients, options: FetchRequestLogsOptions): Promise<RequestLogLine[]> {
  const requestId = options.requestId.trim();
  // Request ids are UUID-like; anything else could escape the quoted filter pattern.
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(requestId)) {
    throw toAwsCallError(Object.assign(new Error(`not a request id: ${JSON.stringify(requestId.slice(0, 80))}`), {name: 'ValidationException'}), await errorContext(clients, 'logs:FilterLogEvents', options.logGroup));
  }
  const span = options.spanMs ?? 15 * 60_000;
  const limit = Math.max(1, options.limit ?? 200);
  const maxPages = options.maxPages ?? 10;
  const lines: RequestLogLine[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages && lines.length < limit; page++) {
    const response = await call(clients, {action: 'logs:FilterLogEvents', resource: options.logGroup, ...(options.signal ? {signal: options.signal} : {})}, (o) =>
      clients.logs.send(
        new FilterLogEventsCommand({
          logGroupName: options.logGroup,
          filterPattern: `"${requestId}"`,
          startTime: Math.max(0, Math.floor(options.around - span)),
          endTime: Math.ceil(options.around + span),
          limit: Math.min(10_000, limit - lines.length),
          ...(nextToken ? {nextToken} : {}),
        }),
        o,
      ),
    );
    for (const event of response.events ?? []) {
      if (typeof event.message !== 'string') continue;
      lines.push({timestamp: event.timestamp ?? event.ingestionTime ?? 0, stream: event.logStreamName ?? '', message: event.message});
    }
    nextToken = response.nextToken || undefined;
    if (!nextToken) break;
  }
  return lines.sort((a, b) => a.timestamp - b.timestamp).slice(0, limit);
}
