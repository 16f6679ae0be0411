// `lambda-top redrive` / `export` as commands against a quiet simulator: where journals and exports go (XDG
// state dir, never the current directory), a function with both a DLQ and an OnFailure destination sends each
// request id once, many messages with one body are many events, failed-again detection by the journal's new
// request id (and --include-failed-again), and the refusals of files that are not journals or exports.
import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {exportCommand, redriveCommand, type RedriveCommandOptions} from '../../source/redrive/commands.ts';
import {readJournalEntries} from '../../source/redrive/journal.ts';
import {journalPathFor} from '../../source/app/state-paths.ts';
import {dlqAttributes, FN, invocationRecord, startRedriveWorld, type RedriveWorld} from '../helpers/redrive-world.ts';
import {captureIo} from '../helpers/capture.ts';

let w: RedriveWorld;
let dir: string;
let cwd: string;
const originalCwd = process.cwd();

before(async () => {
  w = await startRedriveWorld();
  dir = await mkdtemp(join(tmpdir(), 'redrive-commands-'));
  cwd = await mkdtemp(join(tmpdir(), 'redrive-cwd-'));
  process.env.XDG_STATE_HOME = join(dir, 'state');
  process.chdir(cwd);
});
after(async () => {
  process.chdir(originalCwd);
  await w?.stop();
  for (const d of [dir, cwd]) if (d) await rm(d, {recursive: true, force: true});
});

async function run(options: Partial<RedriveCommandOptions>, confirm?: (q: string) => Promise<boolean>): Promise<{code: number; err: string; json: unknown}> {
  const {stdout, stderr} = captureIo();
  const code = await redriveCommand(
    {readOnly: false, yes: !confirm, json: true, ...options},
    {clients: w.clients, stdout, stderr, confirm: confirm ?? (async () => true), isTTY: Boolean(confirm)},
  );
  return {code, err: stderr.text, json: stdout.text ? JSON.parse(stdout.text) : null};
}

const dlqJournal = () => journalPathFor({accountId: '123456789012', region: 'us-east-1', queueName: 'twin-dlq'});

