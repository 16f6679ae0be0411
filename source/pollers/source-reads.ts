// What the dashboard's queue reads said of each SQS source queue (they read every queue in turn, RedrivePolicy and
// VisibilityTimeout included): rediscovery takes a source's URL, redrive policy and visibility timeout from a recent
// read instead of GetQueueUrl + GetQueueAttributes per source (discoverTopology's knownSource), and a read that
// differs from the topology says discovery is out of date (run it again now).
import type {KnownSourceQueue} from '../aws/discovery.ts';
import type {FunctionTopology, QueueStatus} from '../domain/types.ts';

export interface SourceReads {
  /** A read of this source queue no older than `maxAgeMs` (wall), else undefined (discovery reads it itself). */
  known(sourceArn: string): KnownSourceQueue | undefined;
  /** Notes the reads of source queues among `statuses`; true when one differs from `topology`'s mapping of it. */
  note(statuses: readonly QueueStatus[], topology: FunctionTopology | null): boolean;
}

const sameRedrive = (a: KnownSourceQueue['redrive'], b: KnownSourceQueue['redrive']): boolean =>
  a === b || (a !== null && b !== null && a.deadLetterTargetArn === b.deadLetterTargetArn && a.maxReceiveCount === b.maxReceiveCount);

export function createSourceReads(options: {maxAgeMs: number; wallNow?: () => number}): SourceReads {
  const wallNow = options.wallNow ?? Date.now;
  const reads = new Map<string, KnownSourceQueue & {wallAt: number}>();
  return {
    known(sourceArn) {
      const read = reads.get(sourceArn);
      if (!read || wallNow() - read.wallAt > options.maxAgeMs) return undefined;
      return {url: read.url, redrive: read.redrive, visibilityTimeoutSeconds: read.visibilityTimeoutSeconds};
    },
    note(statuses, topology) {
      let changed = false;
      for (const status of statuses) {
        // only a read that answered (a QueueStatusDetail: it carries the queue's own redrive policy)
        if (status.role !== 'source' || status.error || !('redrive' in status)) continue;
        const redrive = (status as QueueStatus & {redrive: KnownSourceQueue['redrive']}).redrive;
        reads.set(status.arn, {url: status.url, redrive, visibilityTimeoutSeconds: status.visibilityTimeoutSeconds, wallAt: wallNow()});
        const mapping = topology?.eventSources.find((m) => m.sourceArn === status.arn);
        if (mapping && (!sameRedrive(mapping.redrive, redrive) || mapping.visibilityTimeoutSeconds !== status.visibilityTimeoutSeconds)) changed = true;
      }
      return changed;
    },
  };
}
