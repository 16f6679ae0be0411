// Starts real, independent AWS emulators for tests, on 127.0.0.1 with a port chosen here.
// Every server started is stopped by `stop()`; tests call it in `after`/`finally` so a failing
// test never leaves a process behind. moto runs as a child process; fauxqs in-process.
import {spawn, type ChildProcess} from 'node:child_process';
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
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

/**
 * Whether the process `pid` holds the socket listening on 127.0.0.1:`port`, read from Linux's /proc (undefined where
 * there is no /proc). freePort() closes the port it found before moto binds it, so two test files started together
 * can be handed the same port: the second moto then exits on "Address already in use", but its test would already
 * have reached the first file's moto and shared (and reset) its state. Checking the listener's owner closes that race.
 */
function listenerOwnedBy(port: number, pid: number): boolean | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return undefined;
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[3] === '0A') inodes.add(`socket:[${fields[9]}]`);
  }
  if (inodes.size === 0) return false;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
      } catch {
        // an fd closed while we read the directory
      }
    }
  } catch {
    return false;
  }
  return false;
}

/** Starts `python3 -m moto.server` on a free loopback port with Lambda's Docker use switched off. */
export async function startMoto(choosePort: () => Promise<number> = freePort): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await choosePort();
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
    let failure: string | undefined;
    try {
      await waitForHttp(`${endpoint}/moto-api/`, child, 30_000);
      if (listenerOwnedBy(port, child.pid ?? -1) === false) failure = `port ${port} is answered by another process`;
    } catch (error) {
      failure = (error as Error).message;
    }
    if (failure !== undefined) {
      child.kill('SIGKILL');
      running.delete(child);
      if (attempt < 5 && /in use|another process/i.test(`${failure}\n${stderr}`)) continue;
      throw new Error(`moto did not start: ${failure}\n${stderr}`);
    }
    return configureMoto(endpoint, port, child);
  }
}

async function configureMoto(endpoint: string, port: number, child: ChildProcess): Promise<RunningServer> {
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
