import {test} from 'node:test';
import assert from 'node:assert/strict';
import {EventSpool} from '../../../source/app/event-spool.ts';
import {SpoolScanner} from '../../../source/app/spool-scanner.ts';
import {failedEventMatches, filterWords, parseFailedEvent} from '../../../source/domain/failed-event.ts';

const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/q';
const event = (i: number, body: string) => parseFailedEvent({messageId: `m-${i}`, receiptHandle: `rh-${i}`, body, md5OfBody: null, attributes: {}, messageAttributes: {}, receiveCount: 1, sentAt: i}, 'dlq', URL);

/** The ids a worker scan finds (records mapped back to the ids still current). */
async function workerFinds(scanner: SpoolScanner, spool: EventSpool, text: string, from = 0, only?: ReadonlySet<string>): Promise<string[]> {
  const job = spool.scanJob(filterWords(text), from, only);
  if (job === null) return [];
  const found: string[] = [];
  const outcome = await scanner.scan(job, (records) => {
    for (const r of records) {
      const id = spool.currentId(r);
      if (id !== null) found.push(id);
    }
  });
  assert.equal(outcome, 'done');
  return found.sort();
}

test('the worker thread finds exactly what failedEventMatches finds in the full events (also narrowed, from a record on)', async () => {
  const spool = new EventSpool(3);
  const scanner = new SpoolScanner();
  try {
    const words = ['alpha', 'beta', 'Gamma', 'café', 'ünïcode 😀'];
    // Big enough for several of the worker's blocks (about 1 MB each) and several batches of hits.
    const events = Array.from({length: 6000}, (_, i) => event(i, JSON.stringify({n: i, tag: words[i % 5], more: i % 7 === 0 ? 'RARE token' : 'common', pad: 'x'.repeat(300)})));
    spool.putAll(events.slice(0, 3000));
    spool.putAll(events.slice(3000));
    spool.put(events[3]!); // a re-put event: its older record is skipped, the newer one found
    for (const text of ['gamma', 'rare TOKEN', 'café', '😀', 'm-1', 'nothing-matches', 'alpha rare', '}m-']) {
      const expected = events.filter((e) => failedEventMatches(e, text)).map((e) => e.messageId).sort();
      assert.deepEqual(await workerFinds(scanner, spool, text), expected, text);
    }
    const rare = new Set(await workerFinds(scanner, spool, 'rare'));
    assert.deepEqual(await workerFinds(scanner, spool, 'rare token', 0, rare), events.filter((e) => failedEventMatches(e, 'rare token')).map((e) => e.messageId).sort());
    // From record 5000 on: only those records (and the re-put one, record 6000).
    const tail = events.slice(5000).filter((e) => failedEventMatches(e, 'gamma')).map((e) => e.messageId);
    assert.deepEqual(await workerFinds(scanner, spool, 'gamma', 5000), tail.sort());
  } finally {
    scanner.close();
    spool.close();
  }
});

test('a newer worker scan cancels the running one; stop cancels it too', async () => {
  const spool = new EventSpool(3);
  const scanner = new SpoolScanner();
  try {
    spool.putAll(Array.from({length: 4000}, (_, i) => event(i, JSON.stringify({n: i, pad: 'common text '.repeat(40)}))));
    const first = scanner.scan(spool.scanJob(filterWords('common'), 0)!, () => {});
    const second = scanner.scan(spool.scanJob(filterWords('m-39'), 0)!, () => {});
    assert.equal(await first, 'cancelled');
    assert.equal(await second, 'done');
    const third = scanner.scan(spool.scanJob(filterWords('common'), 0)!, () => {});
    scanner.stop();
    assert.equal(await third, 'cancelled');
    // Nothing in the search file for a spool that could not write it: no job (the caller scans in process).
    assert.equal(new EventSpool(1).scanJob(['x'], 0), null);
  } finally {
    scanner.close();
    spool.close();
  }
});

