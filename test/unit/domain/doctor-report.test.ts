// doctor's pure parts: failure chains (discarded, kept, cycles, depth, unknown hops), the exit-code rule, the
// report as text (no colour unless asked, untrusted text sanitised, --all table worst first) and as JSON.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {buildChains, chainFindings, chainText, missingHops, MAX_CHAIN_DEPTH} from '../../../source/domain/failure-chain.ts';
import {doctorExitCode, doctorJson, doctorText, functionExitCode, summaryTable, type FunctionCheck} from '../../../source/domain/doctor-report.ts';
import {targetFromArn} from '../../../source/domain/arn.ts';
import type {Finding, FunctionTopology} from '../../../source/domain/types.ts';

const FN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const SQS = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

function topo(name: string, over: Partial<FunctionTopology> = {}): FunctionTopology {
  return {
    name, arn: FN(name), region: 'us-east-1', accountId: '123456789012', qualifier: null, runtime: null, timeoutSeconds: 10, memoryMb: 128,
    logGroup: null, reservedConcurrency: null, provisioned: [], account: {concurrentExecutions: null, unreservedConcurrentExecutions: null},
    maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600, deadLetterTarget: null, onSuccess: null, onFailure: null, eventSources: [],
    unknown: {}, discoveredAt: 0, ...over,
  };
}

const lookupOf = (...ts: FunctionTopology[]) => {
  const m = new Map(ts.map((t) => [t.name, t]));
  return (name: string) => m.get(name);
};

test('the avatar shape: a fallback with no failure target of its own discards one hop later; the DLQ still keeps the event', () => {
  const root = topo('avatar-processor', {deadLetterTarget: targetFromArn(SQS('avatar-processor-dlq')), onFailure: targetFromArn(FN('avatar-resizer-fallback'))});
  const fallback = topo('avatar-resizer-fallback');
  assert.deepEqual(missingHops(root, lookupOf(root)), ['avatar-resizer-fallback']);
  const chains = buildChains(root, lookupOf(root, fallback));
  assert.equal(chains.length, 1);
  assert.equal(chainText(chains[0]!), 'avatar-processor → avatar-resizer-fallback → (discarded)');
  const [finding] = chainFindings(root, chains);
  assert.equal(finding!.id, 'fallback-without-failure-target');
  assert.equal(finding!.severity, 'warning');
  assert.match(finding!.detail, /avatar-processor → avatar-resizer-fallback → \(discarded\)/);
  assert.match(finding!.detail, /original event is kept there/);
  // Without the DLQ, the event itself is lost.
  const bare = topo('a', {onFailure: targetFromArn(FN('b'))});
  assert.match(chainFindings(bare, buildChains(bare, lookupOf(bare, topo('b'))))[0]!.detail, /lost for good/);
});

test('a fallback with its own queue ends the chain kept, and says nothing', () => {
  const root = topo('a', {onFailure: targetFromArn(FN('b'))});
  const b = topo('b', {onFailure: targetFromArn(SQS('b-failures'))});
  const chains = buildChains(root, lookupOf(root, b));
  assert.equal(chainText(chains[0]!), 'a → b → sqs:b-failures');
  assert.deepEqual(chainFindings(root, chains), []);
});

test('chains are followed several hops, stop at a cycle and at the depth limit; an unreadable hop is not known, not discarded', () => {
  const a = topo('a', {onFailure: targetFromArn(FN('b'))});
  const b = topo('b', {onFailure: targetFromArn(FN('c'))});
  const c = topo('c', {onFailure: targetFromArn(FN('a'))});
  const cycle = buildChains(a, lookupOf(a, b, c));
  assert.equal(chainText(cycle[0]!), 'a → b → c → (back to a)');
  assert.equal(chainFindings(a, cycle)[0]!.id, 'failure-chain-cycle');
  const long = Array.from({length: MAX_CHAIN_DEPTH + 2}, (_, i) => topo(`f${i}`, {onFailure: targetFromArn(FN(`f${i + 1}`))}));
  const deep = buildChains(long[0]!, lookupOf(...long));
  assert.equal(deep[0]!.end.kind, 'too-deep');
  assert.equal(deep[0]!.path.length, MAX_CHAIN_DEPTH + 1);
  const gone = buildChains(a, (n) => (n === 'b' ? {error: 'Function b not found'} : undefined));
  assert.deepEqual(gone[0]!.end, {kind: 'unknown', reason: 'Function b not found'});
  assert.deepEqual(chainFindings(a, gone), []);
  const unknownTarget = buildChains(a, lookupOf(a, topo('b', {unknown: {onFailure: 'Access denied'}})));
  assert.equal(unknownTarget[0]!.end.kind, 'unknown');
  // OnSuccess to a function is a chain too.
  const s = topo('s', {onSuccess: targetFromArn(FN('t'))});
  assert.equal(buildChains(s, lookupOf(s, topo('t')))[0]!.via, 'onSuccess');
});

