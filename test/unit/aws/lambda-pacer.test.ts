import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mapWithConcurrency, withPacedLambda, createLambdaPacer, DOCTOR_LAMBDA_CALLS_PER_SECOND, LAMBDA_CONTROL_PLANE_PER_SECOND} from '../../../source/aws/lambda-pacer.ts';
import type {AwsClients} from '../../../source/aws/clients.ts';

test('mapWithConcurrency keeps the order and never runs more than the limit at once', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30, 0, 60]);
  assert.equal(peak, 3);
});

test('every Lambda call of the paced clients goes through the pacer, under the control-plane limit; a throttle is tried again', async () => {
  assert.ok(DOCTOR_LAMBDA_CALLS_PER_SECOND < LAMBDA_CONTROL_PLANE_PER_SECOND);
  let clock = 0;
  const slept: number[] = [];
  const pacer = createLambdaPacer({now: () => clock, sleep: async (ms) => {
    slept.push(ms);
    clock += ms;
  }, random: () => 0.5});
  let sends = 0;
  const fakeLambda = {
    config: 'kept',
    async send() {
      sends++;
      if (sends === 3) throw Object.assign(new Error('Rate exceeded'), {name: 'TooManyRequestsException', $metadata: {httpStatusCode: 429}});
      return {ok: sends};
    },
  };
  const clients = {lambda: fakeLambda, sqs: 'sqs', cloudwatch: 'cw', logs: 'logs', region: async () => 'us-east-1', destroy() {}} as unknown as AwsClients;
  const paced = withPacedLambda(clients, pacer, () => clock);
  for (let i = 0; i < 4; i++) await paced.lambda.send({} as never);
  assert.equal(sends, 5, 'the throttled call was sent again');
  assert.equal(pacer.stats.throttled, 1);
  assert.ok(clock >= 3 * (1000 / DOCTOR_LAMBDA_CALLS_PER_SECOND), `paced: ${clock} ms for 5 sends`);
  assert.equal((paced.lambda as unknown as {config: string}).config, 'kept');
  assert.equal(paced.sqs, 'sqs');
});