test('a word typed on (each text extending the last) is found exactly, also where its first place is after the last word\'s, after a cancelled scan and records loaded since', async () => {
  const spool = new EventSpool(3);
  const scanner = new SpoolScanner();
  try {
    // "cu" first at "cu-", "cust" later, "custa" later still or not at all; some records without "cu".
    const body = (i: number) => JSON.stringify({a: i % 5 === 0 ? 'none here' : `cu-${i}`, b: i % 3 === 0 ? `cust-${i % 11}` : 'plain', c: i % 4 === 0 ? 'custard' : 'x'.repeat(i % 300), pad: 'y'.repeat(200)});
    const events = Array.from({length: 5000}, (_, i) => event(i, body(i)));
    spool.putAll(events.slice(0, 4000));
    const expected = (text: string) => spool.ids().map((id) => events.find((e) => e.messageId === id)!).filter((e) => failedEventMatches(e, text)).map((e) => e.messageId).sort();
    for (const text of ['c', 'cu', 'cus', 'cust', 'cust-', 'cust-1', 'cust-10', 'cust-1', 'cust', 'custa', 'custar']) {
      assert.deepEqual(await workerFinds(scanner, spool, text), expected(text), text);
    }
    // A scan cancelled part way keeps the last completed word's places; records loaded since are searched whole.
    const cancelled = scanner.scan(spool.scanJob(filterWords('cu-'), 0)!, () => {});
    scanner.stop();
    assert.equal(await cancelled, 'cancelled');
    spool.putAll(events.slice(4000));
    for (const text of ['custard', 'cu', 'cu-', 'cu-4', 'cu-49', 'cu-499']) {
      assert.deepEqual(await workerFinds(scanner, spool, text), expected(text), text);
    }
    // A narrowed job (the last text's matches only), then the whole spool again.
    const some = new Set(await workerFinds(scanner, spool, 'cust'));
    assert.deepEqual(await workerFinds(scanner, spool, 'cust-', 0, some), expected('cust-'));
    assert.deepEqual(await workerFinds(scanner, spool, 'cust-7'), expected('cust-7'));
  } finally {
    scanner.close();
    spool.close();
  }
});

test('a scan waited for on this thread gives every hit at once, or goes on as a scan does when it is not waited for long enough', async () => {
  const spool = new EventSpool(3);
  const scanner = new SpoolScanner();
  try {
    const events = Array.from({length: 3000}, (_, i) => event(i, JSON.stringify({n: i, tag: i % 3 === 0 ? 'cust-3' : `cust-${i % 10}`, pad: 'z'.repeat(400)})));
    spool.putAll(events);
    const ids = (records: Iterable<number>) => [...records].map((r) => spool.currentId(r)!).sort();
    const expected = (text: string) => events.filter((e) => failedEventMatches(e, text)).map((e) => e.messageId).sort();
    assert.equal(scanner.start(), true);
    for (const text of ['cust', 'cust-3', 'cust-3 z', 'nothing']) {
      const batches: number[] = [];
      // Long enough for any machine: the hits come back from the shared buffer, none through onHits.
      const waited = scanner.scanWaiting(spool.scanJob(filterWords(text), 0)!, (hits) => batches.push(...hits), 20_000);
      assert.ok('hits' in waited, text);
      assert.deepEqual(ids(waited.hits), expected(text), text);
      assert.deepEqual(batches, []);
    }
    // Not waited for (no time at all): its batches arrive as a scan's do, all of them, and it ends 'done'. (Unless
    // this thread was held up past the scan's end before it looked: then it has every hit at once.)
    const batches: number[] = [];
    const going = scanner.scanWaiting(spool.scanJob(filterWords('cust-3'), 0)!, (hits) => batches.push(...hits), 1e-9);
    if ('outcome' in going) {
      assert.equal(await going.outcome, 'done');
      assert.deepEqual(ids(batches), expected('cust-3'));
    } else assert.deepEqual(ids(going.hits), expected('cust-3'));
    // A newer scan after one taken at once: found as usual.
    assert.deepEqual(await workerFinds(scanner, spool, 'cust-7'), expected('cust-7'));
  } finally {
    scanner.close();
    spool.close();
  }
});

