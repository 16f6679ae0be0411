// One function's doctor check: discovery plus one metrics snapshot (collectSnapshotOnce), every diagnosis rule,
// then the failure chains: when OnFailure/OnSuccess is a Lambda function, that function is discovered too, and so
// on up to MAX_CHAIN_DEPTH hops (cycles stop the walk). Topologies are shared between the checks of one run, so a
// fallback used by many functions (or checked itself by --all) is read once.
import type {AwsClients} from '../aws/clients.ts';
import {discoverTopology} from '../aws/discovery.ts';
import {collectSnapshotOnce} from '../pollers/dashboard-source.ts';
import {buildChains, chainFindings, missingHops, MAX_CHAIN_DEPTH} from '../domain/failure-chain.ts';
import type {FunctionCheck} from '../domain/doctor-report.ts';
import type {Finding, FunctionTopology, MetricsSnapshot, Severity} from '../domain/types.ts';
import {userFacingMessage} from './errors.ts';

export type Hop = FunctionTopology | {error: string};

export interface CheckContext {
  clients: AwsClients;
  windowMs: number;
  now: () => number;
  /** Topologies read so far in this run, by function name. */
  topologies: Map<string, Promise<Hop>>;
}

const RANK: Record<Severity, number> = {critical: 0, warning: 1, info: 2};

/** The metrics could be read (not absent, not every series denied). */
export function metricsKnown(metrics: MetricsSnapshot | null): boolean {
  if (!metrics) return false;
  const series = Object.values(metrics.series);
  return series.length === 0 || series.some((s) => s.status !== 'Forbidden' && s.status !== 'InternalError');
}

function discoverHop(ctx: CheckContext, name: string, arn: string): Promise<Hop> {
  let hop = ctx.topologies.get(name);
  if (!hop) {
    hop = discoverTopology(ctx.clients, {functionName: arn, now: ctx.now}).catch((error: unknown): Hop => ({error: userFacingMessage(error).message}));
    ctx.topologies.set(name, hop);
  }
  return hop;
}

/** Follows every chain from `root`, discovering the hops it needs (one level at a time). */
export async function followChains(ctx: CheckContext, root: FunctionTopology): Promise<Map<string, Hop>> {
  const known = new Map<string, Hop>([[root.name, root]]);
  if (!ctx.topologies.has(root.name)) ctx.topologies.set(root.name, Promise.resolve(root));
  const arns = new Map<string, string>();
  const remember = (t: FunctionTopology) => {
    for (const target of [t.onFailure, t.onSuccess]) if (target?.kind === 'lambda') arns.set(target.name, target.arn);
  };
  remember(root);
  for (let round = 0; round <= MAX_CHAIN_DEPTH; round++) {
    const missing = missingHops(root, (name) => known.get(name));
    if (missing.length === 0) break;
    const hops = await Promise.all(missing.map((name) => discoverHop(ctx, name, arns.get(name) ?? name)));
    missing.forEach((name, i) => {
      const hop = hops[i]!;
      known.set(name, hop);
      if (!('error' in hop)) remember(hop);
    });
  }
  return known;
}

/** Checks one function. Throws what a user must fix (unknown function, no credentials, access denied to it). */
export async function checkFunction(ctx: CheckContext, name: string, qualifier?: string): Promise<FunctionCheck> {
  const snapshot = await collectSnapshotOnce(ctx.clients, {functionName: name, ...(qualifier ? {qualifier} : {}), windowMs: ctx.windowMs, now: ctx.now});
  if (!snapshot.topology) {
    return {name, status: 'could-not-check', metricsKnown: metricsKnown(snapshot.metrics), findings: snapshot.findings, chains: [], errors: snapshot.errors};
  }
  const root = snapshot.topology;
  const known = await followChains(ctx, root);
  const chains = buildChains(root, (n) => known.get(n));
  const fromChains = chainFindings(root, chains);
  // "All clear" is the diagnosis' word on the function alone: a problem one hop later takes it back.
  const own = fromChains.length > 0 ? snapshot.findings.filter((f) => f.id !== 'all-clear') : snapshot.findings;
  const findings: Finding[] = [...own, ...fromChains];
  // Stable: the diagnosis' own order within a severity, the chain findings after its findings of that severity.
  const ordered = findings.map((f, i) => ({f, i})).sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i).map(({f}) => f);
  return {name: root.name, status: 'checked', metricsKnown: metricsKnown(snapshot.metrics), findings: ordered, chains, errors: snapshot.errors};
}

/** A check that failed before anything was read (--all: the run goes on, the row says why). */
export function failedCheck(name: string, error: unknown): FunctionCheck {
  return {name, status: 'could-not-check', metricsKnown: false, findings: [], chains: [], errors: [{source: 'discovery', message: userFacingMessage(error).message}]};
}
