import {test} from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import {renderStaticSnapshot} from '../../../source/ui/static-snapshot.tsx';
import {NOW, snapshot} from './fixtures.ts';

test('renderStaticSnapshot prints the whole dashboard at its natural height, within the width, without colour codes', () => {
  const text = renderStaticSnapshot(snapshot(), {columns: 100});
  assert.doesNotMatch(text, /\u001b/);
  for (const line of text.split('\n')) assert.ok(stringWidth(line) <= 100, line);
  assert.match(text, /λ order-processor · eu-west-1/);
  assert.match(text, /invoked +887\/min [▁▂▃▄▅▆▇█]+/);
  assert.match(text, /50 \/ 50 reserved/);
  assert.match(text, /order-processor-dlq +1\.2k/);
  // Every finding is there in full (no height limit), worst first.
  assert.ok(text.indexOf('Events are being dropped') < text.indexOf('Throttling backlog'));
  assert.match(text, /Failed events may be written to either or both/);
});

test('renderStaticSnapshot says what it could not learn', () => {
  const text = renderStaticSnapshot({...snapshot({metrics: null, errors: [{source: 'metrics', message: 'AccessDenied: cloudwatch:GetMetricData'}]}), at: NOW}, {columns: 80});
  assert.match(text, /metrics: AccessDenied: cloudwatch:GetMetricData/);
  assert.match(text, /received +— +\(AccessDenied/);
  assert.doesNotMatch(text, /loading…/, 'a one-shot view never says loading');
});

test('renderStaticSnapshot with nothing collected says so instead of loading', () => {
  const text = renderStaticSnapshot({topology: null, metrics: null, queues: [], findings: [], errors: [], at: NOW}, {columns: 80});
  assert.doesNotMatch(text, /loading…|connecting…/);
  assert.match(text, /configuration unknown: not discovered/);
  assert.match(text, /received +— +\(not collected\)/);
});
