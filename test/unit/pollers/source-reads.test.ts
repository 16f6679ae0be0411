import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createSourceReads} from '../../../source/pollers/source-reads.ts';
import type {FunctionTopology, QueueStatus} from '../../../source/domain/types.ts';

const arn = 'arn:aws:sqs:eu-west-1:123456789012:orders';
const dlq = 'arn:aws:sqs:eu-west-1:123456789012:orders-dlq';
const read = (over: Partial<QueueStatus> & {redrive?: unknown} = {}): QueueStatus =>
  ({role: 'source', url: 'https://sqs/orders', arn, name: 'orders', visible: 0, inFlight: 0, delayed: 0, oldestAgeSeconds: null, retentionSeconds: 60, visibilityTimeoutSeconds: 90, maximumMessageSizeBytes: 1, fifo: false, error: null, redrive: {deadLetterTargetArn: dlq, maxReceiveCount: 3}, ...over}) as QueueStatus;
const topology = (redrive: {deadLetterTargetArn: string; maxReceiveCount: number} | null, vt = 90): FunctionTopology =>
  ({eventSources: [{uuid: 'u', sourceArn: arn, queueUrl: 'https://sqs/orders', state: 'Enabled', batchSize: 10, maximumConcurrency: null, redrive, visibilityTimeoutSeconds: vt}]}) as unknown as FunctionTopology;

test('a source read is known until it is older than maxAgeMs; reads that failed or are not sources are not kept', () => {
  let wall = 1_000;
  const reads = createSourceReads({maxAgeMs: 600_000, wallNow: () => wall});
  assert.equal(reads.known(arn), undefined);
  reads.note([read({role: 'dlq', arn: dlq}), read({arn: 'arn:aws:sqs:eu-west-1:123456789012:broken', error: 'AccessDenied'})], null);
  assert.equal(reads.known(dlq), undefined, 'only SQS sources');
  assert.equal(reads.known('arn:aws:sqs:eu-west-1:123456789012:broken'), undefined, 'not a failed read');
  reads.note([read()], null);
  assert.deepEqual(reads.known(arn), {url: 'https://sqs/orders', redrive: {deadLetterTargetArn: dlq, maxReceiveCount: 3}, visibilityTimeoutSeconds: 90});
  wall += 600_001;
  assert.equal(reads.known(arn), undefined, 'too old: discovery reads it itself');
});

test('note says when a read differs from the topology (redrive policy or visibility timeout), not when it agrees', () => {
  const reads = createSourceReads({maxAgeMs: 1});
  assert.equal(reads.note([read()], topology({deadLetterTargetArn: dlq, maxReceiveCount: 3})), false);
  assert.equal(reads.note([read()], topology(null)), true, 'a DLQ was added');
  assert.equal(reads.note([read({redrive: null})], topology({deadLetterTargetArn: dlq, maxReceiveCount: 3})), true, 'the DLQ was removed');
  assert.equal(reads.note([read()], topology({deadLetterTargetArn: dlq, maxReceiveCount: 5})), true, 'maxReceiveCount changed');
  assert.equal(reads.note([read({visibilityTimeoutSeconds: 30})], topology({deadLetterTargetArn: dlq, maxReceiveCount: 3})), true, 'visibility timeout changed');
});
