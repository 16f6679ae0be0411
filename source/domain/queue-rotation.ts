// Which of a dashboard's queues a refresh reads (GetQueueAttributes and their AWS/SQS metrics): the ones on
// screen every refresh, the rest a few at a time in turn, so the calls per refresh do not grow with the queues
// beyond what is on screen (a function with 200 SQS event sources reads 20 + 10 queues a refresh, and every queue
// at least once every ceil(180 / 10) = 18 refreshes; what was read earlier is shown with its age). Pure.

/** Queue rows the panel shows on a tall terminal: read every refresh until the UI says how many fit. */
export const QUEUES_ON_SCREEN_DEFAULT = 20;
/** Queues off screen read per refresh, in turn. */
export const QUEUES_ROTATED_PER_REFRESH = 10;

export interface QueuePick {
  /** Indexes (in the topology's queue order) to read this refresh, ascending. */
  indexes: number[];
  /** Where the next refresh's turn starts among the queues off screen. */
  cursor: number;
}

/** The queues to read this refresh among `count` (the first `onScreen` are the ones on screen). */
export function pickQueues(count: number, options: {onScreen: number; rotate: number; cursor: number}): QueuePick {
  const onScreen = Math.max(0, Math.min(count, Math.floor(options.onScreen)));
  const rest = count - onScreen;
  const indexes = Array.from({length: onScreen}, (_, i) => i);
  if (rest <= 0) return {indexes, cursor: 0};
  const take = Math.min(rest, Math.max(0, Math.floor(options.rotate)));
  const start = ((options.cursor % rest) + rest) % rest;
  const turn: number[] = [];
  for (let k = 0; k < take; k++) turn.push(onScreen + ((start + k) % rest));
  return {indexes: [...indexes, ...turn.sort((a, b) => a - b)], cursor: (start + take) % rest};
}
