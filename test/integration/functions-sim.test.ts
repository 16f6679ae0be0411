import {test} from 'node:test';
import assert from 'node:assert/strict';
import {withSim} from '../helpers/sim-clients.ts';
import {listFunctions} from '../../source/aws/functions.ts';

test('listFunctions reads every function of the region, page by page, as plain summaries', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const expected = sim.world.listFunctions().map((f) => f.FunctionName!).sort();
    const pages: number[] = [];
    const functions = await listFunctions(clients, {onPage: (n) => pages.push(n)});
    assert.deepEqual(functions.map((f) => f.name).sort(), expected);
    assert.ok(pages.length >= 1);
    const first = functions.find((f) => f.name === expected[0])!;
    assert.match(first.arn ?? '', /^arn:aws:lambda:/);
    assert.equal(typeof first.timeoutSeconds, 'number');
    const one = await listFunctions(clients, {max: 1});
    assert.equal(one.length, 1);
  });
});
