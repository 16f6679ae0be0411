// The TUI's closed loop: tab cycles the dialog's "after" choice (send only -> follow -> canary), only while
// confirming and not for a dry run; the dialog says what the choice does; the redrive view shows the outcomes,
// the wait left and the canary's verdict. Plus the flags of the command line's loop.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseCli} from '../../../source/cli/flags.ts';
import {createInitialState, reduce} from '../../../source/store/reducer.ts';
import type {Action} from '../../../source/store/actions.ts';
import type {AppState, RedrivePlan} from '../../../source/store/types.ts';
import {outcomeLines, redriveConfirmLines} from '../../../source/ui/components/RedriveDialogs.tsx';
import {NOW} from './fixtures.ts';

const plan: RedrivePlan = {count: 12, sourceRole: 'dlq', sourceName: 'avatar-processor-dlq', targetDescription: 'avatar-processor (async Invoke)', ratePerSecond: 10, dryRun: false, warnings: [], loop: 'send', canarySize: 5};
const run = (state: AppState, ...actions: Action[]): AppState => actions.reduce(reduce, state);
const text = (lines: ReturnType<typeof outcomeLines>) => lines.map((l) => l.map((s) => s.text).join('')).join('\n');

test('tab cycles send only -> follow -> canary -> send only while confirming; never for a dry run or a running job', () => {
  const confirming = run(createInitialState({functionName: 'avatar-processor', region: 'us-east-1', now: NOW}), {type: 'redrive/confirm-requested', plan});
  const modes = [1, 2, 3].map((n) => run(confirming, ...Array.from({length: n}, (): Action => ({type: 'redrive/loop-cycle'}))).redrive?.plan.loop);
  assert.deepEqual(modes, ['follow', 'canary', 'send']);
  const dry = run(createInitialState({functionName: 'f', region: 'us-east-1', now: NOW}), {type: 'redrive/confirm-requested', plan: {...plan, dryRun: true}}, {type: 'redrive/loop-cycle'});
  assert.equal(dry.redrive?.plan.loop, 'send');
  const running = run(confirming, {type: 'redrive/confirmed'}, {type: 'redrive/loop-cycle'});
  assert.equal(running.redrive?.plan.loop, 'send');
});

test('the dialog says what happens after the sends', () => {
  const say = (p: RedrivePlan) => text(redriveConfirmLines(p, 76));
  assert.match(say(plan), /after\s+nothing: send only \(tab: follow outcomes, or a canary first\)/);
  assert.match(say({...plan, loop: 'follow'}), /follow every event to its outcome/);
  assert.match(say({...plan, loop: 'canary'}).replace(/\s+/g, ' '), /canary: send 5 first, follow them to their outcomes .* send the rest only if all 5 succeeded/);
});

test('the redrive view: outcomes so far, the wait left, failures and the verdict', () => {
  const state = run(createInitialState({functionName: 'f', region: 'us-east-1', now: NOW}), {type: 'redrive/confirm-requested', plan}, {type: 'redrive/confirmed'},
    {type: 'redrive/outcomes', outcomes: {head: 'canary', summary: '3 succeeded, 2 pending', waitingMs: 250_000, verdict: null, details: ['pending m4 (now request n4): no log line yet']}});
  const shown = text(outcomeLines(state.redrive!, 72));
  assert.match(shown, /canary\s+3 succeeded, 2 pending · waiting up to 4 ?m/);
  assert.match(shown, /pending m4 \(now request n4\): no log line yet/);
  const stopped = run(state, {type: 'redrive/outcomes', outcomes: {head: 'canary', summary: '5 failed again: Timeout', waitingMs: null, verdict: 'canary: 5 of 5 failed again: Timeout; 0 more sent; the rest are still in avatar-processor-dlq', details: []}});
  assert.match(text(outcomeLines(stopped.redrive!, 72)).replace(/\s+/g, ' '), /canary: 5 of 5 failed again: Timeout; 0 more sent/);
});

test('flags: --canary, --follow, --outcomes go with redrive to a function; --start-minute with the demo', () => {
  const parse = (argv: string[]) => parseCli(argv, '1.0.0');
  const ok = parse(['redrive', '--function', 'f', '--canary', '5', '--follow']);
  assert.ok(ok.kind === 'ok' && ok.cli.canary === 5 && ok.cli.follow);
  const later = parse(['redrive', '--function', 'f', '--outcomes']);
  assert.ok(later.kind === 'ok' && later.cli.outcomes);
  const demo = parse(['--demo', '--scenario', 'avatar-timeouts', '--start-minute', '110']);
  assert.ok(demo.kind === 'ok' && demo.cli.startMinute === 110);
  const refused = (argv: string[], why: RegExp) => {
    const r = parse(argv);
    assert.ok(r.kind === 'usage-error' && why.test(r.message), `${argv.join(' ')}: ${JSON.stringify(r)}`);
  };
  refused(['--function', 'f', '--canary', '5'], /--canary goes with redrive/);
  refused(['redrive', '--queue', 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq', '--to', 'https://sqs.us-east-1.amazonaws.com/123456789012/src', '--canary', '2'], /give --function NAME/);
  refused(['redrive', '--function', 'f', '--canary', '0'], /--canary must be a whole number above 0/);
  refused(['redrive', '--function', 'f', '--canary', '9', '--limit', '3'], /more than --limit/);
  refused(['redrive', '--function', 'f', '--outcomes', '--canary', '3'], /does not go with --canary/);
  refused(['--function', 'f', '--start-minute', '110'], /--start-minute goes with --demo/);
});
