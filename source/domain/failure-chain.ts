// Failure chains: where an event goes when a function's OnFailure (or OnSuccess) destination is another Lambda
// function. Lambda invokes that function asynchronously (reference section 2), so the fallback's own retries and
// failure targets apply; a fallback without a failure target of its own discards what fails there one hop later.
// Pure: the hops' topologies are looked up by a caller that did the discovery (source/cli/doctor-check.ts).
import type {Finding, FunctionTopology, Target} from './types.ts';

/** How far a chain is followed (hops after the first function); past it the chain says so. */
export const MAX_CHAIN_DEPTH = 4;

export type ChainVia = 'onFailure' | 'onSuccess';

/** How a chain ends. */
export type ChainEnd =
  /** The last function has no DLQ and no OnFailure destination: what fails there is discarded. */
  | {kind: 'discarded'}
  /** The last function keeps its failures in a non-Lambda target (its DLQ and/or an OnFailure queue, topic...). */
  | {kind: 'kept'; targets: Target[]}
  /** The chain comes back to a function already in it. */
  | {kind: 'cycle'; to: string}
  /** A hop's configuration could not be read. */
  | {kind: 'unknown'; reason: string}
  /** Longer than MAX_CHAIN_DEPTH. */
  | {kind: 'too-deep'};

export interface FailureChain {
  /** The destination that starts the chain, on the first function. */
  via: ChainVia;
  /** Function names, the checked function first. */
  path: string[];
  end: ChainEnd;
}

/** What discovery learned about a hop: its topology, or why it could not be read. */
export type HopLookup = (name: string) => FunctionTopology | {error: string} | undefined;

const isTopology = (x: FunctionTopology | {error: string}): x is FunctionTopology => !('error' in x);

/** The Lambda functions a topology's destinations start chains to (OnFailure first). */
export function chainStarts(t: FunctionTopology): Array<{via: ChainVia; target: Target}> {
  const out: Array<{via: ChainVia; target: Target}> = [];
  if (t.onFailure?.kind === 'lambda') out.push({via: 'onFailure', target: t.onFailure});
  if (t.onSuccess?.kind === 'lambda') out.push({via: 'onSuccess', target: t.onSuccess});
  return out;
}

/** The next function a hop hands its failures to, or null. */
export function nextHop(t: FunctionTopology): Target | null {
  return t.onFailure?.kind === 'lambda' ? t.onFailure : null;
}

/** The hops whose topology a chain from `root` needs next, given what is known already (for the discoverer). */
export function missingHops(root: FunctionTopology, lookup: HopLookup, maxDepth = MAX_CHAIN_DEPTH): string[] {
  const missing = new Set<string>();
  for (const start of chainStarts(root)) {
    const seen = new Set([root.name]);
    let target: Target | null = start.target;
    for (let depth = 0; target && depth < maxDepth && !seen.has(target.name); depth++) {
      seen.add(target.name);
      const hop = lookup(target.name);
      if (hop === undefined) {
        missing.add(target.name);
        break;
      }
      target = isTopology(hop) ? nextHop(hop) : null;
    }
  }
  return [...missing];
}

function unknownFailureTarget(t: FunctionTopology): string | null {
  for (const field of ['onFailure', 'deadLetterTarget']) {
    const reason = t.unknown?.[field];
    if (reason !== undefined) return reason;
  }
  return null;
}

