// A quiet simulator for redrive tests: one function (`twin-fn`) with BOTH a DLQ (`twin-dlq`) and an OnFailure
// destination queue (`twin-failures`), two plain queues for moves, no producers and no errors, so nothing
// arrives in the queues but what a test sends. Invokes the simulator accepts are counted per payload "uid".
import {GetQueueUrlCommand, SendMessageBatchCommand} from '@aws-sdk/client-sqs';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {startSimulator} from '../../source/sim/index.ts';
import {createVirtualClock} from '../../source/sim/clock.ts';
import {createWorld} from '../../source/sim/lambda/index.ts';
import type {SimSqs} from '../../source/sim/sqs/engine.ts';
import type {LambdaWorld} from '../../source/sim/ports.ts';
import type {MessageAttribute} from '../../source/domain/types.ts';

export const FN = 'twin-fn';

const scenario = {
  name: 'redrive-test',
  title: 'redrive test world',
  story: 'a quiet function with a DLQ and an OnFailure destination',
  primaryFunction: FN,
  cycleMinutes: 60,
  queues: [{name: 'twin-dlq'}, {name: 'twin-failures'}, {name: 'move-dlq'}, {name: 'move-target'}],
  functions: [
    {
      name: FN,
      description: 'test',
      runtime: 'nodejs22.x',
      timeoutSeconds: 10,
      memoryMb: 128,
      deadLetterQueue: {queue: 'twin-dlq'},
      eventInvokeConfig: {maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21600, onFailure: {queue: 'twin-failures'}},
      behavior: {durationMs: {median: 50, p99: 100}, errors: []},
    },
  ],
  producers: [],
  timeline: [],
};

export interface RedriveWorld {
  endpoint: string;
  clients: AwsClients;
  engine: SimSqs;
  /** uid -> invokes accepted with that payload uid. */
  invoked: Map<string, number>;
  url(name: string): Promise<string>;
  send(queueUrl: string, messages: Array<{body: string; attributes?: Record<string, MessageAttribute>}>): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedriveWorld(): Promise<RedriveWorld> {
  let endpoint = '';
  const world = createWorld({clock: createVirtualClock({speed: 1}), baseUrl: () => endpoint, scenario: scenario as never, prerollMinutes: 0});
  const sim = await startSimulator({port: 0, world});
  endpoint = sim.endpoint;
  const clients = createClients({endpoint, region: sim.world.region, credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1});
  const invoked = new Map<string, number>();
  const w = sim.world as {invoke: LambdaWorld['invoke']};
  const invoke = w.invoke.bind(sim.world);
  w.invoke = (name, payload, type, qualifier) => {
    const result = invoke(name, payload, type, qualifier);
    const uid = /"uid":"([^"]+)"/.exec(payload)?.[1];
    if (uid) invoked.set(uid, (invoked.get(uid) ?? 0) + 1);
    return result;
  };
  return {
    endpoint,
    clients,
    engine: sim.world.sqs as SimSqs,
    invoked,
    url: async (name) => (await clients.sqs.send(new GetQueueUrlCommand({QueueName: name}))).QueueUrl!,
    async send(queueUrl, messages) {
      for (let i = 0; i < messages.length; i += 10) {
        await clients.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.slice(i, i + 10).map((m, k) => ({
              Id: `e${k}`,
              MessageBody: m.body,
              ...(m.attributes
                ? {MessageAttributes: Object.fromEntries(Object.entries(m.attributes).map(([n, a]) => [n, {DataType: a.dataType, ...(a.stringValue !== undefined ? {StringValue: a.stringValue} : {})}]))}
                : {}),
            })),
          }),
        );
      }
    },
    async stop() {
      clients.destroy();
      await sim.stop();
    },
  };
}

/** A Lambda DLQ message's attributes (RequestID, ErrorCode, ErrorMessage). */
export const dlqAttributes = (requestId: string): Record<string, MessageAttribute> => ({
  RequestID: {dataType: 'String', stringValue: requestId},
  ErrorCode: {dataType: 'Number', stringValue: '200'},
  ErrorMessage: {dataType: 'String', stringValue: 'boom'},
});

/** An OnFailure invocation record for `payload` with this request id. */
export const invocationRecord = (requestId: string, payload: unknown): string =>
  JSON.stringify({
    version: '1.0', timestamp: '2026-01-01T00:00:00.000Z',
    requestContext: {requestId, functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FN}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3},
    requestPayload: payload,
    responseContext: {statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled'},
    responsePayload: {errorMessage: 'boom', errorType: 'Error'},
  });
