// A thin HTTP pass-through in front of moto that adds what moto does not store: a function's DeadLetterConfig.
// moto (5.x) accepts DeadLetterConfig in CreateFunction / UpdateFunctionConfiguration but never returns it, so the
// dropped / kept / lost diagnosis could not be tested against it. The proxy remembers the TargetArn per function
// name and puts it back into GetFunctionConfiguration / GetFunction answers; every other byte goes through as is.
import {createServer, request, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {RunningServer} from './servers.ts';

const CREATE = /^\/2015-03-31\/functions\/?$/;
const CONFIGURATION = /^\/2015-03-31\/functions\/([^/?]+)\/configuration\/?$/;
const GET_FUNCTION = /^\/2015-03-31\/functions\/([^/?]+)\/?$/;

/** The function name of an ARN or a plain name (moto routes either). */
const functionName = (nameOrArn: string): string => {
  const decoded = decodeURIComponent(nameOrArn);
  const m = /^arn:aws[\w-]*:lambda:[^:]+:\d+:function:([^:]+)/.exec(decoded);
  return m ? m[1]! : decoded.split(':')[0]!;
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startMotoDlqProxy(motoEndpoint: string): Promise<RunningServer & {deadLetterTargets: Map<string, string>}> {
  const target = new URL(motoEndpoint);
  const deadLetterTargets = new Map<string, string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    // remember DeadLetterConfig from the writes
    const write = (req.method === 'POST' && CREATE.test(path)) || (req.method === 'PUT' && CONFIGURATION.test(path));
    if (write && body.length > 0) {
      try {
        const json = JSON.parse(body.toString('utf8')) as {FunctionName?: string; DeadLetterConfig?: {TargetArn?: string}};
        const name = req.method === 'POST' ? json.FunctionName : CONFIGURATION.exec(path)![1];
        if (name && json.DeadLetterConfig) {
          const arn = json.DeadLetterConfig.TargetArn;
          if (arn) deadLetterTargets.set(functionName(name), arn);
          else deadLetterTargets.delete(functionName(name));
        }
      } catch {
        // not JSON: moto answers it
      }
    }
    const headers = {...req.headers, host: target.host, 'accept-encoding': 'identity'};
    const upstream = request({host: target.hostname, port: target.port, method: req.method, path: req.url, headers}, async (answer) => {
      let out = await readBody(answer);
      const read = req.method === 'GET' ? (CONFIGURATION.exec(path) ?? GET_FUNCTION.exec(path)) : null;
      const arn = read ? deadLetterTargets.get(functionName(read[1]!)) : undefined;
      const responseHeaders = {...answer.headers};
      if (arn && answer.statusCode === 200) {
        const json = JSON.parse(out.toString('utf8')) as Record<string, unknown> & {Configuration?: Record<string, unknown>};
        const configuration = CONFIGURATION.test(path) ? json : json.Configuration;
        if (configuration) configuration.DeadLetterConfig = {TargetArn: arn};
        out = Buffer.from(JSON.stringify(json));
        responseHeaders['content-length'] = String(out.length);
        delete responseHeaders['transfer-encoding'];
      }
      res.writeHead(answer.statusCode ?? 502, responseHeaders);
      res.end(out);
    });
    upstream.on('error', (error) => {
      res.writeHead(502, {'content-type': 'text/plain'});
      res.end(`moto proxy: ${error.message}`);
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, {'content-type': 'text/plain'});
      res.end(`moto proxy: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    deadLetterTargets,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
