// Export failed events to JSON lines without removing them (peek + release), and read such a file back for
// `redrive --from-file` (replaying possibly edited payloads: no message to delete, the journal still
// prevents double sends).
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import type {AwsClients} from '../aws/clients.ts';
import {changeVisibility, receiveMessages} from '../aws/messages.ts';
import type {FailedEvent, MessageAttribute, QueueRole} from '../domain/types.ts';
import {parseFailedEvent} from '../domain/failed-event.ts';

/** One line of an export file. Edit `payload` to replay a changed event to a function, `body` for a queue. */
export interface ExportRecord {
  kind: 'lambda-top.failed-event';
  version: 1;
  messageId: string;
  queueUrl: string;
  source: QueueRole;
  shape: FailedEvent['shape'];
  time: number | null;
  sentAt: number | null;
  receiveCount: number | null;
  requestId: string | null;
  functionArn: string | null;
  condition: string | null;
  attempts: number | null;
  errorCode: number | null;
  errorType: string | null;
  errorMessage: string | null;
  stackTrace: string[];
  functionError: string | null;
  note: string | null;
  payload: string | null;
  body: string;
  messageAttributes: Record<string, MessageAttribute>;
}

export function toExportRecord(e: FailedEvent): ExportRecord {
  return {
    kind: 'lambda-top.failed-event', version: 1, messageId: e.messageId, queueUrl: e.queueUrl, source: e.source, shape: e.shape, time: e.time,
    sentAt: e.sentAt, receiveCount: e.receiveCount, requestId: e.requestId, functionArn: e.functionArn, condition: e.condition, attempts: e.attempts,
    errorCode: e.errorCode, errorType: e.errorType, errorMessage: e.errorMessage, stackTrace: e.stackTrace, functionError: e.functionError,
    note: e.note, payload: e.payload, body: e.body, messageAttributes: e.messageAttributes,
  };
}

export interface ExportSummary {
  exported: number;
  /** Messages we could not make visible again (they reappear after the hold timeout). */
  releaseFailures: number;
  durationMs: number;
}

/** Streams every message of a queue to `out` as JSON lines, in pages of 10, without removing any.
 * To walk past the first page, each page stays hidden (`holdSeconds`, default 120) until the export ends;
 * then all are released at once. Memory: one page of messages plus one receipt handle per message held.
 * Every receive increments the messages' ApproximateReceiveCount. */
export async function exportFailedEvents(
  clients: AwsClients,
  options: {queueUrl: string; role: QueueRole; out: NodeJS.WritableStream; limit?: number; holdSeconds?: number; signal?: AbortSignal; onPage?: (exported: number) => void},
): Promise<ExportSummary> {
  const started = Date.now();
  const held: string[] = [];
  const seen = new Set<string>();
  let exported = 0;
  let releaseFailures = 0;
  const holdSeconds = options.holdSeconds ?? 120;
  try {
    let empty = 0;
    while (!options.signal?.aborted && (options.limit === undefined || exported < options.limit)) {
      const max = Math.min(10, (options.limit ?? Infinity) - exported);
      const messages = await receiveMessages(clients, options.queueUrl, {max, visibilityTimeoutSeconds: holdSeconds, waitSeconds: empty > 0 ? 1 : 0});
      if (messages.length === 0) {
        if (++empty >= 2) break;
        continue;
      }
      empty = 0;
      let chunk = '';
      for (const m of messages) {
        held.push(m.receiptHandle);
        if (seen.has(m.messageId)) continue;
        seen.add(m.messageId);
        chunk += JSON.stringify(toExportRecord(parseFailedEvent(m, options.role, options.queueUrl))) + '\n';
        exported++;
      }
      if (!options.out.write(chunk)) await new Promise<void>((resolve) => options.out.once('drain', () => resolve()));
      options.onPage?.(exported);
    }
  } finally {
    const result = await changeVisibility(clients, options.queueUrl, held, 0);
    releaseFailures = result.failed.length;
  }
  return {exported, releaseFailures, durationMs: Date.now() - started};
}

/** Reads an export file back as FailedEvents (for --from-file). A line that is not a valid record yields an
 * event with no payload and a note naming the line, so the run reports it instead of stopping. */
export async function* readRedriveFile(path: string): AsyncGenerator<FailedEvent> {
  const lines = createInterface({input: createReadStream(path, 'utf8'), crlfDelay: Infinity});
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let r: Partial<ExportRecord> | null = null;
    try {
      r = JSON.parse(line) as Partial<ExportRecord>;
    } catch {
      r = null;
    }
    const valid = r && typeof r === 'object' && (typeof r.payload === 'string' || r.payload === null || typeof r.body === 'string');
    const body = valid && typeof r!.body === 'string' ? r!.body : valid && typeof r!.payload === 'string' ? r!.payload : '';
    yield {
      shape: valid ? (r!.shape ?? 'unparsed') : 'unparsed',
      source: valid ? (r!.source ?? 'dlq') : 'dlq',
      queueUrl: valid ? (r!.queueUrl ?? `file:${path}`) : `file:${path}`,
      messageId: valid && typeof r!.messageId === 'string' ? r!.messageId : `${path}:${n}`,
      receiptHandle: '',
      time: valid ? (r!.time ?? null) : null,
      requestId: valid ? (r!.requestId ?? null) : null,
      functionArn: valid ? (r!.functionArn ?? null) : null,
      condition: valid ? (r!.condition ?? null) : null,
      attempts: valid ? (r!.attempts ?? null) : null,
      errorType: valid ? (r!.errorType ?? null) : null,
      errorMessage: valid ? (r!.errorMessage ?? null) : null,
      stackTrace: valid && Array.isArray(r!.stackTrace) ? r!.stackTrace : [],
      errorCode: valid ? (r!.errorCode ?? null) : null,
      functionError: valid ? (r!.functionError ?? null) : null,
      payload: valid && typeof r!.payload === 'string' ? r!.payload : null,
      sizeBytes: Buffer.byteLength(body),
      receiveCount: valid ? (r!.receiveCount ?? null) : null,
      sentAt: valid ? (r!.sentAt ?? null) : null,
      messageAttributes: valid && r!.messageAttributes && typeof r!.messageAttributes === 'object' ? r!.messageAttributes : {},
      note: valid ? (r!.note ?? null) : `line ${n} of ${path} is not an export record`,
      body,
    };
  }
}

/** Counts the records of a file (for the confirmation and progress). */
export async function countRedriveFile(path: string): Promise<number> {
  let count = 0;
  for await (const line of createInterface({input: createReadStream(path, 'utf8'), crlfDelay: Infinity})) if (line.trim() !== '') count++;
  return count;
}

/** Refuses (throws, with one line) a --from-file that is not an export: its first record must be a
 * `lambda-top.failed-event` line. Checked before anything is read from a queue or sent. */
export async function assertExportFile(path: string): Promise<void> {
  let first: string | null = null;
  try {
    const lines = createInterface({input: createReadStream(path, 'utf8'), crlfDelay: Infinity});
    for await (const line of lines) {
      if (line.trim() === '') continue;
      first = line;
      break;
    }
    lines.close();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new Error(`cannot read ${path}: ${e.code ?? e.name}: ${e.message}`);
  }
  if (first === null) throw new Error(`${path} is empty: nothing to redrive`);
  let kind: unknown;
  try {
    kind = (JSON.parse(first) as {kind?: unknown} | null)?.kind;
  } catch {
    kind = undefined;
  }
  if (kind !== 'lambda-top.failed-event') throw new Error(`${path} is not a lambda-top export (its first line is not a lambda-top.failed-event record); make one with lambda-top export`);
}
