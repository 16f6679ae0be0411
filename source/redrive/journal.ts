// The redrive journal: JSON lines, one record per outcome. The 'accepted' records of a batch are written
// and fdatasync'ed BEFORE the batch's messages are deleted, so after a crash at any instant the journal
// knows every payload the target accepted whose message may still be in the queue. A resumed run reads it
// and never sends such a payload to the same target again: it only deletes the leftover message.
// A kill -9 can tear the last line; reading ignores a torn last line, and appending first ends it.
import {createHash} from 'node:crypto';
import {open, readFile, type FileHandle} from 'node:fs/promises';

export type JournalOutcome = 'accepted' | 'failed' | 'skipped' | 'deleted';

export interface JournalRecord {
  /** ISO time the outcome was learned. */
  time: string;
  messageId: string;
  /** Lambda's request id (invoke) or the new SQS message id (send); null when nothing was accepted. */
  requestId: string | null;
  /** sha256 hex of the exact payload sent (or that would have been sent). */
  payloadHash: string;
  /** The queue the event came from ("file:<path>" for --from-file). */
  source: string;
  /** targetKey(): "lambda:<function>[:<qualifier>]" or "queue:<url>". */
  target: string;
  outcome: JournalOutcome;
  detail: string;
}

export function payloadHash(payload: string): string {
  return createHash('sha256').update(payload, 'utf8').digest('hex');
}

export type RedriveTarget = {kind: 'lambda'; functionName: string; qualifier?: string} | {kind: 'queue'; queueUrl: string};

export function targetKey(target: RedriveTarget): string {
  return target.kind === 'lambda' ? `lambda:${target.functionName}${target.qualifier ? `:${target.qualifier}` : ''}` : `queue:${target.queueUrl}`;
}

/** What earlier runs achieved, per target: accepted payload hashes and the messages they came from. */
export class JournalIndex {
  /** target -> payloadHash -> {first accepted time (ms), message ids it was accepted from} */
  private readonly accepted = new Map<string, Map<string, {time: number; messageIds: Set<string>}>>();
  private readonly deleted = new Set<string>();
  records = 0;
  /** Lines that could not be parsed (a torn last line after kill -9, or damage). */
  badLines = 0;

  add(record: JournalRecord): void {
    this.records++;
    if (record.outcome === 'accepted') {
      let byHash = this.accepted.get(record.target);
      if (!byHash) this.accepted.set(record.target, (byHash = new Map()));
      const entry = byHash.get(record.payloadHash);
      const time = Date.parse(record.time);
      if (entry) entry.messageIds.add(record.messageId);
      else byHash.set(record.payloadHash, {time: Number.isFinite(time) ? time : 0, messageIds: new Set([record.messageId])});
    } else if (record.outcome === 'deleted') {
      this.deleted.add(record.messageId);
    }
  }

  /** The earlier acceptance of this payload by this target, if any. */
  acceptance(target: string, hash: string): {time: number; messageIds: ReadonlySet<string>} | undefined {
    return this.accepted.get(target)?.get(hash);
  }

  wasDeleted(messageId: string): boolean {
    return this.deleted.has(messageId);
  }

  acceptedCount(target?: string): number {
    if (target) return this.accepted.get(target)?.size ?? 0;
    let n = 0;
    for (const m of this.accepted.values()) n += m.size;
    return n;
  }
}

function isRecord(value: unknown): value is JournalRecord {
  const r = value as Partial<JournalRecord> | null;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.messageId === 'string' &&
    typeof r.payloadHash === 'string' &&
    typeof r.target === 'string' &&
    (r.outcome === 'accepted' || r.outcome === 'failed' || r.outcome === 'skipped' || r.outcome === 'deleted')
  );
}

/** Parses journal text. Pure. Unparseable lines (the torn tail of a killed run) are counted, not fatal. */
export function parseJournal(text: string, index = new JournalIndex()): JournalIndex {
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isRecord(value)) index.add(value);
      else index.badLines++;
    } catch {
      index.badLines++;
    }
  }
  return index;
}

/** Reads a journal file; a missing file is an empty journal. */
export async function readJournal(path: string): Promise<JournalIndex> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new JournalIndex();
    throw error;
  }
  return parseJournal(text);
}

export interface JournalWriter {
  readonly path: string;
  /** Appends records; with `sync`, returns only after fdatasync (the data is on disk). */
  append(records: readonly JournalRecord[], options?: {sync?: boolean}): Promise<void>;
  close(): Promise<void>;
}

/** Opens (creates) a journal for appending. If a killed run left a torn last line, ends it first so the
 * next record starts on its own line. */
export async function openJournal(path: string): Promise<JournalWriter> {
  const handle: FileHandle = await open(path, 'a+');
  const {size} = await handle.stat();
  if (size > 0) {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) await handle.write('\n');
  }
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  return {
    path,
    append(records, options = {}) {
      // Serialise writers so concurrent batches never interleave inside a line.
      const run = queue.then(async () => {
        if (closed) throw new Error(`journal ${path} is closed`);
        if (records.length > 0) await handle.write(records.map((r) => JSON.stringify(r) + '\n').join(''));
        if (options.sync) await handle.datasync();
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await queue;
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}
