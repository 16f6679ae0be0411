// The simulator keeps an idle keep-alive connection open past the dashboard's refresh interval (10 s) and past the
// dashboard client's own free-socket limit (source/aws/lean-http.ts: the agent's timeout, 15 s by default), so a
// refresh reuses its sockets and the client, not the server, closes one that goes unused.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {createWorld} from '../../../source/sim/lambda/index.ts';
import {createManualClock} from '../../../source/sim/clock.ts';
import {FaultInjector} from '../../../source/sim/faults.ts';
import {KEEP_ALIVE_TIMEOUT_MS, createSimServer} from '../../../source/sim/server.ts';
import {T0} from '../../helpers/model-world.ts';

const DASHBOARD_INTERVAL_MS = 10_000;
const CLIENT_FREE_SOCKET_TIMEOUT_MS = 15_000;

test('an idle connection outlives a refresh interval and the client agent idle limit', async () => {
  const world = createWorld({scenario: 'avatar-timeouts', seed: 1, clock: createManualClock(T0), baseUrl: () => 'http://127.0.0.1', prerollMinutes: 0});
  const {server} = createSimServer({world, faults: new FaultInjector({seed: 1})});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({keepAlive: true, maxSockets: 1});
  try {
    assert.equal(server.keepAliveTimeout, KEEP_ALIVE_TIMEOUT_MS);
    assert.ok(KEEP_ALIVE_TIMEOUT_MS > DASHBOARD_INTERVAL_MS, 'outlives a refresh');
    assert.ok(KEEP_ALIVE_TIMEOUT_MS > CLIENT_FREE_SOCKET_TIMEOUT_MS + 5_000, 'the client closes first, with margin');
    const {port} = server.address() as AddressInfo;
    const get = () =>
      new Promise<{status: number; localPort: number}>((resolve, reject) => {
        const req = http.get({host: '127.0.0.1', port, path: '/_lambda-top/sim', agent}, (res) => {
          res.resume();
          res.on('end', () => resolve({status: res.statusCode ?? 0, localPort: req.socket!.localPort!}));
        });
        req.on('error', reject);
      });
    const first = await get();
    await new Promise((r) => setTimeout(r, 50));
    const second = await get();
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.localPort, first.localPort, 'the second request reused the first one\'s connection');
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
