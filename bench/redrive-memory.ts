// Peak memory of `redrive` (dry run, and a real SQS-to-SQS move) at 10,000 and 100,000 messages, and journal
// bytes per message. The simulator runs in this process; each redrive runs in a child process (so its peak RSS
// is its own): node --import tsx bench/redrive-memory.ts [10000,100000]
// BENCH_VARIANTS="default;--max-semi-space-size=2" runs each size under each set of V8 flags, side by side in one
// run (same queue, same fill); BENCH_HEAP_MB=N caps the heap (--max-old-space-size=N) of every variant.
import {spawn} from 'node:child_process';
import {mkdtemp, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CreateQueueCommand} from '@aws-sdk/client-sqs';
import {startRedriveWorld} from '../test/helpers/redrive-world.ts';

const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const dir = await mkdtemp(join(tmpdir(), 'redrive-memory-'));
const w = await startRedriveWorld();

const variants = (process.env.BENCH_VARIANTS ?? 'default').split(';').map((v) => v.trim()).filter(Boolean);
const flagsOf = (variant: string): string[] => (variant === 'default' ? [] : variant.split(/\s+/));

function child(args: string[], flags: string[] = []): Promise<{maxRssMb: number; seconds: number; summary: Record<string, unknown>}> {
  return new Promise((resolve, reject) => {
    // BENCH_HEAP_MB caps the child's heap: a run that completes under a small cap holds bounded memory.
    const cap = process.env.BENCH_HEAP_MB ? [`--max-old-space-size=${process.env.BENCH_HEAP_MB}`] : [];
    const p = spawn(process.execPath, [...cap, ...flags, '--import', 'tsx', 'bench/redrive-memory-child.ts', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as never) : reject(new Error(`child exited ${code}: ${out}`))));
  });
}

const rows: string[] = [];
try {
  for (const n of sizes) {
    // Each size its own two queues: nothing to purge between sizes (SQS, and the simulator, allow one PurgeQueue
    // per queue every 60 s: a purge per size ended a run of two quick sizes on PurgeQueueInProgress).
    const queue = async (name: string) => (await w.clients.sqs.send(new CreateQueueCommand({QueueName: name}))).QueueUrl!;
    const from = await queue(`move-dlq-${n}`);
    const to = await queue(`move-target-${n}`);
    const body = JSON.stringify({Records: [{eventSource: 'aws:s3', s3: {bucket: {name: 'uploads'}, object: {key: 'avatars/a-typical-key-of-some-length.png', size: 2048}}}]});
    const started = Date.now();
    for (let i = 0; i < n; i += 1000) await w.send(from, Array.from({length: Math.min(1000, n - i)}, () => ({body, attributes: {n: {dataType: 'Number', stringValue: '1'}}})));
    process.stderr.write(`# filled ${n} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    for (const [v, variant] of variants.entries()) {
    const flags = flagsOf(variant);
    const dry = await child([w.endpoint, from, to, 'dry', join(dir, `dry-${n}-${v}.jsonl`)], flags);
    const journal = join(dir, `move-${n}-${v}.jsonl`);
    const move = await child([w.endpoint, from, to, 'move', journal], flags);
    const bytes = (await stat(journal)).size;
    process.stderr.write(`# ${n} ${variant}: dry ${dry.maxRssMb.toFixed(0)} MB ${dry.seconds.toFixed(1)} s, move ${move.maxRssMb.toFixed(0)} MB ${move.seconds.toFixed(1)} s\n`);
    rows.push(
      `| ${n.toLocaleString('en')} | ${variant} | ${dry.maxRssMb.toFixed(0)} MB (${dry.seconds.toFixed(1)} s, would send ${String(dry.summary.wouldSendCount)}${dry.summary.lastError ? `, ${String(dry.summary.lastError)}` : ''}) | ${move.maxRssMb.toFixed(0)} MB (${move.seconds.toFixed(1)} s, ${String(move.summary.accepted)} moved, exit ${String(move.summary.exitCode)}) | ${(bytes / n).toFixed(0)} B |`,
    );
    // The move emptied the source: move the messages back for the next variant.
    if (v < variants.length - 1) await child([w.endpoint, to, from, 'move', join(dir, `back-${n}-${v}.jsonl`)]);
    }
  }
} finally {
  await w.stop();
  await rm(dir, {recursive: true, force: true});
}
process.stdout.write(`| messages | V8 flags | dry run: peak RSS | move: peak RSS | journal per message |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
