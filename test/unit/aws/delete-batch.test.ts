// The DeleteMessageBatch accounting both SQS paths share (aws/messages.ts accountDeleteBatch): each entry counts
// once, as deleted or failed, whatever the answer repeats or leaves out.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {accountDeleteBatch} from '../../../source/aws/messages.ts';

const chunk = [{id: 'm-a'}, {id: 'm-b'}, {id: 'm-c'}, {id: 'm-d'}];

test('a delete answer maps back by position; a repeated or unknown id counts nothing, a missing one is NoResult', () => {
  const deleted: string[] = [];
  const failed: Array<{id: string; code: string; message: string}> = [];
  accountDeleteBatch(
    chunk,
    {
      Successful: [{Id: 'd0'}, {Id: 'd0'}, {Id: 'd9'}],
      Failed: [{Id: 'd1', Code: 'ReceiptHandleIsInvalid', Message: 'expired'}, {Id: 'd0', Code: 'X'}, {Id: 'd2'}],
    },
    deleted,
    failed,
  );
  assert.deepEqual(deleted, ['m-a']);
  assert.deepEqual(failed, [
    {id: 'm-b', code: 'ReceiptHandleIsInvalid', message: 'expired'},
    {id: 'm-c', code: 'Error', message: ''},
    {id: 'm-d', code: 'NoResult', message: 'the service returned no result for this entry'},
  ]);
});
