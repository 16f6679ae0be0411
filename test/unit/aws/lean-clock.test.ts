// The lean path's clock-skew correction (aws/lean-clock.ts) against the pinned SDK's own signer
// (@aws-sdk/core's AwsSdkSigV4Signer: sign, successHandler, errorHandler), step for step on one scripted clock:
// answers with and without a Date header, skews above and below the 4-minute mark in both directions, an Age
// header, an unreadable Date, an answer later than 15 minutes, an error body's ServerTime, and attempts that
// overlap (one signed before another's answer corrected the clock). After each step the config's
// systemClockOffset and the error's $metadata.clockSkewCorrected must be the SDK's.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {AwsSdkSigV4Signer} from '@aws-sdk/core/httpAuthSchemes';
import {HttpRequest, HttpResponse} from '@smithy/core/protocols';
import {clockAfterError, clockAfterSuccess, clockSample, updatedClockOffset, type ClockSample} from '../../../source/aws/lean-clock.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0, 250);
/** An HTTP date (whole seconds) of the local clock shifted by `skew`. */
const httpDate = (now: number, skew: number) => new Date(now + skew).toUTCString();

type Step =
  | {at: number; sign: string}
  | {at: number; answer: string; ok: boolean; date?: string; age?: string; serverTime?: string};

interface Script {
  what: string;
  steps: Step[];
}

const SCRIPTS: Script[] = [
  {what: 'a right clock: every answer moves the offset by under a second, never marked', steps: [
    {at: T0, sign: 'a'}, {at: T0 + 40, answer: 'a', ok: true, date: httpDate(T0 + 40, 0)},
    {at: T0 + 100, sign: 'b'}, {at: T0 + 900, answer: 'b', ok: false, date: httpDate(T0 + 900, 0)},
  ]},
  {what: 'a local clock 6 minutes slow: the error corrects and is marked, the retry and later answers keep it', steps: [
    {at: T0, sign: 'a'}, {at: T0 + 30, answer: 'a', ok: false, date: httpDate(T0 + 30, 6 * MIN)},
    {at: T0 + 80, sign: 'b'}, {at: T0 + 120, answer: 'b', ok: true, date: httpDate(T0 + 120, 6 * MIN)},
    {at: T0 + 200, sign: 'c'}, {at: T0 + 700, answer: 'c', ok: false, date: httpDate(T0 + 700, 6 * MIN)},
  ]},
  {what: 'a local clock 6 minutes fast', steps: [
    {at: T0, sign: 'a'}, {at: T0 + 30, answer: 'a', ok: false, date: httpDate(T0 + 30, -6 * MIN)},
    {at: T0 + 80, sign: 'b'}, {at: T0 + 120, answer: 'b', ok: true, date: httpDate(T0 + 120, -6 * MIN)},
  ]},
  {what: 'a skew of 3 minutes corrects the clock but is not marked; one of 4.5 minutes is', steps: [
    {at: T0, sign: 'a'}, {at: T0 + 30, answer: 'a', ok: false, date: httpDate(T0 + 30, 3 * MIN)},
    {at: T0 + 40, sign: 'b'}, {at: T0 + 60, answer: 'b', ok: false, date: httpDate(T0 + 60, 4.5 * MIN)},
  ]},
  {what: 'exactly the offset the attempt was signed with: not marked', steps: [
    {at: T0, sign: 'a'}, {at: T0 + 750, answer: 'a', ok: false, date: httpDate(T0 + 750, 5 * MIN)},
    // T0 + 750 and T0 + 1750 are whole seconds: both answers give an offset of exactly 5 minutes.
    {at: T0 + 1000, sign: 'b'}, {at: T0 + 1750, answer: 'b', ok: false, date: httpDate(T0 + 1750, 5 * MIN)},
  ]},
  {what: 'overlapping attempts: both fail skewed, the second answer also marked', steps: [
    {at: T0, sign: 'a'}, {at: T0 + 5, sign: 'b'},
    {at: T0 + 30, answer: 'a', ok: false, date: httpDate(T0 + 30, 6 * MIN)},
    {at: T0 + 35, answer: 'b', ok: false, date: httpDate(T0 + 35, 6 * MIN)},
  ]},
  {what: 'an Age header: the offset stays; marked only when another answer corrected it meanwhile', steps: [
    {at: T0, sign: 'a'}, {at: T0 + 30, answer: 'a', ok: false, date: httpDate(T0 + 30, 6 * MIN), age: '12'},
    {at: T0 + 40, sign: 'b'}, {at: T0 + 50, sign: 'c'},
    {at: T0 + 60, answer: 'b', ok: false, date: httpDate(T0 + 60, 6 * MIN)},
    {at: T0 + 70, answer: 'c', ok: false, date: httpDate(T0 + 70, 6 * MIN), age: '0'},
    {at: T0 + 80, sign: 'd'}, {at: T0 + 90, answer: 'd', ok: true, date: httpDate(T0 + 90, -6 * MIN), age: ''},
  ]},
  {what: 'a Date that does not parse, an empty one, and no Date', steps: [
    {at: T0, sign: 'a'}, {at: T0 + 30, answer: 'a', ok: false, date: 'yesterday-ish'},
    {at: T0 + 40, sign: 'b'}, {at: T0 + 50, answer: 'b', ok: false, date: ''},
    {at: T0 + 60, sign: 'c'}, {at: T0 + 70, answer: 'c', ok: false},
    {at: T0 + 80, sign: 'd'}, {at: T0 + 90, answer: 'd', ok: true},
  ]},
  {what: 'an answer more than 15 minutes after its request does not move the clock', steps: [
    {at: T0, sign: 'a'}, {at: T0 + 15 * MIN + 1, answer: 'a', ok: false, date: httpDate(T0 + 15 * MIN + 1, 6 * MIN)},
    {at: T0 + 16 * MIN, sign: 'b'}, {at: T0 + 31 * MIN, answer: 'b', ok: true, date: httpDate(T0 + 31 * MIN, 6 * MIN)},
    {at: T0 + 32 * MIN, sign: 'c'}, {at: T0 + 32 * MIN + 1, answer: 'c', ok: true, date: httpDate(T0 + 32 * MIN + 1, 6 * MIN)},
  ]},
  {what: "an error body's ServerTime wins over the Date header", steps: [
    {at: T0, sign: 'a'}, {at: T0 + 30, answer: 'a', ok: false, date: httpDate(T0 + 30, 0), serverTime: httpDate(T0 + 30, 7 * MIN)},
    {at: T0 + 40, sign: 'b'}, {at: T0 + 50, answer: 'b', ok: false, serverTime: 'not a time'},
  ]},
];

