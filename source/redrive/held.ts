// Messages a run holds back (skipped, failed, dry-run peeks): hidden while the run goes on, so a receive
// does not hand them out again, and released (ChangeMessageVisibility 0) when the run ends.
// Memory: the message ids (to recognise one that comes back) as 16-byte keys in the spilling id set the run's
// acceptances use (id-spill.ts: an SQS message id is a UUID, its own 16 bytes, exact; the newest 5,460 per queue
// in memory, older ones in a private temporary file, about 3 bytes an id in memory beyond those), not a string
// and a Set entry each: a dry run of 100,000 messages holds every one. At most `inMemory` receipt handles stay in
// memory; the rest (an SQS handle is up to ~1 KB) go to a private temporary file, read back to release.
import {createReadStream} from 'node:fs';
import {appendFile, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {SPILL_AT, SpillingIdSet} from './id-spill.ts';

export class HeldMessages {
  /** Per queue URL: the ids held (a lookup that hits in the spill file confirms the exact 16-byte key). */
  private readonly ids = new Map<string, SpillingIdSet>();
  private readonly handlesInMemory: Array<[string, string]> = [];
  /** Created once, even when several batches flush at the same time. */
  private spoolDir: Promise<string> | null = null;
  private spoolText = '';
  private spooled = 0;
  /** Handles superseded by a newer receive of the same message (releasing them may be refused). */
  superseded = 0;
  private count = 0;

  constructor(
    private readonly inMemory = 2000,
    /** Ids per queue kept in memory before the older ones go to a temporary file (id-spill.ts). */
    private readonly idsSpillAt = SPILL_AT,
  ) {}

  /** Holds (or, for a message received again, records the newer handle of) a message. */
  park(queueUrl: string, messageId: string, receiptHandle: string): void {
    let m = this.ids.get(queueUrl);
    if (!m) this.ids.set(queueUrl, (m = new SpillingIdSet(this.idsSpillAt)));
    if (m.has(messageId)) this.superseded++;
    else {
      m.add(messageId, 0);
      this.count++;
    }
    if (this.handlesInMemory.length < this.inMemory) this.handlesInMemory.push([queueUrl, receiptHandle]);
    else {
      this.spoolText += `${queueUrl}\t${receiptHandle}\n`;
      this.spooled++;
    }
  }

  has(queueUrl: string, messageId: string): boolean {
    return this.ids.get(queueUrl)?.has(messageId) ?? false;
  }

  get size(): number {
    return this.count;
  }

  /** Releases the id sets' temporary files (the end of the run, after drain). */
  close(): void {
    for (const set of this.ids.values()) set.close();
    this.ids.clear();
  }

  /** Writes buffered handles to the spool file (call between batches; bounded buffer). */
  async flush(): Promise<void> {
    if (this.spoolText === '') return;
    const text = this.spoolText;
    this.spoolText = '';
    try {
      this.spoolDir ??= mkdtemp(join(tmpdir(), 'lambda-top-held-'));
      await appendFile(join(await this.spoolDir, 'handles'), text, {mode: 0o600});
    } catch (error) {
      this.spoolText = text + this.spoolText; // kept in memory rather than lost
      throw error;
    }
  }

  /** Every handle, per queue, in chunks of at most `chunk` (memory stays bounded); then the spool is removed. */
  async *drain(chunk = 500): AsyncGenerator<[string, string[]]> {
    const byQueue = new Map<string, string[]>();
    const take = function* (queueUrl: string, handle: string): Generator<[string, string[]]> {
      const list = byQueue.get(queueUrl) ?? [];
      list.push(handle);
      byQueue.set(queueUrl, list);
      if (list.length >= chunk) {
        byQueue.delete(queueUrl);
        yield [queueUrl, list];
      }
    };
    for (const [queueUrl, handle] of this.handlesInMemory) yield* take(queueUrl, handle);
    await this.flush();
    if (this.spoolDir) {
      const dir = await this.spoolDir;
      for await (const line of createInterface({input: createReadStream(join(dir, 'handles'), 'utf8'), crlfDelay: Infinity})) {
        const tab = line.indexOf('\t');
        if (tab > 0) yield* take(line.slice(0, tab), line.slice(tab + 1));
      }
      await rm(dir, {recursive: true, force: true});
      this.spoolDir = null;
    }
    for (const entry of byQueue) yield entry;
  }
}
