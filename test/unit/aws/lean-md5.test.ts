// The lean path's MD5 checks (source/aws/lean-sqs.ts, one-shot hashes): a receive verifies each body against
// MD5OfBody (UTF-8 bytes); a send checks the service's MD5OfMessageBody against the body sent. A wrong MD5 is never
// an acceptance. Against a small fake SQS (JSON protocol) that answers with chosen MD5s.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, test} from 'node:test';
import {createClients, type AwsClients} from '../../../source/aws/clients.ts';
import {LeanAws} from '../../../source/aws/lean-sqs.ts';
import {createMutationGate} from '../../../source/aws/mutation-gate.ts';
import {testAwsConfig} from '../../helpers/servers.ts';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const gate = createMutationGate({readOnly: false});

/** What the fake answers: the messages of the next receive, and whether sends report a wrong MD5. */
const fake = {messages: [] as Array<{MessageId: string; ReceiptHandle: string; Body: string; MD5OfBody: string}>, wrongSendMd5: false};
let server: http.Server;
let clients: AwsClients;

before(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const input = JSON.parse(text) as {Entries?: Array<{Id: string; MessageBody: string}>};
      const op = String(req.headers['x-amz-target']).split('.')[1];
      const out =
        op === 'ReceiveMessage'
          ? {Messages: fake.messages}
          : {Successful: (input.Entries ?? []).map((e, i) => ({Id: e.Id, MessageId: `new-${i}`, MD5OfMessageBody: fake.wrongSendMd5 ? md5(e.MessageBody + 'x') : md5(e.MessageBody)})), Failed: []};
      res.writeHead(200, {'content-type': 'application/x-amz-json-1.0'});
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  clients = createClients({...testAwsConfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), maxAttempts: 1});
});
after(async () => {
  clients.destroy();
  await new Promise((r) => server.close(r));
});

const entry = (id: string, body: string) => ({id, body, messageAttributes: {}});

test('bodies received and sent again (a move) pass both MD5 checks, multi-byte UTF-8 included', async () => {
  const lean = new LeanAws(clients);
  try {
    fake.messages = [{MessageId: 'a', ReceiptHandle: 'ha', Body: '{"n":1}', MD5OfBody: md5('{"n":1}')}, {MessageId: 'b', ReceiptHandle: 'hb', Body: 'é two', MD5OfBody: md5('é two')}];
    fake.wrongSendMd5 = false;
    const got = await lean.receive('http://q/1', {max: 10, visibilityTimeoutSeconds: 30});
    assert.deepEqual(got.map((m) => m.body), ['{"n":1}', 'é two']);
    const sent = await lean.sendBatch(gate, 'http://q/2', got.map((m) => entry(m.messageId, m.body)));
    assert.deepEqual(sent.accepted.map((a) => a.id), ['a', 'b']);
    assert.deepEqual(sent.failed, []);
  } finally {
    lean.destroy();
  }
});

test('a wrong MD5 from the service is a failure of that entry, never an acceptance', async () => {
  const lean = new LeanAws(clients);
  try {
    fake.wrongSendMd5 = true;
    const sent = await lean.sendBatch(gate, 'http://q/2', [entry('a', 'kept body'), entry('c', 'never received')]);
    assert.deepEqual(sent.accepted, []);
    assert.deepEqual(sent.failed.map((f) => [f.id, f.code]), [['a', 'InvalidMD5'], ['c', 'InvalidMD5']]);
  } finally {
    fake.wrongSendMd5 = false;
    lean.destroy();
  }
});

test('a received body whose MD5 does not match fails the receive', async () => {
  const lean = new LeanAws(clients);
  try {
    fake.messages = [{MessageId: 'bad', ReceiptHandle: 'h', Body: 'tampered', MD5OfBody: md5('original')}];
    await assert.rejects(lean.receive('http://q/1', {max: 10, visibilityTimeoutSeconds: 30}), /Invalid MD5 checksum on messages: bad/);
  } finally {
    lean.destroy();
  }
});
