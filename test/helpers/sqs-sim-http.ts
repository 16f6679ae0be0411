// Serves the simulator's SQS wire handler on 127.0.0.1 (a port chosen at run time) for tests, until
// the real combined server (source/sim/server.ts) mounts it. Requests the handler does not claim get 404.
import http from 'node:http';
import type {SimClock} from '../../source/sim/ports.ts';
import {createSqsEngine, type SimSqs} from '../../source/sim/sqs/engine.ts';
import {createSqsWireHandler} from '../../source/sim/sqs/wire.ts';
import type {RunningServer} from './servers.ts';

export interface SqsSimServer extends RunningServer {
  engine: SimSqs;
  clock: SimClock;
}

/** `clock` defaults to real time at speed 1. The engine's queue URLs use this server's endpoint. */
export async function startSqsSim(options: {clock?: SimClock; accountId?: string; region?: string} = {}): Promise<SqsSimServer> {
  const clock = options.clock ?? {now: () => Date.now(), speed: 1};
  let endpoint = '';
  const engine = createSqsEngine({clock, region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012', baseUrl: () => endpoint});
  const handler = createSqsWireHandler(engine, clock);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      Promise.resolve(handler({method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body: Buffer.concat(chunks)}))
        .then((response) => {
          if (!response) {
            res.writeHead(404, {'content-type': 'text/plain'}).end('not an SQS request');
            return;
          }
          res.writeHead(response.status, response.headers).end(response.body);
        })
        .catch((error: unknown) => {
          res.writeHead(500, {'content-type': 'text/plain'}).end(String(error));
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    engine,
    clock,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
