// One set of SQS behaviours, run unchanged against three implementations through the unmodified
// @aws-sdk/client-sqs: our simulator (served over HTTP), moto, and fauxqs. Our engine follows the AWS
// documentation; where an emulator deviates, the test says so explicitly with `deviates(...)`.
//
// Deviations found (emulator versions: moto 5.2.1, fauxqs 2.4.1):
// - moto: CreatedTimestamp/LastModifiedTimestamp are fractional seconds; AWS documents whole epoch seconds.
// - moto, fauxqs: no DeadLetterQueueSourceArn system attribute on a message moved by a redrive policy.
// - moto: an entry over MaximumMessageSize fails the whole SendMessageBatch instead of only that entry.
// - moto: CreateQueue accepts out-of-range values and unknown attribute names; SendMessage accepts an
//   empty body and characters outside the documented set.
// - moto: a FIFO duplicate (same MessageDeduplicationId in the 5-minute window) gets a new MessageId.
// - moto: no StartMessageMoveTask/ListMessageMoveTasks/CancelMessageMoveTask; an unknown operation is an
//   HTML 500 and a malformed JSON body is ignored. ChangeMessageVisibility with an outdated receipt
//   handle succeeds (fauxqs: MessageNotInflight; our engine: InvalidParameterValue "receipt handle has
//   expired", which is what AWS answers for an expired handle).
// - fauxqs: DeleteMessageBatch/DeleteMessage accept a receipt handle that was never issued.
// - fauxqs: query error codes are prefixed "AWS.SimpleQueueService." (e.g. the SDK raises
//   "AWS.SimpleQueueService.InvalidParameterValue" where AWS and moto give "InvalidParameterValue").
// - fauxqs: ReceiveMessage returns at most one message per FIFO group per call.
// - fauxqs: no ListDeadLetterSourceQueues/StartMessageMoveTask (documented); accepts DelaySeconds 901,
//   a RedrivePolicy whose DLQ does not exist, unknown queue attributes; malformed JSON is a 500.
import {after, before, describe, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import {startFauxqs, startMoto, testAwsConfig, type RunningServer} from '../helpers/servers.ts';
import {startSqsSim} from '../helpers/sqs-sim-http.ts';
import {md5OfMessageAttributes} from '../../source/sim/sqs/md5.ts';

type Target = 'sim' | 'moto' | 'fauxqs';
const targets: Target[] = ['sim', 'moto', 'fauxqs'];

const start: Record<Target, () => Promise<RunningServer>> = {sim: () => startSqsSim(), moto: startMoto, fauxqs: startFauxqs};

for (const target of targets) {
  describe(`SQS contract against ${target}`, () => {
    let server: RunningServer | undefined;
    let sqs: SQSClient;
    let counter = 0;
    const unique = (base: string) => `${base}-${Date.now().toString(36)}-${++counter}`;

    before(async () => {
      server = await start[target]();
      sqs = new SQSClient(testAwsConfig(server.endpoint));
    });
    after(async () => {
      sqs?.destroy();
      await server?.stop();
    });

    async function createQueue(name: string, attributes: Record<string, string> = {}) {
      const {QueueUrl} = await sqs.send(new CreateQueueCommand({QueueName: name, Attributes: attributes}));
      assert.ok(QueueUrl);
      const {Attributes} = await sqs.send(new GetQueueAttributesCommand({QueueUrl, AttributeNames: ['QueueArn']}));
      return {url: QueueUrl, arn: Attributes!.QueueArn!};
    }

    async function counts(url: string) {
      const {Attributes = {}} = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      return {
        visible: Number(Attributes.ApproximateNumberOfMessages),
        inflight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
        delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
      };
    }

    async function receive(url: string, options: {max?: number; visibility?: number} = {}): Promise<Message[]> {
      const {Messages = []} = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: options.max ?? 10,
          VisibilityTimeout: options.visibility ?? 30,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      return Messages;
    }

    async function queueWithDlq(maxReceiveCount: number) {
      const dlq = await createQueue(unique('dlq'));
      const source = await createQueue(unique('src'), {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount})});
      return {dlq, source};
    }

    test('a queue with a dead-letter queue reports its redrive policy', async (t) => {
      const {dlq, source} = await queueWithDlq(3);
      const {Attributes = {}} = await sqs.send(new GetQueueAttributesCommand({QueueUrl: source.url, AttributeNames: ['All']}));
      const policy = JSON.parse(Attributes.RedrivePolicy ?? '{}') as {deadLetterTargetArn: string; maxReceiveCount: number | string};
      assert.equal(policy.deadLetterTargetArn, dlq.arn);
      assert.equal(Number(policy.maxReceiveCount), 3);
      assert.equal(Attributes.VisibilityTimeout, '30');
      assert.equal(Attributes.MessageRetentionPeriod, '345600');
      if (target === 'moto') {
        deviates(t, target, 'CreatedTimestamp/LastModifiedTimestamp are fractional seconds ("1795437168.563689"), AWS sends whole seconds');
        assert.match(Attributes.CreatedTimestamp ?? '', /^\d{10}\.\d+$/);
      } else {
        assert.match(Attributes.CreatedTimestamp ?? '', /^\d{10}$/); // whole epoch seconds
        assert.match(Attributes.LastModifiedTimestamp ?? '', /^\d{10}$/);
      }
      assert.equal(Attributes.QueueArn, source.arn);
    });

    test('message attributes of every data type come back identical, with the AWS attribute MD5', async () => {
      const q = await createQueue(unique('attrs'));
      const attributes: Record<string, MessageAttributeValue> = {
        text: {DataType: 'String', StringValue: 'héllo wörld ✓'},
        count: {DataType: 'Number', StringValue: '-12.50'},
        blob: {DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 253, 254, 255])},
        integer: {DataType: 'Number.int', StringValue: '42'},
        doc: {DataType: 'String.json', StringValue: '{"a":[1,2]}'},
        zipped: {DataType: 'Binary.gz', BinaryValue: new Uint8Array([31, 139, 8])},
      };
      const body = '{"order":"ü-42"}';
      const sent = await sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: body, MessageAttributes: attributes}));
      const expectedMd5 = md5OfMessageAttributes(
        Object.fromEntries(
          Object.entries(attributes).map(([k, v]) => [
            k,
            v.BinaryValue ? {DataType: v.DataType!, BinaryValue: Buffer.from(v.BinaryValue).toString('base64')} : {DataType: v.DataType!, StringValue: v.StringValue!},
          ]),
        ),
      );
      assert.equal(sent.MD5OfMessageAttributes, expectedMd5);
      const [message] = await receive(q.url);
      assert.ok(message, 'message received');
      assert.equal(message.Body, body); // MD5OfBody is checked by the SDK itself
      assert.equal(message.MessageId, sent.MessageId);
      assert.equal(message.MD5OfMessageAttributes, expectedMd5);
      const got = message.MessageAttributes ?? {};
      assert.deepEqual(Object.keys(got).sort(), Object.keys(attributes).sort());
      for (const [name, value] of Object.entries(attributes)) {
        assert.equal(got[name]?.DataType, value.DataType, name);
        if (value.BinaryValue) assert.deepEqual(Buffer.from(got[name]!.BinaryValue!), Buffer.from(value.BinaryValue), name);
        else assert.equal(got[name]?.StringValue, value.StringValue, name);
      }
      assert.ok(Number(message.Attributes?.SentTimestamp) > 1.6e12, 'SentTimestamp in epoch ms');
      assert.ok(message.Attributes?.SenderId, 'SenderId present');
    });

    test('every receive increments ApproximateReceiveCount; a release (visibility 0) makes it receivable again', async () => {
      const q = await createQueue(unique('count'));
      await sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'again'}));
      const [first] = await receive(q.url);
      assert.equal(first?.Attributes?.ApproximateReceiveCount, '1');
      assert.equal((await receive(q.url)).length, 0, 'hidden while in flight');
      await sqs.send(new ChangeMessageVisibilityCommand({QueueUrl: q.url, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout: 0}));
      const [second] = await receive(q.url);
      assert.equal(second?.MessageId, first?.MessageId);
      assert.equal(second?.Attributes?.ApproximateReceiveCount, '2');
      assert.notEqual(second?.ReceiptHandle, first?.ReceiptHandle, 'a new receipt handle per receive');
      assert.equal(second?.Attributes?.ApproximateFirstReceiveTimestamp, first?.Attributes?.ApproximateFirstReceiveTimestamp);
    });

    test('after maxReceiveCount receives the message moves to the dead-letter queue', async (t) => {
      const {dlq, source} = await queueWithDlq(1);
      const sent = await sqs.send(new SendMessageCommand({QueueUrl: source.url, MessageBody: 'poison', MessageAttributes: {k: {DataType: 'String', StringValue: 'v'}}}));
      const [first] = await receive(source.url);
      assert.equal(first?.MessageId, sent.MessageId);
      await sqs.send(new ChangeMessageVisibilityCommand({QueueUrl: source.url, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout: 0}));
      assert.equal((await receive(source.url)).length, 0, 'the second receive moves it instead of delivering it');
      const [dead] = await receive(dlq.url);
      assert.ok(dead, 'message is in the DLQ');
      assert.equal(dead.MessageId, sent.MessageId, 'the MessageId is kept by a redrive-policy move');
      assert.equal(dead.Body, 'poison');
      assert.equal(dead.MessageAttributes?.k?.StringValue, 'v');
      assert.equal(dead.Attributes?.SentTimestamp, first?.Attributes?.SentTimestamp, 'original enqueue time kept');
      if (target === 'sim') {
        assert.equal(dead.Attributes?.DeadLetterQueueSourceArn, source.arn);
      } else {
        deviates(t, target, 'no DeadLetterQueueSourceArn system attribute on messages moved by a redrive policy');
        assert.equal(dead.Attributes?.DeadLetterQueueSourceArn, undefined);
      }
      // AWS keeps counting receives across the move (not documented precisely; all three agree it is not reset)
      assert.ok(Number(dead.Attributes?.ApproximateReceiveCount) >= 2);
    });

    test('a peek followed by a release (ChangeMessageVisibilityBatch 0) leaves the visible count unchanged', async () => {
      const q = await createQueue(unique('peek'));
      await sqs.send(
        new SendMessageBatchCommand({QueueUrl: q.url, Entries: [0, 1, 2].map((i) => ({Id: `m${i}`, MessageBody: `body ${i}`}))}),
      );
      assert.deepEqual(await counts(q.url), {visible: 3, inflight: 0, delayed: 0});
      const peeked = await receive(q.url, {visibility: 30});
      assert.equal(peeked.length, 3);
      assert.deepEqual(await counts(q.url), {visible: 0, inflight: 3, delayed: 0});
      const released = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: q.url,
          Entries: peeked.map((m, i) => ({Id: `r${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0})),
        }),
      );
      assert.equal(released.Successful?.length, 3);
      assert.equal(released.Failed?.length ?? 0, 0);
      assert.deepEqual(await counts(q.url), {visible: 3, inflight: 0, delayed: 0});
    });

    test('DeleteMessageBatch with one bad receipt handle reports a partial failure', async (t) => {
      const q = await createQueue(unique('delbatch'));
      await sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'keep me?'}));
      const [m] = await receive(q.url);
      const result = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: q.url,
          Entries: [
            {Id: 'good', ReceiptHandle: m!.ReceiptHandle!},
            {Id: 'bad', ReceiptHandle: 'not-a-real-receipt-handle'},
          ],
        }),
      );
      if (target === 'fauxqs') {
        deviates(t, target, 'DeleteMessageBatch accepts a receipt handle it never issued (reports it Successful)');
        assert.deepEqual(result.Successful?.map((s) => s.Id).sort(), ['bad', 'good']);
        assert.deepEqual(await counts(q.url), {visible: 0, inflight: 0, delayed: 0});
        return;
      }
      assert.deepEqual(result.Successful?.map((s) => s.Id), ['good']);
      assert.equal(result.Failed?.length, 1);
      assert.equal(result.Failed?.[0]?.Id, 'bad');
      assert.equal(result.Failed?.[0]?.SenderFault, true);
      assert.equal(result.Failed?.[0]?.Code, 'ReceiptHandleIsInvalid');
      assert.deepEqual(await counts(q.url), {visible: 0, inflight: 0, delayed: 0});
    });

    test('SendMessageBatch: an entry over MaximumMessageSize fails alone, the others are sent', async (t) => {
      const q = await createQueue(unique('sizes'), {MaximumMessageSize: '1024'});
      const batch = new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          {Id: 'small1', MessageBody: 'fits'},
          {Id: 'huge', MessageBody: 'x'.repeat(1025)},
          {Id: 'small2', MessageBody: 'fits too'},
        ],
      });
      if (target === 'moto') {
        deviates(t, target, 'an entry over MaximumMessageSize fails the whole SendMessageBatch (InvalidParameterValue) instead of that entry');
        await assert.rejects(sqs.send(batch), (error: Error) => error.name === 'InvalidParameterValue');
        assert.equal((await counts(q.url)).visible, 0);
        return;
      }
      const result = await sqs.send(batch);
      assert.deepEqual(result.Successful?.map((s) => s.Id).sort(), ['small1', 'small2']);
      assert.equal(result.Failed?.length, 1);
      assert.equal(result.Failed?.[0]?.Id, 'huge');
      assert.equal(result.Failed?.[0]?.SenderFault, true);
      assert.ok(result.Failed?.[0]?.Code, 'a failure code');
      assert.equal((await counts(q.url)).visible, 2);
    });

    test('GetQueueAttributes counts visible, in-flight and delayed messages', async () => {
      const q = await createQueue(unique('counts'));
      await sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'a'}));
      await sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'b'}));
      await sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'later', DelaySeconds: 600}));
      await receive(q.url, {max: 1});
      assert.deepEqual(await counts(q.url), {visible: 1, inflight: 1, delayed: 1});
    });

    test('ListDeadLetterSourceQueues names the queues that use a DLQ', async (t) => {
      if (target === 'fauxqs') return void t.skip('fauxqs documents ListDeadLetterSourceQueues as unsupported');
      const {dlq, source} = await queueWithDlq(5);
      const other = await createQueue(unique('src2'), {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: 2})});
      await createQueue(unique('unrelated'));
      const {queueUrls = []} = await sqs.send(new ListDeadLetterSourceQueuesCommand({QueueUrl: dlq.url}));
      assert.deepEqual([...queueUrls].sort(), [source.url, other.url].sort());
    });

    test('PurgeQueue removes every message', async () => {
      const q = await createQueue(unique('purge'));
      await sqs.send(new SendMessageBatchCommand({QueueUrl: q.url, Entries: [{Id: 'a', MessageBody: 'a'}, {Id: 'b', MessageBody: 'b'}]}));
      await receive(q.url, {max: 1});
      await sqs.send(new PurgeQueueCommand({QueueUrl: q.url}));
      assert.deepEqual(await counts(q.url), {visible: 0, inflight: 0, delayed: 0});
    });

    test('a missing queue raises QueueDoesNotExist', async () => {
      await assert.rejects(sqs.send(new GetQueueUrlCommand({QueueName: unique('missing')})), (error: unknown) => {
        assert.ok(error instanceof QueueDoesNotExist, `got ${(error as Error).name}`);
        return true;
      });
      const existing = await createQueue(unique('exists'));
      const missingUrl = existing.url.replace(/[^/]+$/, unique('gone'));
      await assert.rejects(sqs.send(new SendMessageCommand({QueueUrl: missingUrl, MessageBody: 'x'})), (error: unknown) => {
        assert.ok(error instanceof QueueDoesNotExist, `got ${(error as Error).name}`);
        return true;
      });
    });

    test('parameters are validated like AWS: MaxNumberOfMessages 1..10, queue attribute ranges, message characters', async (t) => {
      const q = await createQueue(unique('validate'));
      const parameterErrorName = target === 'fauxqs' ? 'AWS.SimpleQueueService.InvalidParameterValue' : 'InvalidParameterValue';
      if (target === 'fauxqs') deviates(t, target, 'query error codes carry an "AWS.SimpleQueueService." prefix (InvalidParameterValue, InvalidAttributeValue, MissingParameter...)');
      await assert.rejects(sqs.send(new ReceiveMessageCommand({QueueUrl: q.url, MaxNumberOfMessages: 11})), (e: Error) => e.name === parameterErrorName);
      const badRetention = sqs.send(new CreateQueueCommand({QueueName: unique('retention'), Attributes: {MessageRetentionPeriod: '10'}}));
      if (target === 'moto') {
        deviates(t, target, 'CreateQueue accepts out-of-range attribute values (MessageRetentionPeriod 10) and unknown attribute names');
        await badRetention;
      } else {
        await assert.rejects(badRetention, (e: Error) => /InvalidAttributeValue$/.test(e.name));
      }
      const badBody = sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'bell \u0007'}));
      if (target === 'moto') {
        deviates(t, target, 'SendMessage accepts characters outside the allowed set (U+0007)');
        await badBody;
      } else {
        await assert.rejects(badBody, (e: Error) => /InvalidMessageContents$/.test(e.name));
      }
    });

    test('FIFO queues need a MessageGroupId and deduplicate by MessageDeduplicationId', async (t) => {
      const q = await createQueue(`${unique('orders')}.fifo`, {FifoQueue: 'true'});
      await assert.rejects(sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'x', MessageDeduplicationId: 'd1'})), (e: Error) => /MissingParameter$/.test(e.name));
      const first = await sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1'}));
      const again = await sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1'}));
      assert.match(first.SequenceNumber ?? '', /^\d+$/);
      if (target === 'moto') {
        deviates(t, target, 'a FIFO duplicate (same MessageDeduplicationId within 5 minutes) gets a new MessageId');
        assert.notEqual(again.MessageId, first.MessageId);
      } else {
        assert.equal(again.MessageId, first.MessageId, 'a duplicate is acknowledged with the original id');
      }
      await sqs.send(new SendMessageCommand({QueueUrl: q.url, MessageBody: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'd2'}));
      const got = await receive(q.url);
      if (target === 'fauxqs') {
        deviates(t, target, 'ReceiveMessage returns at most one message per FIFO message group per call (AWS returns several, in order)');
        assert.deepEqual(got.map((m) => m.Body), ['x']);
        assert.equal((await receive(q.url)).length, 0, 'the group stays locked while x is in flight');
        return;
      }
      assert.deepEqual(got.map((m) => m.Body), ['x', 'y'], 'one copy of the duplicate, in order');
      assert.equal(got[0]?.Attributes?.MessageGroupId, 'g');
    });

    test('StartMessageMoveTask moves DLQ messages back to their source queue, with new ids', async (t) => {
      if (target === 'fauxqs') return void t.skip('fauxqs documents StartMessageMoveTask/ListMessageMoveTasks as unsupported');
      if (target === 'moto') return void t.skip('moto 5.2.1 does not implement StartMessageMoveTask');
      const {dlq, source} = await queueWithDlq(1);
      const ids: string[] = [];
      for (const body of ['one', 'two']) ids.push((await sqs.send(new SendMessageCommand({QueueUrl: source.url, MessageBody: body}))).MessageId!);
      const first = await receive(source.url);
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({QueueUrl: source.url, Entries: first.map((m, i) => ({Id: `e${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0}))}),
      );
      assert.equal((await receive(source.url)).length, 0);
      assert.equal((await counts(dlq.url)).visible, 2);
      const {TaskHandle} = await sqs.send(new StartMessageMoveTaskCommand({SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 100}));
      assert.ok(TaskHandle);
      let status = 'RUNNING';
      for (let i = 0; i < 50 && status === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const {Results = []} = await sqs.send(new ListMessageMoveTasksCommand({SourceArn: dlq.arn}));
        status = Results[0]?.Status ?? 'missing';
        if (status === 'COMPLETED') {
          assert.equal(Results[0]?.ApproximateNumberOfMessagesMoved, 2);
          assert.equal(Results[0]?.ApproximateNumberOfMessagesToMove, 2);
          assert.equal(Results[0]?.SourceArn, dlq.arn);
          assert.ok(Results[0]?.StartedTimestamp);
        }
      }
      assert.equal(status, 'COMPLETED');
      const back = await receive(source.url);
      assert.deepEqual(back.map((m) => m.Body).sort(), ['one', 'two']);
      for (const m of back) assert.ok(!ids.includes(m.MessageId!), 'moved messages get new ids');
      assert.equal((await counts(dlq.url)).visible, 0);
      await assert.rejects(sqs.send(new CancelMessageMoveTaskCommand({TaskHandle})), 'a finished task cannot be cancelled');
    });
  });
}

/** Marks an emulator's deviation from the AWS documentation (the assertions that follow encode it) and
 * reports it in the test output. */
function deviates(t: TestContext, target: Target, what: string): void {
  t.diagnostic(`${target} deviates from AWS: ${what}`);
}
