// startMoto chooses a free port, closes it and lets moto bind it: another process can take the port in between (a
// parallel test file's moto). Then the new moto exits on "Address already in use" while the HTTP readiness check is
// answered by the other server. startMoto must notice that the port's listener is not its child and try another port.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {freePort, startMoto} from '../helpers/servers.ts';

test('startMoto does not adopt a port another process answers on', {skip: process.platform !== 'linux'}, async () => {
  let impostorHits = 0;
  const impostor = http.createServer((request, response) => {
    impostorHits++;
    response.end('{}');
  });
  await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
  const taken = (impostor.address() as AddressInfo).port;
  const offered: number[] = [];
  const moto = await startMoto(async () => {
    const port = offered.length === 0 ? taken : await freePort();
    offered.push(port);
    return port;
  });
  try {
    assert.ok(impostorHits > 0, 'the readiness check reached the impostor first');
    assert.equal(offered.length, 2);
    assert.notEqual(moto.port, taken);
    assert.equal(moto.endpoint, `http://127.0.0.1:${offered[1]}`);
    const answer = await fetch(`${moto.endpoint}/moto-api/data.json`);
    assert.equal(answer.status, 200);
    assert.ok(typeof (await answer.json()) === 'object');
  } finally {
    await moto.stop();
    await new Promise<void>((resolve) => impostor.close(() => resolve()));
  }
});
