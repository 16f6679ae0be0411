// Logs feeding the diagnosis, against the simulator over HTTP: on avatar-timeouts (a function that times out on
// heavy inputs), the dashboard source's log sample finds that its errors are mostly timeouts, says from how many
// lines, and that finding replaces the duration-based guess; without the sample (the default, and --once) there
// are no log findings.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createDashboardSource, type DashboardSource} from '../../source/pollers/dashboard-source.ts';
import {fetchLogSample} from '../../source/pollers/log-sample.ts';
import {withSim} from '../helpers/sim-clients.ts';

async function settled(source: DashboardSource, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out; findings: ${source.getSnapshot().snapshot.findings.map((f) => f.id).join(', ')}; errors: ${JSON.stringify(source.getSnapshot().snapshot.errors)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('avatar-timeouts: the log sample says errors are mostly timeouts, from a sample of N lines', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const now = () => sim.world.clock.now();
    const sample = await fetchLogSample(clients, {logGroup: '/aws/lambda/avatar-processor', now});
    assert.ok(sample.lines > 0 && sample.stats.invocations > 0, 'lines were read');
    assert.ok(sample.stats.failures >= 3, `failures in the sample: ${sample.stats.failures}`);
    assert.ok(sample.stats.timeoutShareOfFailures! >= 0.5, `timeouts among failures: ${sample.stats.timeoutShareOfFailures}`);

    const source = createDashboardSource(clients, {functionName: 'avatar-processor', intervalMs: 60_000, windowMs: 3_600_000, now, logSample: true});
    try {
      await settled(source, () => source.getSnapshot().snapshot.findings.some((f) => f.id === 'logs-errors-mostly-timeouts'));
      const findings = source.getSnapshot().snapshot.findings;
      const finding = findings.find((f) => f.id === 'logs-errors-mostly-timeouts')!;
      assert.match(finding.title, /errors are mostly timeouts \(\d+% of \d+ failed invocations\)/);
      assert.match(finding.detail, /raise Timeout or fix the downstream/);
      assert.match(finding.detail, /from a sample of \d+ log lines \(\d+ invocations, the last 5 min/);
      assert.ok(!findings.some((f) => f.id === 'timeouts-dominate'), 'one finding about timeouts: the counted one');
    } finally {
      source.stop();
    }

    const without = createDashboardSource(clients, {functionName: 'avatar-processor', intervalMs: 60_000, windowMs: 3_600_000, now});
    try {
      await settled(without, () => without.getSnapshot().metrics.data !== null && without.getSnapshot().queues.data !== null);
      assert.ok(!without.getSnapshot().snapshot.findings.some((f) => f.id.startsWith('logs-')), 'no sample, no log findings');
    } finally {
      without.stop();
    }
  });
});