const finding = (id: string, severity: Finding['severity'], title = id, detail = 'd'): Finding => ({id, severity, title, detail});
const check = (name: string, over: Partial<FunctionCheck> = {}): FunctionCheck => ({name, status: 'checked', metricsKnown: true, findings: [], chains: [], errors: [], ...over});

test('exit codes: 1 for warnings or critical, 3 when not fully checked, 0 healthy; --all leaves out what could not be checked', () => {
  assert.equal(functionExitCode(check('ok', {findings: [finding('all-clear', 'info')]})), 0);
  assert.equal(functionExitCode(check('w', {findings: [finding('x', 'warning')]})), 1);
  assert.equal(functionExitCode(check('c', {findings: [finding('x', 'critical')], metricsKnown: false})), 1, 'what was found is real');
  assert.equal(functionExitCode(check('m', {metricsKnown: false, findings: [finding('metrics-unknown', 'info')]})), 3);
  assert.equal(functionExitCode(check('e', {status: 'could-not-check'})), 3);
  const failed = check('gone', {status: 'could-not-check', errors: [{source: 'discovery', message: 'Throttled'}]});
  assert.equal(doctorExitCode([failed, check('ok')], {all: true}), 0);
  assert.equal(doctorExitCode([failed, check('w', {findings: [finding('x', 'warning')]})], {all: true}), 1);
  assert.equal(doctorExitCode([failed, failed], {all: true}), 3);
  assert.equal(doctorExitCode([check('ok'), check('m', {metricsKnown: false})], {all: true}), 3);
  assert.equal(doctorExitCode([], {all: true}), 0);
});

test('the --all table: worst first, the worst finding by id and title, "could not check" rows, no colour unless asked', () => {
  const checks = [
    check('healthy-fn'),
    check('gone', {status: 'could-not-check', errors: [{source: 'discovery', message: 'Cannot reach http://127.0.0.1:9: connection refused'}]}),
    check('warned', {findings: [finding('no-failure-target', 'warning', 'No target')]}),
    check('burning', {findings: [finding('safety-net-failing', 'critical', 'Net failing'), finding('errors-high', 'warning')]}),
  ];
  const rows = summaryTable(checks, {color: false, columns: 120});
  assert.match(rows[0]!, /^FUNCTION\s+WORST\s+FINDING$/);
  assert.deepEqual(rows.slice(1).map((r) => r.split(/\s+/)[0]), ['burning', 'warned', 'gone', 'healthy-fn']);
  assert.match(rows[1]!, /critical\s+safety-net-failing: Net failing/);
  assert.match(rows[3]!, /could not check\s+could not check: Cannot reach/);
  const text = doctorText(checks, {color: false, columns: 120, all: true, region: 'us-east-1'});
  assert.doesNotMatch(text, /\u001b/);
  assert.match(text, /4 functions in us-east-1, 3 checked/);
  assert.ok(text.indexOf('FUNCTION') < text.indexOf('burning: critical'), 'table before the details');
  assert.match(doctorText(checks, {color: true, columns: 120, all: true, region: 'us-east-1'}), /\u001b\[31;1m/);
});

test('untrusted text in the report is sanitised: no raw ESC, BEL or bidi override reaches the terminal', () => {
  const hostile = check('fn', {findings: [finding('queue-unreadable', 'warning', 'bad \u001b]0;pwned\u0007 title', 'x\u001b[2J\u202eevil\nnext')], errors: [{source: 'queue:q', message: 'm\u009b31m'}]});
  const text = doctorText([hostile], {color: false, columns: 100, all: false, region: 'r'});
  assert.doesNotMatch(text, /[\u001b\u0007\u009b\u202e]/);
});

test('the JSON document: stable ids, a status per function, the chain as path and text, the exit code', () => {
  const root = topo('a', {onFailure: targetFromArn(FN('b'))});
  const chains = buildChains(root, lookupOf(root, topo('b')));
  const json = doctorJson([check('a', {findings: chainFindings(root, chains), chains}), check('z', {metricsKnown: false})], {region: 'us-east-1', at: 0, all: true});
  assert.equal(json.doctor, 1);
  assert.equal(json.exitCode, 1);
  assert.deepEqual(json.summary, {functions: 2, critical: 0, warning: 1, healthy: 0, checkedInPart: 1, couldNotCheck: 0});
  const a = json.functions[0]!;
  assert.equal(a.status, 'warning');
  assert.deepEqual(a.worst && a.worst.id, 'fallback-without-failure-target');
  assert.deepEqual(a.chains, [{via: 'onFailure', path: ['a', 'b'], end: 'discarded', text: 'a → b → (discarded)'}]);
  assert.equal(json.functions[1]!.status, 'checked-in-part');
  assert.equal(json.functions[1]!.exitCode, 3);
});