test('both queues: each request id is invoked once, its copy in the other queue deleted; journals under XDG state, nothing in the cwd', async () => {
  const dlq = await w.url('twin-dlq');
  const failures = await w.url('twin-failures');
  const payload = (i: number) => ({uid: `both-${i}`, Records: [{s3: {object: {key: 'same-key.png'}}}]});
  await w.send(dlq, Array.from({length: 5}, (_, i) => ({body: JSON.stringify(payload(i)), attributes: dlqAttributes(`both-req-${i}`)})));
  // The destination has the 5 twins, and 2 failures of its own (say the DLQ write failed for them).
  await w.send(failures, Array.from({length: 7}, (_, i) => ({body: invocationRecord(`both-req-${i}`, payload(i))})));
  let question = '';
  const result = await run({functionName: FN}, async (q) => ((question = q), true));
  assert.equal(result.code, 0, result.err);
  assert.match(question, /twin-dlq to twin-fn, and from .*twin-failures to twin-fn/);
  assert.match(question, /Journal: .*journals\/123456789012\/us-east-1\/twin-dlq\.jsonl/);
  assert.match(result.err, /both a DLQ and an OnFailure destination/);
  assert.match(result.err, /rate: 10\/s \(the function has no reserved concurrency/);
  for (let i = 0; i < 7; i++) assert.equal(w.invoked.get(`both-${i}`), 1, `both-${i} invoked ${w.invoked.get(`both-${i}`)} times`);
  assert.equal(w.engine.peekAll(dlq).length, 0);
  assert.equal(w.engine.peekAll(failures).length, 0);
  const [first, second] = result.json as Array<{accepted: number; leftoversDeleted: number}>;
  assert.equal(first!.accepted, 5);
  assert.equal(second!.accepted, 2);
  assert.equal(second!.leftoversDeleted, 5, 'the twins were deleted without being sent');
  assert.match(result.err, /journal: .*twin-dlq\.jsonl, .*twin-failures\.jsonl/);
  assert.equal((await readJournalEntries(dlqJournal())).filter((e) => e.outcome === 'accepted').length, 5);
  assert.deepEqual(await readdir(cwd), [], 'nothing written to the current directory');
});

test('failed again: an event carrying the request id the journal recorded for its redrive is skipped (exit 1) unless --include-failed-again', async () => {
  const dlq = await w.url('twin-dlq');
  const accepted = (await readJournalEntries(dlqJournal())).find((e) => e.outcome === 'accepted')!;
  // The redriven invocation (accepted as newId) failed again: Lambda wrote it back to the DLQ with that id.
  // Beside it, a new failure with the same payload and its own request id: a legitimate event, sent.
  await w.send(dlq, [
    {body: JSON.stringify({uid: 'again-1'}), attributes: dlqAttributes(accepted.newId!)},
    {body: JSON.stringify({uid: 'again-1'}), attributes: dlqAttributes('a-new-failure')},
  ]);
  const first = await run({functionName: FN, source: 'dlq'});
  assert.equal(first.code, 1, first.err);
  assert.equal(w.invoked.get('again-1'), 1, 'the new failure with the same payload was sent');
  assert.match(first.err, /1 event\(s\) failed again after an earlier redrive .*--include-failed-again/);
  assert.equal((first.json as {skips: Record<string, number>}).skips['failed-again'], 1);
  const second = await run({functionName: FN, source: 'dlq', includeFailedAgain: true});
  assert.equal(second.code, 0, second.err);
  assert.equal(w.invoked.get('again-1'), 2);
  assert.equal(w.engine.peekAll(dlq).length, 0);
});

test('a queue move of 300 messages that share one body moves 300, at the standard-queue rate it says', async () => {
  const from = await w.url('move-dlq');
  const to = await w.url('move-target');
  await w.send(from, Array.from({length: 300}, () => ({body: '{"heartbeat":true}', attributes: {n: {dataType: 'Number', stringValue: '1'}}})));
  const result = await run({queueUrl: from, toQueueUrl: to});
  assert.equal(result.code, 0, result.err);
  assert.match(result.err, /rate: full speed \(a standard SQS queue/);
  assert.equal((result.json as {accepted: number}).accepted, 300);
  assert.equal(w.engine.peekAll(from).length, 0);
  assert.equal(w.engine.peekAll(to).length, 300);
});

test('--journal on a file that is not a journal and --from-file on a file that is not an export are refused (exit 2) before any message is touched', async () => {
  const dlq = await w.url('twin-dlq');
  await w.send(dlq, [{body: JSON.stringify({uid: 'untouched'}), attributes: dlqAttributes('untouched-1')}]);
  const notJournal = join(dir, 'notes.txt');
  await writeFile(notJournal, 'my notes\n');
  const refused = await run({functionName: FN, source: 'dlq', journalPath: notJournal});
  assert.equal(refused.code, 2);
  assert.equal(refused.err.trim().split('\n').length, 1, refused.err);
  assert.match(refused.err, /not a lambda-top redrive journal/);
  assert.equal(await readFile(notJournal, 'utf8'), 'my notes\n');
  assert.equal(w.engine.peekAll(dlq)[0]!.receiveCount, 0, 'no message was received');
  const dry = await run({functionName: FN, source: 'dlq', journalPath: notJournal, dryRun: true});
  assert.equal(dry.code, 2, 'a dry run reads the journal: refused too');
  const underAFile = await run({functionName: FN, source: 'dlq', journalPath: join(notJournal, 'j.jsonl')});
  assert.equal(underAFile.code, 2);
  assert.match(underAFile.err, /cannot write the journal .*ENOTDIR/);
  assert.equal(w.engine.peekAll(dlq)[0]!.receiveCount, 0, 'still no message received');
  const notExport = join(dir, 'events.jsonl');
  await writeFile(notExport, '{"hello":"world"}\n');
  const fromFile = await run({fromFile: notExport, functionName: FN});
  assert.equal(fromFile.code, 2);
  assert.match(fromFile.err, /is not a lambda-top export/);
  assert.equal(fromFile.err.trim().split('\n').length, 1, fromFile.err);
});

test('export without --out writes a named file in the current directory and says so', async () => {
  const {stdout, stderr} = captureIo();
  const code = await exportCommand({functionName: FN, source: 'dlq'}, {clients: w.clients, stdout, stderr, isTTY: false});
  assert.equal(code, 0, stderr.text);
  const files = await readdir(cwd);
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^lambda-top-export-twin-fn-.*\.jsonl$/);
  assert.ok(stderr.text.includes(files[0]!), stderr.text);
  const line = JSON.parse((await readFile(join(cwd, files[0]!), 'utf8')).split('\n')[0]!) as {kind: string};
  assert.equal(line.kind, 'lambda-top.failed-event');
  await rm(join(cwd, files[0]!));
});

test('messages another receive still hides are waited for up to the bound, then reported in flight, not redriven (exit 1)', async () => {
  const {runRedrive} = await import('../../source/redrive/engine.ts');
  const {createMutationGate} = await import('../../source/aws/mutation-gate.ts');
  const {receiveMessages, releaseMessages} = await import('../../source/aws/messages.ts');
  const dlq = await w.url('twin-dlq');
  await w.send(dlq, [
    {body: JSON.stringify({uid: 'hidden-1'}), attributes: dlqAttributes('hidden-req-1')},
    {body: JSON.stringify({uid: 'shown-1'}), attributes: dlqAttributes('shown-req-1')},
    {body: JSON.stringify({uid: 'shown-2'}), attributes: dlqAttributes('shown-req-2')},
  ]);
  // A consumer (or a killed run) holds every visible message but one for a minute.
  const visible = w.engine.peekAll(dlq).filter((m) => m.state === 'visible').length;
  const hidden = await receiveMessages(w.clients, dlq, {max: visible - 1, visibilityTimeoutSeconds: 60});
  // No killed run in the journal: not waited for, but counted and reported (exit 1).
  const quick = await runRedrive(
    {source: {queueUrl: dlq, role: 'dlq'}, target: {kind: 'lambda', functionName: FN}, journalPath: join(dir, 'inflight.jsonl'), emptyWaitSeconds: 0},
    {clients: w.clients, gate: createMutationGate({readOnly: false})},
  );
  assert.equal(quick.exitCode, 1);
  assert.equal(quick.accepted, 1);
  assert.equal(quick.inFlightLeft, hidden.length);
  assert.match(quick.lastError ?? '', /in flight, not redriven/);
  // A journal whose last run has no end line (kill -9): waited for, up to the bound, then reported.
  const {openJournal} = await import('../../source/redrive/journal.ts');
  const killedJournal = join(dir, 'killed.jsonl');
  await (await openJournal(killedJournal, {source: dlq, target: `lambda:${FN}`, visibilitySeconds: 60})).close();
  const started = Date.now();
  const summary = await runRedrive(
    {source: {queueUrl: dlq, role: 'dlq'}, target: {kind: 'lambda', functionName: FN}, journalPath: killedJournal, emptyWaitSeconds: 0, maxInFlightWaitSeconds: 1},
    {clients: w.clients, gate: createMutationGate({readOnly: false})},
  );
  assert.equal(summary.exitCode, 1);
  assert.equal(summary.inFlightLeft, hidden.length);
  assert.ok(Date.now() - started >= 900, 'after a killed run it waited for them first');
  const lines = (await readFile(killedJournal, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as {k?: string});
  assert.equal(lines.at(-1)!.k, 'end', 'a run that ends says so in its journal');
  await releaseMessages(w.clients, dlq, hidden.map((m) => m.receiptHandle));
});
