// One sample of the function's recent logs for the diagnosis: a FilterLogEvents query (START, REPORT and error
// lines over the last few minutes of log time, every page within a line limit and a time budget), paced by the
// process-wide pacer that the logs panel and the browser's `l` share. The dashboard source polls it every few
// refreshes; the figures are source/domain/log-sample.ts's.
import type {AwsClients} from '../aws/clients.ts';
import {readAllPages} from '../aws/logs.ts';
import {LOG_SAMPLE_LIMIT, LOG_SAMPLE_PATTERN, LOG_SAMPLE_WINDOW_MS, summarizeLogSample, type LogSample} from '../domain/log-sample.ts';

/** Wall ms one sample may take (pages can be empty while a nextToken still comes back). */
const SAMPLE_BUDGET_MS = 10_000;

export async function fetchLogSample(
  clients: AwsClients,
  options: {logGroup: string; now: () => number; windowMs?: number; limit?: number; signal?: AbortSignal},
): Promise<LogSample> {
  const windowMs = options.windowMs ?? LOG_SAMPLE_WINDOW_MS;
  const end = options.now();
  const read = await readAllPages(
    clients,
    {logGroup: options.logGroup, filterPattern: LOG_SAMPLE_PATTERN, startTime: end - windowMs, endTime: end},
    {limit: options.limit ?? LOG_SAMPLE_LIMIT, deadline: Date.now() + SAMPLE_BUDGET_MS, ...(options.signal ? {signal: options.signal} : {})},
  );
  return summarizeLogSample(read.events, {windowMs, cut: read.cutBy !== null});
}
