// One redrive for bench/redrive-memory.ts; prints {maxRssMb, seconds, summary} as JSON.
// args: ENDPOINT FROM_URL TO_URL dry|move|purge JOURNAL
import {PurgeQueueCommand} from '@aws-sdk/client-sqs';
import {createClients} from '../source/aws/clients.ts';
import {createMutationGate} from '../source/aws/mutation-gate.ts';
import {runRedrive} from '../source/redrive/engine.ts';

const [endpoint, from, to, mode, journalPath] = process.argv.slice(2) as [string, string, string, string, string];
const clients = createClients({endpoint, region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1});
const started = Date.now();
let summary: Record<string, unknown> = {};
if (mode === 'purge') await clients.sqs.send(new PurgeQueueCommand({QueueUrl: from}));
else {
  const s = await runRedrive(
    {source: {queueUrl: from, role: 'source-dlq'}, target: {kind: 'queue', queueUrl: to}, rate: Infinity, dryRun: mode === 'dry', journalPath, emptyWaitSeconds: 0, maxInFlightWaitSeconds: 0},
    {clients, gate: createMutationGate({readOnly: false})},
  );
  summary = {wouldSendCount: s.wouldSendCount, accepted: s.accepted, exitCode: s.exitCode, lastError: s.lastError};
}
clients.destroy();
process.stdout.write(JSON.stringify({maxRssMb: process.resourceUsage().maxRSS / 1024, seconds: (Date.now() - started) / 1000, summary}));
