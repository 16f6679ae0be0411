import {test} from 'node:test';
import assert from 'node:assert/strict';
import {withSim} from '../helpers/sim-clients.ts';
import {listFunctions} from '../../source/aws/functions.ts';

test('--demo --fleet: every scenario at once among 5,000 generated functions, listed page by page over HTTP', async () => {
  await withSim('healthy', async (sim, clients) => {
    const started = Date.now();
    const pages: number[] = [];
    const functions = await listFunctions(clients, {onPage: (n) => pages.push(n)});
    assert.equal(functions.length, sim.world.listFunctions().length);
    assert.ok(functions.length >= 5007, `${functions.length}`);
    assert.equal(pages.length, Math.ceil(functions.length / 50));
    assert.equal(new Set(functions.map((f) => f.name)).size, functions.length, 'no function listed twice');
    for (const name of ['avatar-processor', 'order-processor', 'media-ingest', 'notification-sender']) assert.ok(functions.some((f) => f.name === name), name);
    assert.equal(sim.world.scenario.name, 'all-scenarios');
    assert.ok(Date.now() - started < 20_000, 'listing 5,000 functions stays quick');
  }, undefined, {fleet: true, fleetSize: 5000});
});
