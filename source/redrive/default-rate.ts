// The pace of a redrive when --rate is not given: what the target can absorb. Pure.
//
// - A standard SQS queue has nearly unlimited throughput (AWS: "nearly unlimited number of API calls per
//   second"), so an SQS-to-SQS move runs as fast as SendMessageBatch answers, with its batches in flight
//   (4 x 10 by default), backing off (AIMD) if SQS throttles. The old fixed 50/s took 33 minutes for 100,000.
// - A FIFO queue allows 300 API calls/s per action, 3,000 messages/s batched (without high-throughput
//   mode): 1,000/s leaves two thirds of that to its producers.
// - A Lambda function: half its reserved concurrency per second, at most 50/s (a function taking ~1 s per
//   event keeps half its concurrency for live traffic); 10/s when unreserved or unknown, since the
//   account's unreserved concurrency is shared with every other function.
export interface ChosenRate {
  rate: number;
  why: string;
}

export function queueMoveRate(targetQueueUrl: string): ChosenRate {
  if (targetQueueUrl.endsWith('.fifo')) {
    return {rate: 1000, why: 'a FIFO target takes up to 3,000 messages/s in batches; 1,000/s leaves the rest to its producers'};
  }
  return {rate: Infinity, why: 'a standard SQS queue absorbs sends as fast as SendMessageBatch answers; backing off if SQS throttles'};
}

export function lambdaRate(reservedConcurrency: number | null): ChosenRate {
  if (reservedConcurrency && reservedConcurrency > 0) {
    const rate = Math.max(1, Math.min(50, Math.floor(reservedConcurrency / 2)));
    return {rate, why: `half the function's reserved concurrency of ${reservedConcurrency}${rate === 50 ? ', at most 50/s' : ''}, leaving the rest to live traffic`};
  }
  return {rate: 10, why: 'the function has no reserved concurrency: its unreserved concurrency is shared with the account, so a cautious 10/s'};
}

export function rateText(rate: number): string {
  return Number.isFinite(rate) ? `${rate}/s` : 'full speed';
}
