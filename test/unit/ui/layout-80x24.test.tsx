// Issue 7: "At 80×24, queue names and the diagnosis advice win over the delayed and retention columns and the story
// banner." The whole App at 80x24 against 120x40, with a long queue name and a long first finding.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import type {DashboardState} from '../../../source/store/types.ts';
import type {Finding} from '../../../source/domain/types.ts';
import {stripSgr} from '../../helpers/render.tsx';
import {queueColumns} from '../../../source/ui/components/QueuesPanel.tsx';
import {pipelineRowsFor} from '../../../source/ui/components/PipelinePanel.tsx';
import {diagnosisLines} from '../../../source/ui/components/DiagnosisPanel.tsx';
import {buildPipelineRows} from '../../../source/ui/view-model.ts';
import {dashboard, queues, snapshot} from './fixtures.ts';
import {mount, type Mounted} from './harness.tsx';

let current: Mounted | null = null;
afterEach(() => {
  current?.unmount();
  current = null;
});
const update = (d: DashboardState) => ({type: 'dashboard/updated' as const, dashboard: d});
const demo = {name: 'upload-burst', title: 'A burst of uploads outruns reserved concurrency', story: 'A partner bulk-uploads media: media-ingest is capped at 10 concurrent executions, throttled events back off and age out.'};
const longName = 'partner-media-ingest-failures-eu';
const advice = 'Lost: 20, whose write to the failure target failed (DestinationDeliveryFailures); they can only be replayed from the producer.';
const first: Finding = {id: 'events-dropped', severity: 'critical', title: '969 events dropped: 20 lost, 949 kept', detail: `Lambda gave up on 969 async events. ${advice}`};

function screen(columns: number, rows: number): Mounted {
  const q = [{...queues[1]!, name: longName}];
  const d = dashboard({snapshot: snapshot({queues: q, findings: [first, {id: 'x', severity: 'warning', title: 'Another finding', detail: 'More words.'}]})});
  return (current = mount({columns, rows, state: {demo}, actions: [update(d)]}));
}

test('80x24: the queue name is whole and the first finding\'s advice is on screen; the story and the delayed column give way', async () => {
  const m = screen(80, 24);
  const frame = stripSgr(await m.waitForFrame((f) => f.includes('Diagnosis')));
  const lines = frame.split('\n');
  assert.ok(lines.length <= 24, `${lines.length} lines`);
  assert.match(frame, /DEMO {2}upload-burst/, 'the demo is still named');
  assert.doesNotMatch(frame, /bulk-uploads media/, 'no story lines');
  assert.ok(lines.some((l) => l.includes(longName)), 'the queue name is not cut');
  assert.doesNotMatch(lines.find((l) => l.includes(' role '))!, /delayed|trend/);
  const words = frame.replace(/\n\s*/g, ' ');
  assert.match(words, /they can only be replayed from the producer/, 'the advice of the first finding');
  assert.match(words, /dropped .*window: 135 kept, 0 lost/, 'the dropped row stays');
});

test('120x40: everything fits, the story included', async () => {
  const m = screen(120, 40);
  const frame = stripSgr(await m.waitForFrame((f) => f.includes('Diagnosis')));
  assert.match(frame, /bulk-uploads media/);
  assert.match(frame.split('\n').find((l) => l.includes(' role '))!, /delayed .*retention left .*trend/);
  for (const label of ['duration', '→ DLQ', '→ OnFailure']) assert.match(frame, new RegExp(label));
});

test('queue columns give way in order (trend, delayed, narrower titles, retention, in flight) for the names', () => {
  const keys = (w: number, name: number) => queueColumns(w, false, name).cols.map((c) => c.key).join(',');
  assert.equal(keys(120, 24), 'visible,inFlight,delayed,oldest,retentionLeft,trend');
  assert.equal(keys(80, 21), 'visible,inFlight,oldest,retentionLeft');
  assert.equal(keys(80, 40), 'visible,inFlight,oldest');
  assert.equal(keys(70, 40), 'visible,oldest');
  assert.ok(queueColumns(80, false, 21).name >= 21);
});

test('a short pipeline panel drops duration and the target rows first, and keeps its tree glyphs right', () => {
  const rows = buildPipelineRows(dashboard(), {});
  const all = rows.map((r) => r.id);
  assert.deepEqual(pipelineRowsFor(rows, rows.length + 1).map((r) => r.id), all);
  const short = pipelineRowsFor(rows, rows.length - 2);
  assert.deepEqual(short.map((r) => r.id), all.filter((id) => id !== 'duration' && !id.startsWith('target-')));
  assert.equal(short.find((r) => r.id === 'throttles')!.glyph, '└');
});

test('a first finding that does not fit whole keeps what fits, cut between words', () => {
  const lines = diagnosisLines([first, {id: 'x', severity: 'warning', title: 'Another', detail: 'd'}], 40, {height: 6, scroll: 0, focused: false, state: 'ready'});
  const text = lines.map((l) => l.map((s) => s.text).join(''));
  assert.equal(text.length, 6);
  assert.match(text[4]!, / …$/);
  assert.doesNotMatch(text.join('\n'), /\d…/, 'no number is cut');
  assert.match(text[5]!, /1 more/);
});
