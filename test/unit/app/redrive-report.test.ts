import {test} from 'node:test';
import assert from 'node:assert/strict';
import {addToOffset, combineProgress, summaryText, zeroOffset} from '../../../source/app/redrive-report.ts';
import type {RedriveProgress, RedriveSummary} from '../../../source/redrive/engine.ts';

const progress = (p: Partial<RedriveProgress> = {}): RedriveProgress => ({total: null, readTotal: 40, read: 10, matched: 2, sent: 1, accepted: 1, failed: 0, skipped: 0, remaining: null, ratePerSecond: 1, etaSeconds: null, lastError: null, ...p});
const summary = (s: Partial<RedriveSummary> = {}): RedriveSummary => ({
  ...progress({total: 2, read: 40, matched: 2, accepted: 2, sent: 2, remaining: 0}),
  dryRun: false, aborted: false, source: 'q', target: 'fn', deleted: 2, leftoversDeleted: 0, copiesDeleted: 0, inFlightLeft: null, deleteFailures: [], failures: [], skips: {}, searched: null,
  skippedEvents: [], failedAgain: 0, wouldSend: [], wouldSendCount: 0, throttles: 0, journalPath: '/j', durationMs: 10, exitCode: 0, ...s,
});

test('an unknown total stays unknown across runs; remaining too', () => {
  const p = combineProgress(zeroOffset(), progress());
  assert.equal(p.total, null);
  assert.equal(p.remaining, null);
  const next = combineProgress(addToOffset(zeroOffset(), summary()), progress({total: 3, accepted: 1}));
  assert.equal(next.total, 5);
  assert.equal(next.accepted, 3);
  assert.equal(next.remaining, 2);
  assert.equal(next.read, 50);
  assert.equal(next.readTotal, 80);
});

test('the summary says what was skipped and why, and what a selection had to search', () => {
  const text = summaryText([summary({skipped: 3, skips: {'failed-again': 2, 'no-payload': 1, filtered: 30}, searched: {receives: 3, messagesTouched: 27, notFound: ['m-9']}})], {aborted: false, kind: 'selected'});
  assert.match(text, /^2 accepted, 0 failed, 3 skipped \(2 failed again after an earlier redrive \(left in the queue\), 1 no payload to send\)/);
  assert.match(text, /searched for expired handles: 3 receives touched 27 messages; not found: m-9/);
  assert.match(summaryText([summary()], {aborted: false, kind: 'selected'}), /no search: only the selected messages were touched/);
  assert.match(summaryText([summary()], {aborted: true, kind: 'matching'}), /^cancelled: 2 accepted[^]*read 40 messages, 2 matched/);
});