test('a paused scan goes on where it was once resumed, and a stop ends a paused one', async () => {
  const spool = new EventSpool(3);
  const scanner = new SpoolScanner();
  try {
    const events = Array.from({length: 6000}, (_, i) => event(i, JSON.stringify({n: i, tag: i % 4 === 0 ? 'keep' : 'skip', pad: 'p'.repeat(500)})));
    spool.putAll(events);
    const found: number[] = [];
    const scan = scanner.scan(spool.scanJob(filterWords('keep'), 0)!, (hits) => found.push(...hits));
    scanner.pause();
    await new Promise((resolve) => setTimeout(resolve, 50));
    scanner.resume();
    assert.equal(await scan, 'done');
    assert.deepEqual(found.map((r) => spool.currentId(r)!).sort(), events.filter((e) => failedEventMatches(e, 'keep')).map((e) => e.messageId).sort());
    const paused = scanner.scan(spool.scanJob(filterWords('skip'), 0)!, () => {});
    scanner.pause();
    scanner.stop();
    assert.equal(await paused, 'cancelled');
    assert.deepEqual(await workerFinds(scanner, spool, 'keep'), events.filter((e) => failedEventMatches(e, 'keep')).map((e) => e.messageId).sort());
  } finally {
    scanner.close();
    spool.close();
  }
});

