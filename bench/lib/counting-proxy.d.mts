import type {IncomingMessage} from 'node:http';
export function operationOf(request: IncomingMessage): string;
export interface CountingProxy {
  endpoint: string;
  counts: Map<string, number>;
  bytes: {sent: number; received: number};
  reset(): void;
  stop(): Promise<void>;
}
export function startCountingProxy(upstream: string): Promise<CountingProxy>;
