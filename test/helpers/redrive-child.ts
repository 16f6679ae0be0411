// A redrive run in its own process, for the kill -9 tests.
// Queue mode (moves a DLQ to a target queue with a journal, through the engine):
//   node --import tsx test/helpers/redrive-child.ts ENDPOINT DLQ_URL TARGET_URL JOURNAL [CONCURRENCY] [VISIBILITY_S] [RATE]
// Lambda mode (`lambda-top redrive --function FN --yes --journal JOURNAL`, through the command):
//   node --import tsx test/helpers/redrive-child.ts lambda ENDPOINT FUNCTION JOURNAL [RATE] [VISIBILITY_S] [DLQ_URL]
// (DLQ_URL: `--queue DLQ_URL --function FUNCTION`, for moto, whose GetFunction does not report a DeadLetterConfig)
import {createClients} from '../../source/aws/clients.ts';
import {redriveCommand} from '../../source/redrive/commands.ts';
import {runRedrive} from '../../source/redrive/engine.ts';
import {createMutationGate} from '../../source/aws/mutation-gate.ts';
import {testAwsConfig} from './servers.ts';
import {Capture} from './capture.ts';

const args = process.argv.slice(2);
if (args[0] === 'lambda') {
  const [, endpoint, functionName, journalPath, rate = '300', visibility = '2', queueUrl] = args;
  if (!endpoint || !functionName || !journalPath) {
    process.stderr.write('usage: redrive-child lambda ENDPOINT FUNCTION JOURNAL [RATE] [VISIBILITY_S]\n');
    process.exit(2);
  }
  const clients = createClients(testAwsConfig(endpoint));
  process.stdout.write('started\n');
  const stdout = new Capture();
  const code = await redriveCommand(
    {functionName, ...(queueUrl ? {queueUrl} : {}), yes: true, readOnly: false, json: true, journalPath, rate: Number(rate), visibilityTimeoutSeconds: Number(visibility)},
    {clients, stdout, stderr: process.stderr, confirm: async () => true, isTTY: false},
  );
  clients.destroy();
  const s = JSON.parse(stdout.text || '{}') as {accepted?: number; deleted?: number; leftoversDeleted?: number; failed?: number; failedAgain?: number};
  process.stdout.write(`done ${JSON.stringify({code, accepted: s.accepted, deleted: s.deleted, leftovers: s.leftoversDeleted, failed: s.failed, failedAgain: s.failedAgain})}\n`);
} else {
  const [endpoint, dlq, target, journalPath, concurrency = '4', visibility = '2', rate = 'Infinity'] = args;
  if (!endpoint || !dlq || !target || !journalPath) {
    process.stderr.write('usage: redrive-child ENDPOINT DLQ_URL TARGET_URL JOURNAL [CONCURRENCY] [VISIBILITY_S] [RATE]\n');
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
}
