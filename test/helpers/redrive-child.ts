// A redrive run in its own process, for the kill -9 test: moves a DLQ to a target queue with a journal.
// Usage: node --import tsx test/helpers/redrive-child.ts ENDPOINT DLQ_URL TARGET_URL JOURNAL [CONCURRENCY] [VISIBILITY_S] [RATE]
import {createClients} from '../../source/aws/clients.ts';
import {runRedrive} from '../../source/redrive/engine.ts';
import {createMutationGate} from '../../source/redrive/mutation-gate.ts';
import {testAwsConfig} from './servers.ts';

const [endpoint, dlq, target, journalPath, concurrency = '4', visibility = '2', rate = 'Infinity'] = process.argv.slice(2);
if (!endpoint || !dlq || !target || !journalPath) {
  process.stderr.write('usage: redrive-child ENDPOINT DLQ_URL TARGET_URL JOURNAL [CONCURRENCY] [VISIBILITY_S]\n');
  process.exit(2);
}
const clients = createClients(testAwsConfig(endpoint));
process.stdout.write('started\n');
const summary = await runRedrive(
  {
    source: {queueUrl: dlq, role: 'source-dlq'},
    target: {kind: 'queue', queueUrl: target},
    rate: Number(rate),
    journalPath,
    concurrency: Number(concurrency),
    visibilityTimeoutSeconds: Number(visibility),
    emptyWaitSeconds: 0,
  },
  {clients, gate: createMutationGate({readOnly: false})},
);
clients.destroy();
process.stdout.write(`done ${JSON.stringify({accepted: summary.accepted, deleted: summary.deleted, leftovers: summary.leftoversDeleted, failed: summary.failed, exitCode: summary.exitCode})}\n`);
