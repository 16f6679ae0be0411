// The diagnosis panel keeps each finding's wrapped lines by what they are made of: a layout pass, a draw and the
// next refresh's identical findings share them, and nothing else may.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {diagnosisLines} from '../../../source/ui/components/DiagnosisPanel.tsx';
import type {Finding} from '../../../source/domain/types.ts';

const finding = (over: Partial<Finding> = {}): Finding => ({
  id: 'dlq',
  severity: 'warning',
  title: 'Failed events are waiting in the DLQ',
  detail: '12 messages in order-processor-dlq, the oldest 4 min old: look at them with f, then redrive.',
  ...over,
});
const options = {scroll: 0, focused: false, state: 'ready' as const};
const texts = (lines: ReturnType<typeof diagnosisLines>): string[] => lines.map((line) => line.map((s) => s.text).join(''));

test('the same findings give the same lines at each width, in any order of calls', () => {
  const a = texts(diagnosisLines([finding()], 40, options));
  const b = texts(diagnosisLines([finding()], 70, options));
  assert.notDeepEqual(a, b);
  assert.deepEqual(texts(diagnosisLines([finding()], 40, options)), a);
  assert.deepEqual(texts(diagnosisLines([finding()], 70, options)), b);
});

test('a finding whose detail, title or severity changed is wrapped anew', () => {
  const before = texts(diagnosisLines([finding()], 40, options));
  const detail = texts(diagnosisLines([finding({detail: '13 messages in order-processor-dlq, the oldest 5 min old.'})], 40, options));
  assert.ok(detail.join('\n').includes('13 messages'));
  assert.ok(!detail.join('\n').includes('12 messages'));
  const title = texts(diagnosisLines([finding({title: 'Something else'})], 40, options));
  assert.ok(title[1]!.includes('Something else'));
  const critical = diagnosisLines([finding({severity: 'critical'})], 40, options);
  assert.equal(critical[1]![0]!.tone, 'critical');
  assert.deepEqual(texts(diagnosisLines([finding()], 40, options)), before);
});

test('cutting a shown finding to the height does not change the lines kept for later', () => {
  const full = texts(diagnosisLines([finding(), finding({id: 'b', title: 'Another'})], 30, options));
  const cut = texts(diagnosisLines([finding(), finding({id: 'b', title: 'Another'})], 30, {...options, height: 3}));
  assert.ok(cut[2]!.endsWith('…') || cut.length <= 3);
  assert.deepEqual(texts(diagnosisLines([finding(), finding({id: 'b', title: 'Another'})], 30, options)), full);
});

test('many distinct findings (past a cache generation) still draw their own lines', () => {
  for (let i = 0; i < 200; i++) {
    const lines = texts(diagnosisLines([finding({title: `Finding ${i}`})], 50, options));
    assert.ok(lines[1]!.includes(`Finding ${i}`));
  }
});
