// A loopback HTTP proxy that counts AWS API calls by operation (X-Amz-Target or the Lambda REST route)
// on their way to an endpoint. Used to measure "AWS calls per refresh" without touching the code under test.
import http from 'node:http';

export function operationOf(request) {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop();
  const url = request.url ?? '';
  const cbor = /\/operation\/([A-Za-z]+)/.exec(url);
  if (cbor) return cbor[1];
  if (/\/functions\/[^/]+\/configuration/.test(url)) return 'GetFunctionConfiguration';
  if (/event-invoke-config/.test(url)) return 'GetFunctionEventInvokeConfig';
  if (/\/concurrency/.test(url)) return 'GetFunctionConcurrency';
  if (/account-settings/.test(url)) return 'GetAccountSettings';
  if (/provisioned-concurrency/.test(url)) return 'ListProvisionedConcurrencyConfigs';
  if (/event-source-mappings/.test(url)) return 'ListEventSourceMappings';
  if (/\/invocations/.test(url)) return 'Invoke';
  return `${request.method} ${url.split('?')[0]}`;
}

export async function startCountingProxy(upstream) {
  const counts = new Map();
  // bytes of the bodies: sent = requests to AWS, received = AWS's answers
  const bytes = {sent: 0, received: 0};
  const target = new URL(upstream);
  const server = http.createServer((request, response) => {
    const operation = operationOf(request);
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    request.on('data', (chunk) => (bytes.sent += chunk.length));
    const forward = http.request(
      {host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers},
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.on('data', (chunk) => (bytes.received += chunk.length));
        upstreamResponse.pipe(response);
      },
    );
    forward.on('error', () => {
      response.writeHead(502);
      response.end();
    });
    request.pipe(forward);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    bytes,
    reset() {
      counts.clear();
      bytes.sent = 0;
      bytes.received = 0;
    },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