/** Every chain that starts at `root`, followed through the looked-up hops. */
export function buildChains(root: FunctionTopology, lookup: HopLookup, maxDepth = MAX_CHAIN_DEPTH): FailureChain[] {
  return chainStarts(root).map(({via, target}) => {
    const path = [root.name];
    let next: Target | null = target;
    for (let depth = 0; ; depth++) {
      const name: string = next.name;
      if (path.includes(name)) return {via, path, end: {kind: 'cycle', to: name}};
      if (depth >= maxDepth) return {via, path, end: {kind: 'too-deep'}};
      path.push(name);
      const hop = lookup(name);
      if (hop === undefined) return {via, path, end: {kind: 'unknown', reason: 'not discovered'}};
      if (!isTopology(hop)) return {via, path, end: {kind: 'unknown', reason: hop.error}};
      const following = nextHop(hop);
      if (following) {
        next = following;
        continue;
      }
      const unknown = unknownFailureTarget(hop);
      if (unknown !== null) return {via, path, end: {kind: 'unknown', reason: unknown}};
      const targets = [hop.deadLetterTarget, hop.onFailure].filter((x): x is Target => x !== null);
      return {via, path, end: targets.length > 0 ? {kind: 'kept', targets} : {kind: 'discarded'}};
    }
  });
}

function targetName(t: Target): string {
  return t.kind === 'unknown' ? t.arn : `${t.kind}:${t.name}`;
}

/** One line: "a → b → (discarded)", "a → b → sqs:b-dlq", "a → b → (cycle: a)". */
export function chainText(chain: FailureChain): string {
  const end = chain.end;
  const tail =
    end.kind === 'discarded' ? '(discarded)'
      : end.kind === 'kept' ? end.targets.map(targetName).join(' + ')
        : end.kind === 'cycle' ? `(back to ${end.to})`
          : end.kind === 'too-deep' ? '(not followed further)'
            : '(not known)';
  return [...chain.path, tail].join(' → ');
}

const VIA_WORDS: Record<ChainVia, string> = {onFailure: 'OnFailure destination', onSuccess: 'OnSuccess destination'};

/** The findings about a function's chains: a fallback without a failure target, and chains that loop. */
export function chainFindings(root: FunctionTopology, chains: FailureChain[]): Finding[] {
  const out: Finding[] = [];
  const discarded = chains.filter((c) => c.end.kind === 'discarded');
  if (discarded.length > 0) {
    const parts = discarded.map((c) => {
      const last = c.path[c.path.length - 1]!;
      const handedBy = c.path[c.path.length - 2]!;
      const what = c.via === 'onFailure' && c.path.length === 2 ? 'each failed event' : c.via === 'onSuccess' && c.path.length === 2 ? 'each success record' : 'each record';
      return `${chainText(c)}: ${handedBy} hands ${what} to ${last} (its ${c.path.length === 2 ? VIA_WORDS[c.via] : 'OnFailure destination'}) as an asynchronous invocation, and ${last} has neither a DLQ nor an OnFailure destination, so an event that fails there too, after its own retries, is discarded without a trace`;
    });
    // True to the root's other target: with a DLQ (or a non-Lambda OnFailure) as well, the original event is kept
    // there even when the fallback loses its copy.
    const keptToo = root.deadLetterTarget
      ? ` ${root.name} also sends each failure to its DLQ (${targetName(root.deadLetterTarget)}), so the original event is kept there; what is lost is the fallback's work and its error.`
      : discarded.some((c) => c.via === 'onFailure')
        ? ` ${root.name} has no other failure target, so such an event is lost for good.`
        : '';
    out.push({
      id: 'fallback-without-failure-target',
      severity: 'warning',
      title: discarded.length === 1 ? `Fallback ${discarded[0]!.path[discarded[0]!.path.length - 1]} has no failure target` : `${discarded.length} fallback functions have no failure target`,
      detail: `${parts.join('; ')}.${keptToo} Give the fallback an OnFailure destination (an SQS queue) or a DLQ.`,
    });
  }
  const cycles = chains.filter((c) => c.end.kind === 'cycle');
  if (cycles.length > 0) {
    out.push({
      id: 'failure-chain-cycle',
      severity: 'warning',
      title: 'A failure chain loops back',
      detail: `${cycles.map(chainText).join('; ')}: each failure is handed on as a new asynchronous invocation, so an event that keeps failing goes round the loop, retried at every hop, instead of landing in a queue. End the chain in an SQS queue.`,
    });
  }
  return out;
}
