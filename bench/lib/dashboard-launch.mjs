// What the dashboard benches share (bench/dashboard.mjs, bench/lazy-compile.mjs): the `--endpoint-url` target's
// simulator, and when a lambda-top screen shows its skeleton and its data.
import {spawn} from 'node:child_process';

/** A `lambda-top simulate --speed 1` process on a free port (`node` runs `cli`): the `--endpoint-url` target, as
 * AWS would be. */
export async function startSimulator(node, cli) {
  const sim = spawn(node, [cli, 'simulate', '--port', '0', '--scenario', 'throttled-orders', '--speed', '1'], {stdio: ['ignore', 'pipe', 'inherit']});
  let out = '';
  sim.stdout.on('data', (chunk) => (out += chunk));
  for (let i = 0; i < 400 && !/endpoint: \S+/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
  const endpoint = /endpoint: (\S+)/.exec(out)?.[1];
  if (!endpoint) throw new Error(`the simulator did not start:\n${out}`);
  const functionName = /functions: ([^,\n]+)/.exec(out)?.[1]?.trim() ?? 'order-processor';
  return {sim, endpoint, functionName};
}

/** The skeleton: the header's "λ". */
export const skeletonReady = (screen) => /λ /.test(screen);
/** Every panel drawn with data: no "loading…", "connecting…" or "discovering" left anywhere on the screen. */
export const dataReady = (screen) => /Pipeline/.test(screen) && /Diagnosis/.test(screen) && /Queues/.test(screen) && !/loading|connecting|discovering/i.test(screen);