/** Waits until the worker's index holds every record sent to it (or is full). */
async function indexed(scanner: SpoolScanner): Promise<void> {
  for (;;) {
    const stats = await scanner.indexStats();
    if (stats !== null && (stats.queued === 0 || stats.full)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('with the token index: what it decides, what it narrows and what it leaves to the file give exactly what failedEventMatches finds', async () => {
  const spool = new EventSpool(3);
  const scanner = new SpoolScanner();
  try {
    const body = (i: number) => JSON.stringify({customer: {id: `cust-${i % 97}`, tier: i % 3 === 0 ? 'gold' : 'standard'}, note: i % 11 === 0 ? 'say "hi" there' : `café ${i % 13} 😀`, sku: `SKU-${(i * 7) % 1000}`});
    const events = Array.from({length: 5000}, (_, i) => event(i, body(i)));
    const expected = (text: string) => spool.ids().map((id) => events.find((e) => e.messageId === id)!).filter((e) => failedEventMatches(e, text)).map((e) => e.messageId).sort();
    const texts = ['cust-4', 'cust-42', 'sku-7', 'café 1', 'gold sku-9', '😀', '"hi"', 'hi"', 'say "hi" cust-1', '":"cust-', 'tier":"gold', 'nothing', 'm-49'];
    spool.putAll(events.slice(0, 3000));
    // The first 2,000 records indexed, 1,000 not (not sent yet): both parts of one scan.
    const first = spool.searchRecordsFrom(0)!;
    assert.equal(scanner.index({path: first.path, records: first.records.slice(0, 2000), offsets: first.offsets.slice(0, 2000), lengths: first.lengths.slice(0, 2000)}), true);
    await indexed(scanner);
    assert.equal((await scanner.indexStats())!.records, 2000);
    // What this thread reads of it (payload-search.ts: a job of every record when the index decides them all).
    assert.equal(scanner.indexedRecords(), 2000);
    for (const text of texts) assert.deepEqual(await workerFinds(scanner, spool, text), expected(text), `${text} (2,000 of 3,000 indexed)`);
    // Every record indexed, one re-put (its older record is indexed but not current), more loaded since.
    scanner.index(spool.searchRecordsFrom(2000)!);
    spool.put(events[7]!);
    spool.putAll(events.slice(3000));
    scanner.index(spool.searchRecordsFrom(3000)!);
    await indexed(scanner);
    assert.equal(scanner.indexedRecords(), spool.records);
    for (const text of texts) assert.deepEqual(await workerFinds(scanner, spool, text), expected(text), `${text} (all indexed)`);
    // Narrowed and from a record on.
    const some = new Set(await workerFinds(scanner, spool, 'cust-4'));
    assert.deepEqual(await workerFinds(scanner, spool, 'cust-42', 0, some), expected('cust-42'));
    const tail = events.slice(4000).filter((e) => failedEventMatches(e, 'sku-7')).map((e) => e.messageId).sort();
    assert.deepEqual(await workerFinds(scanner, spool, 'sku-7', 4001), tail);
  } finally {
    scanner.close();
    spool.close();
  }
});

test('a new spool file starts a new index (the records of the old one are not mixed in)', async () => {
  const spool = new EventSpool(3);
  const scanner = new SpoolScanner();
  try {
    spool.putAll(Array.from({length: 500}, (_, i) => event(i, JSON.stringify({v: `old-${i}`}))));
    scanner.index(spool.searchRecordsFrom(0)!);
    await indexed(scanner);
    spool.close();
    spool.putAll(Array.from({length: 300}, (_, i) => event(i, JSON.stringify({v: `new-${i}`}))));
    scanner.index(spool.searchRecordsFrom(0)!);
    await indexed(scanner);
    assert.equal((await scanner.indexStats())!.records, 300);
    assert.equal(scanner.indexedRecords(), 300);
    assert.deepEqual(await workerFinds(scanner, spool, 'old-1'), []);
    assert.equal((await workerFinds(scanner, spool, 'new-1')).length, 111);
  } finally {
    scanner.close();
    spool.close();
  }
});

test('unique blobs fill the index past its share of the text: it stops, and the records after it are searched in the file, exactly', async () => {
  const spool = new EventSpool(3);
  const scanner = new SpoolScanner();
  try {
    let seed = 5;
    const byte = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 24);
    // About 1.4 KB of base64 per event, 4,000 events: past the index's 4 MB warm-up, its tokens all distinct.
    const events = Array.from({length: 4000}, (_, i) => event(i, JSON.stringify({n: i, blob: Buffer.from(Array.from({length: 1000}, byte)).toString('base64')})));
    spool.putAll(events);
    scanner.index(spool.searchRecordsFrom(0)!);
    await indexed(scanner);
    const stats = (await scanner.indexStats())!;
    assert.equal(stats.full, true);
    assert.ok(stats.records > 1000 && stats.records < 4000, `${stats.records} records indexed`);
    const expected = (text: string) => events.filter((e) => failedEventMatches(e, text)).map((e) => e.messageId).sort();
    const blobOf = (i: number) => (JSON.parse(events[i]!.body) as {blob: string}).blob.toLowerCase();
    for (const text of [blobOf(10).slice(100, 108), blobOf(3990).slice(7, 15), blobOf(3999).slice(0, 5), 'blob', 'm-399', `"n":12,`]) {
      assert.deepEqual(await workerFinds(scanner, spool, text), expected(text), text);
    }
  } finally {
    scanner.close();
    spool.close();
  }
});

test('lists sent ahead (prepare) are the ones a scan of the same job searches; another job still sends its own', async () => {
  const spool = new EventSpool(3);
  const scanner = new SpoolScanner();
  try {
    const events = Array.from({length: 3000}, (_, i) => event(i, JSON.stringify({n: i, tag: i % 3 === 0 ? 'three' : 'other'})));
    spool.putAll(events);
    const all = spool.scanJob(['\n'], 0)!;
    scanner.prepare(all);
    const expected = (text: string, from = 0) => events.slice(from).filter((e) => failedEventMatches(e, text)).map((e) => e.messageId).sort();
    assert.deepEqual(await workerFinds(scanner, spool, 'three'), expected('three'));
    // A job of other lists (from record 2000 on), then the prepared ones again.
    assert.deepEqual(await workerFinds(scanner, spool, 'three', 2000), expected('three', 2000));
    scanner.prepare(spool.scanJob(['\n'], 0)!);
    assert.deepEqual(await workerFinds(scanner, spool, 'other'), expected('other'));
  } finally {
    scanner.close();
    spool.close();
  }
});
