// The benchmark's ceiling: SQS (AWS JSON 1.0) and Lambda Invoke spoken by hand over bare node:http with a
// keep-alive agent. No SDK, no signing, no retries: what the emulator can take from one Node process doing the
// same work as a redrive (receive -> send / Invoke -> delete). Only for bench/ against loopback emulators.
import http from 'node:http';

export interface RawAws {
  sqs<T = Record<string, unknown>>(operation: string, body: Record<string, unknown>): Promise<T>;
  invokeEvent(functionName: string, payload: string): Promise<number>;
  close(): void;
}

export function rawAws(endpoint: string, maxSockets = 64): RawAws {
  const url = new URL(endpoint);
  const agent = new http.Agent({keepAlive: true, maxSockets});
  const request = (method: string, path: string, headers: Record<string, string>, body: string): Promise<{status: number; text: string}> =>
    new Promise((resolve, reject) => {
      const req = http.request({host: url.hostname, port: url.port, method, path, agent, headers: {...headers, 'content-length': String(Buffer.byteLength(body))}}, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')}));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    async sqs<T>(operation: string, body: Record<string, unknown>): Promise<T> {
      const r = await request('POST', '/', {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}`}, JSON.stringify(body));
      if (r.status !== 200) throw new Error(`${operation}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
      return JSON.parse(r.text) as T;
    },
    async invokeEvent(functionName: string, payload: string): Promise<number> {
      const r = await request('POST', `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, {'content-type': 'application/json', 'x-amz-invocation-type': 'Event'}, payload);
      return r.status;
    },
    close: () => agent.destroy(),
  };
}

interface RawMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MessageAttributes?: Record<string, unknown>;
}

/** Fills a queue with `count` messages, unique bodies, the attributes a Lambda DLQ message carries. */
export async function rawFill(aws: RawAws, queueUrl: string, count: number, parallel = 4, tag = 'u'): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 10;
      const Entries = Array.from({length: Math.min(10, count - i)}, (_, k) => ({
        Id: `e${k}`,
        MessageBody: JSON.stringify({uid: `${tag}-${i + k}`, order: {id: i + k, items: ['a', 'b', 'c'], note: 'x'.repeat(200)}}),
        MessageAttributes: {
          RequestID: {DataType: 'String', StringValue: `req-${tag}-${i + k}`},
          ErrorCode: {DataType: 'Number', StringValue: '500'},
          ErrorMessage: {DataType: 'String', StringValue: 'Task timed out after 15.00 seconds'},
        },
      }));
      const r = await aws.sqs<{Successful?: unknown[]}>('SendMessageBatch', {QueueUrl: queueUrl, Entries});
      if ((r.Successful?.length ?? 0) !== Entries.length) throw new Error('fill: some entries failed');
    }
  };
  await Promise.all(Array.from({length: parallel}, worker));
}

/** `lanes` loops of receive 10 -> `forward` (returns the messages the target accepted) -> DeleteMessageBatch of
 * those, until a receive comes back empty. Returns the messages accepted. */
async function rawLanes(aws: RawAws, from: string, lanes: number, forward: (messages: RawMessage[]) => Promise<RawMessage[]>): Promise<number> {
  let moved = 0;
  const lane = async () => {
    for (;;) {
      const r = await aws.sqs<{Messages?: RawMessage[]}>('ReceiveMessage', {QueueUrl: from, MaxNumberOfMessages: 10, VisibilityTimeout: 60, MessageAttributeNames: ['All']});
      const messages = r.Messages ?? [];
      if (messages.length === 0) return;
      const ok = await forward(messages);
      await aws.sqs('DeleteMessageBatch', {QueueUrl: from, Entries: ok.map((m, i) => ({Id: `d${i}`, ReceiptHandle: m.ReceiptHandle}))});
      moved += ok.length;
    }
  };
  await Promise.all(Array.from({length: lanes}, lane));
  return moved;
}

/** Raw lanes whose forward step is one SendMessageBatch (bodies and attributes as received). */
export function rawMove(aws: RawAws, from: string, to: string, lanes: number): Promise<number> {
  return rawLanes(aws, from, lanes, async (messages) => {
    const sent = await aws.sqs<{Successful?: Array<{Id: string}>}>('SendMessageBatch', {
      QueueUrl: to,
      Entries: messages.map((m, i) => ({Id: `s${i}`, MessageBody: m.Body, ...(m.MessageAttributes ? {MessageAttributes: m.MessageAttributes} : {})})),
    });
    return (sent.Successful ?? []).map((s) => messages[Number(s.Id.slice(1))]!);
  });
}

/** Raw lanes whose forward step is `parallel` Invoke(Event) of the bodies at a time (the 202s are accepted). */
export function rawInvokeLoop(aws: RawAws, from: string, functionName: string, lanes: number, parallel: number): Promise<number> {
  return rawLanes(aws, from, lanes, async (messages) => {
    const ok: RawMessage[] = [];
    let next = 0;
    const invoker = async () => {
      while (next < messages.length) {
        const m = messages[next++]!;
        if ((await aws.invokeEvent(functionName, m.Body)) === 202) ok.push(m);
      }
    };
    await Promise.all(Array.from({length: Math.min(parallel, messages.length)}, invoker));
    return ok;
  });
}

export async function rawDepth(aws: RawAws, queueUrl: string): Promise<number> {
  const r = await aws.sqs<{Attributes?: Record<string, string>}>('GetQueueAttributes', {QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']});
  return Number(r.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}
