// ARNs: parsing, the target a DLQ/destination ARN names, and the default SQS queue URL for a queue ARN.
import type {Target, TargetKind} from './types.ts';

export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** Everything after the fifth colon (may itself contain ':' or '/'). */
  resource: string;
}

/** arn:partition:service:region:account:resource, or null when the text is not an ARN. */
export function parseArn(arn: string | null | undefined): Arn | null {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return null;
  const parts = arn.split(':');
  if (parts.length < 6) return null;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  if (!partition || !service || !resource) return null;
  return {partition, service, region, accountId, resource};
}

/** Function name and qualifier (version or alias) from a Lambda function ARN. */
export function parseFunctionArn(arn: string | null | undefined): {name: string; qualifier: string | null} | null {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'lambda') return null;
  const [kind, name, qualifier] = parsed.resource.split(':');
  if (kind !== 'function' || !name) return null;
  return {name, qualifier: qualifier ? qualifier : null};
}

/** The kind and name of a DLQ / destination target. Unparseable or unfamiliar ARNs give kind 'unknown'. */
export function targetFromArn(arn: string): Target {
  const parsed = parseArn(arn);
  if (!parsed) return {arn, kind: 'unknown', name: arn};
  const {service, resource} = parsed;
  let kind: TargetKind = 'unknown';
  let name = resource;
  switch (service) {
    case 'sqs':
      kind = 'sqs';
      break;
    case 'sns':
      kind = 'sns';
      name = resource.split(':')[0]!; // a subscription ARN has topic:uuid
      break;
    case 'lambda': {
      const fn = parseFunctionArn(arn);
      if (fn) {
        kind = 'lambda';
        name = fn.name;
      }
      break;
    }
    case 'events':
      if (resource.startsWith('event-bus/')) {
        kind = 'eventbridge';
        name = resource.slice('event-bus/'.length);
      }
      break;
    case 's3':
      kind = 's3';
      name = resource.split('/')[0]!;
      break;
    default:
      break;
  }
  return {arn, kind, name};
}

/** Qualifier (version or alias) of a Lambda function ARN, null when unqualified or not a function ARN. */
export function functionQualifierFromArn(arn: string | null | undefined): string | null {
  return parseFunctionArn(arn)?.qualifier ?? null;
}

export function queueNameFromArn(arn: string | null | undefined): string | null {
  const parsed = parseArn(arn);
  return parsed && parsed.service === 'sqs' ? parsed.resource : null;
}

export function functionNameFromArn(arn: string | null | undefined): string | null {
  return parseFunctionArn(arn)?.name ?? null;
}

/** True for an SQS queue or SNS topic whose name ends in .fifo (not valid as a Lambda DLQ or destination). */
export function isFifoTargetArn(arn: string | null | undefined): boolean {
  if (typeof arn !== 'string') return false;
  const target = targetFromArn(arn);
  return (target.kind === 'sqs' || target.kind === 'sns') && target.name.endsWith('.fifo');
}

/**
 * The AWS default URL of a queue: https://sqs.<region>.amazonaws.com/<account>/<name> (amazonaws.com.cn in
 * China). Against custom endpoints (emulators, VPC endpoints) adapters should ask GetQueueUrl instead.
 */
export function queueUrlFromArn(arn: string | null | undefined): string | null {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sqs' || !parsed.region || !parsed.accountId) return null;
  const domain = parsed.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${parsed.region}.${domain}/${parsed.accountId}/${parsed.resource}`;
}

/** Queue name from a queue URL (its last path segment), or null. */
export function queueNameFromUrl(url: string | null | undefined): string | null {
  if (typeof url !== 'string') return null;
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name && !name.includes(':') ? name : null;
}
