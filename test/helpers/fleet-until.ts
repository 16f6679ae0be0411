// Waits for a fleet source's snapshot to satisfy `ok` (polling every 50 ms), for the fleet source tests.
import type {createFleetSource, FleetSnapshot} from '../../source/pollers/fleet-source.ts';

export async function untilFleet(source: ReturnType<typeof createFleetSource>, ok: (s: FleetSnapshot) => boolean, timeoutMs = 30_000): Promise<FleetSnapshot> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = source.getSnapshot();
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  const last = source.getSnapshot();
  throw new Error(`timed out; last: ${JSON.stringify({mode: last.mode, listing: last.listing.error, metrics: last.metrics})}`);
}
