// Everything a client can read from a simulator world, as one digest: every metric series (five statistics,
// as seen now), every log line of every group, every message of every queue (body, attributes, state), and the
// async accounting of every function. Two worlds with the same digest answer every read the same way; tests
// use it to pin that a change to how the model runs (advance cadence, storage) leaves its history unchanged.
// SQS message ids are left out: the engine draws them from crypto.randomUUID, as unique as AWS's.
import {createHash} from 'node:crypto';
import type {SimWorld} from '../../source/sim/lambda/index.ts';

export function worldFingerprint(w: SimWorld): {digest: string; counts: {series: number; points: number; lines: number; messages: number}} {
  const hash = createHash('sha256');
  const now = w.clock.now();
  const counts = {series: 0, points: 0, lines: 0, messages: 0};
  const series = w.listMetrics().sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  for (const s of series) {
    counts.series++;
    for (const stat of ['Sum', 'SampleCount', 'Maximum', 'Minimum', 'p99']) {
      const points = w.queryMetric({...s, stat, periodSeconds: 60, start: w.scenarioStart - 3_600_000, end: now});
      counts.points += points.length;
      hash.update(`${JSON.stringify(s)} ${stat} ${JSON.stringify(points)}\n`);
    }
  }
  for (const g of w.listLogGroups()) {
    hash.update(`${JSON.stringify(g)}\n`);
    let nextToken: string | undefined;
    do {
      const page = w.filterLogEvents({logGroupName: g.logGroupName, ...(nextToken ? {nextToken} : {})});
      for (const e of page.events) {
        counts.lines++;
        hash.update(`${JSON.stringify(e)}\n`);
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  for (const url of w.sqs.listQueues()) {
    for (const {messageId, ...m} of w.sqs.peekAll(url)) {
      counts.messages++;
      hash.update(`${url} ${messageId.length} ${JSON.stringify(m)}\n`);
    }
  }
  for (const f of w.listFunctions()) hash.update(`${f.FunctionName} ${JSON.stringify(w.asyncStats(f.FunctionName))}\n`);
  hash.update(`time ${w.time}\n`);
  return {digest: hash.digest('hex'), counts};
}