/** Runs one script through the SDK's signer and the lean functions, with Date.now on the script's clock. */
async function run(script: Script): Promise<void> {
  const realNow = Date.now;
  let now = T0;
  Date.now = () => now;
  try {
    const sdkConfig: Record<string, unknown> = {systemClockOffset: 0, disableClockSkewCorrection: async () => false};
    const signed: Date[] = [];
    sdkConfig['signer'] = async () => ({sign: async (request: unknown, o: {signingDate: Date}) => (signed.push(o.signingDate), request)});
    const signer = new AwsSdkSigV4Signer();
    const leanConfig = {systemClockOffset: 0};
    const sdkProps = new Map<string, Record<string, unknown>>();
    const leanSamples = new Map<string, ClockSample>();
    for (const [i, step] of script.steps.entries()) {
      now = step.at;
      const where = `${script.what}, step ${i + 1}`;
      if ('sign' in step) {
        const props = {context: {}, config: sdkConfig};
        sdkProps.set(step.sign, props);
        await signer.sign(new HttpRequest({method: 'POST', hostname: 'h', path: '/', headers: {}}), {accessKeyId: 'a', secretAccessKey: 'b'}, props);
        leanSamples.set(step.sign, clockSample(leanConfig));
        // The lean path signs at Date.now() + offset, as the SDK's signer was asked to.
        assert.equal(now + leanConfig.systemClockOffset, signed.at(-1)!.getTime(), `${where}: signing date`);
        continue;
      }
      const headers: Record<string, string> = {};
      if (step.date !== undefined) headers['date'] = step.date;
      if (step.age !== undefined) headers['age'] = step.age;
      const response = new HttpResponse({statusCode: step.ok ? 200 : 403, headers, body: ''});
      const props = sdkProps.get(step.answer)!;
      const sample = leanSamples.get(step.answer)!;
      if (step.ok) {
        signer.successHandler(response, props);
        clockAfterSuccess(leanConfig, sample, step.date, step.age);
      } else {
        const sdkError = Object.assign(new Error('Signature expired'), {name: 'InvalidSignatureException', $metadata: {httpStatusCode: 403} as Record<string, unknown>, $response: response, ...(step.serverTime ? {ServerTime: step.serverTime} : {})});
        await assert.rejects(async () => signer.errorHandler(props)(sdkError));
        const leanError = {$metadata: {} as {clockSkewCorrected?: boolean}, ...(step.serverTime ? {ServerTime: step.serverTime} : {})};
        clockAfterError(leanConfig, sample, leanError, step.date, step.age);
        assert.equal(leanError.$metadata.clockSkewCorrected, sdkError.$metadata['clockSkewCorrected'], `${where}: clockSkewCorrected`);
      }
      assert.equal(leanConfig.systemClockOffset, sdkConfig['systemClockOffset'], `${where}: systemClockOffset`);
    }
  } finally {
    Date.now = realNow;
  }
}

for (const script of SCRIPTS) test(`the clock as the SDK's signer keeps it: ${script.what}`, () => run(script));

test('the scripts reach every branch that decides: a correction marked and one not, an offset kept and one moved', async () => {
  // (So the scripts above cannot all pass by agreeing on nothing happening.)
  const realNow = Date.now;
  Date.now = () => T0;
  try {
    assert.equal(updatedClockOffset(httpDate(T0, 6 * MIN), 0, T0, undefined), 6 * MIN - 250);
    assert.equal(updatedClockOffset(httpDate(T0, 6 * MIN), 17, T0, '3'), 17);
    assert.equal(updatedClockOffset('garbage', 17, T0, undefined), 17);
    assert.equal(updatedClockOffset(httpDate(T0, 6 * MIN), 17, T0 - 15 * MIN - 1, undefined), 17);
    const config = {systemClockOffset: 0};
    const marked = {$metadata: {} as {clockSkewCorrected?: boolean}};
    clockAfterError(config, {pre: 0, sentAt: T0}, marked, httpDate(T0, -6 * MIN), undefined);
    assert.equal(marked.$metadata.clockSkewCorrected, true);
    assert.equal(config.systemClockOffset, -6 * MIN - 250);
    const unmarked = {$metadata: {} as {clockSkewCorrected?: boolean}};
    clockAfterError(config, {pre: 0, sentAt: T0}, unmarked, httpDate(T0, 2 * MIN), undefined);
    assert.equal(unmarked.$metadata.clockSkewCorrected, undefined);
  } finally {
    Date.now = realNow;
  }
});
