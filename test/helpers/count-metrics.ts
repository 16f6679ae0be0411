// Counts GetMetricData calls and their queries as they leave the SDK or the lean reads (the fleet's cost tests and bench).
import type {AwsClients} from '../../source/aws/clients.ts';
import {countLeanReads} from './count-reads.ts';

/** Counts GetMetricData calls and the queries they carry, as they leave the SDK. */
export function countGetMetricData(clients: AwsClients): {calls: number; queries: number} {
  const counter = {calls: 0, queries: 0};
  clients.cloudwatch.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as {MetricDataQueries?: unknown[]};
      if (input.MetricDataQueries) {
        counter.calls++;
        counter.queries += input.MetricDataQueries.length;
      }
      return next(args);
    },
    {step: 'initialize', name: 'countGetMetricData'},
  );
  countLeanReads(clients, (name, input) => {
    if (name !== 'GetMetricDataCommand') return;
    counter.calls++;
    counter.queries += (input?.['MetricDataQueries'] as unknown[] | undefined)?.length ?? 0;
  });
  return counter;
}

