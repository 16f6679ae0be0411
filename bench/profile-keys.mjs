#!/usr/bin/env node
// A diagnostic beside bench/browser-probe.mjs (not a benchmark): cuts a --cpu-prof profile of the app by key, with
// the key log bench/lib/key-latency-preload.mjs wrote in the same run, and prints per key its time to the last
// write of its frame and where the main thread's samples in that span went (self time, and the heaviest frames by
// inclusive time, node internals left out).
// Usage: node bench/profile-keys.mjs APP.cpuprofile KEYS.log [--min MS] [--top N]
import {readFileSync} from 'node:fs';
import {argument} from './lib/args.mjs';

const [profileFile, keysFile] = process.argv.slice(2).filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const min = Number(argument('min', '0'));
const top = Number(argument('top', '12'));
const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
const internal = (n) => /^node:|^$/.test(n.callFrame.url) && !/garbage collector|\(program\)/.test(n.callFrame.functionName);
const times = [];
let t = profile.startTime;
for (const delta of profile.timeDeltas) times.push((t += delta));

const keys = readFileSync(keysFile, 'utf8').trim().split('\n').map((line) => {
  const [first, last, bytes, at] = line.split(' ');
  return {first: Number(first), last: Number(last), bytes: Number(bytes), at: Number(at)};
});
let i = 0;
for (const [k, key] of keys.entries()) {
  const end = key.at + key.last * 1000;
  while (i < times.length && times[i] < key.at) i++;
  const self = new Map();
  const inclusive = new Map();
  let busy = 0;
  let previous = key.at;
  for (let j = i; j < times.length && times[j] <= end; j++) {
    const dt = (times[j] - previous) / 1000;
    previous = times[j];
    const node = byId.get(profile.samples[j]);
    if (node.callFrame.functionName === '(idle)') continue;
    busy += dt;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id);
      if (internal(n) || n.callFrame.functionName === '(root)') continue;
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
    }
  }
  if (key.first < min) continue;
  const list = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([l, ms]) => `${l} ${ms.toFixed(1)}`);
  console.log(`\nkey ${k + 1}: first write ${key.first} ms, last ${key.last} ms, ${key.bytes} B; busy ${busy.toFixed(1)} ms`);
  console.log(`  self: ${list(self).join(' | ')}`);
  console.log(`  inclusive:\n    ${list(inclusive).join('\n    ')}`);
}
