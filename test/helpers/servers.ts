// Starts real, independent AWS emulators for tests, on 127.0.0.1 with a port chosen here.
// Every server started is stopped by `stop()`; tests call it in `after`/`finally` so a failing
// test never leaves a process behind. moto runs as a child process; fauxqs in-process.
import {spawn, type ChildProcess} from 'node:child_process';
import net from 'node:net';

export interface RunningServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Credentials and region every emulator accepts. */
export const testAwsConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
  maxAttempts: 1,
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server at ${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `python3 -m moto.server` on a free loopback port with Lambda's Docker use switched off. */
export async function startMoto(): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1'},
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${endpoint}/moto-api/`, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    running.delete(child);
    throw new Error(`moto did not start: ${(error as Error).message}\n${stderr}`);
  }
  const config = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    body: JSON.stringify({lambda: {use_docker: false}}),
    headers: {'content-type': 'application/json'},
  });
  await config.arrayBuffer();
  return {
    endpoint,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      running.delete(child);
    },
  };
}

/** Resets all of moto's state (between tests that share one server). */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, {method: 'POST'});
  await response.arrayBuffer();
}

/** Starts fauxqs (an independent SQS emulator) in-process on a free loopback port. */
export async function startFauxqs(): Promise<RunningServer> {
  const {startFauxqs: start} = await import('fauxqs');
  const server = await start({port: 0, host: '127.0.0.1', logger: false} as Parameters<typeof start>[0]);
  return {
    endpoint: server.address,
    port: server.port,
    async stop() {
      await server.stop();
    },
  };
}

/** A minimal zip holding index.js, for moto's CreateFunction (it stores, never runs, the code). */
export function tinyLambdaZip(): Uint8Array {
  // Stored (uncompressed) zip with one file: index.js = "exports.handler=async()=>({})"
  const name = Buffer.from('index.js');
  const data = Buffer.from('exports.handler=async()=>({})');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const localSize = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Creates an IAM role in moto (CreateFunction requires one) and returns its ARN. */
export async function createMotoRole(endpoint: string, roleName = 'lambda-top-test-role'): Promise<string> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({Action: 'CreateRole', Version: '2010-05-08', RoleName: roleName, AssumeRolePolicyDocument: '{}'}).toString(),
  });
  const text = await response.text();
  const arn = /<Arn>(.*?)<\/Arn>/.exec(text)?.[1];
  if (!arn) throw new Error(`moto CreateRole failed: ${text.slice(0, 500)}`);
  return arn;
}
