// Which of a dashboard's queues a refresh reads (GetQueueAttributes and their AWS/SQS metrics): the ones on
// screen every refresh, the rest a few at a time in turn, so the calls per refresh do not grow with the queues
// beyond what is on screen (a function with 200 SQS event sources and 20 queue rows on screen reads 20 + 10 queues
// a refresh, and every queue at least once every ceil(181 / 10) = 19 refreshes; what was read earlier is shown with
// its age). The queues panel says which rows it shows (a window: the first row and how many), and when that window
// moves (scroll, resize) the rows that came into view are read at once (`newlyVisible`). Pure.

/** Queue rows on screen until the UI says which ones it shows. */
export const QUEUES_ON_SCREEN_DEFAULT = 20;
/** Queues off screen read per refresh, in turn. */
export const QUEUES_ROTATED_PER_REFRESH = 10;

/** The queue rows on screen: `count` rows from index `first` (in the topology's queue order). */
export interface QueueWindow {
  first: number;
  count: number;
}

export interface QueuePick {
  /** Indexes (in the topology's queue order) to read this refresh, ascending. */
  indexes: number[];
  /** Where the next refresh's turn starts among the queues off screen. */
  cursor: number;
}

/** The window clamped to `count` queues: whole rows, inside [0, count). */
export function clampWindow(count: number, window: QueueWindow): QueueWindow {
  const rows = Math.max(0, Math.min(count, Math.floor(Number.isFinite(window.count) ? window.count : 0)));
  const first = Math.max(0, Math.min(count - rows, Math.floor(Number.isFinite(window.first) ? window.first : 0)));
  return {first, count: rows};
}

/**
 * The queues to read this refresh among `count`: the ones in the window (`first`, default 0, and `onScreen` rows)
 * and `rotate` of the others in turn, starting at `cursor` among those off screen (in order, wrapping around).
 */
export function pickQueues(count: number, options: {onScreen: number; first?: number; rotate: number; cursor: number}): QueuePick {
  const window = clampWindow(count, {first: options.first ?? 0, count: options.onScreen});
  const indexes = Array.from({length: window.count}, (_, i) => window.first + i);
  const rest = count - window.count;
  if (rest <= 0) return {indexes, cursor: 0};
  const take = Math.min(rest, Math.max(0, Math.floor(options.rotate)));
  const start = ((options.cursor % rest) + rest) % rest;
  // the k-th queue off screen: those before the window, then those after it
  const offScreen = (k: number): number => (k < window.first ? k : k + window.count);
  const turn: number[] = [];
  for (let k = 0; k < take; k++) turn.push(offScreen((start + k) % rest));
  return {indexes: [...indexes, ...turn].sort((a, b) => a - b), cursor: (start + take) % rest};
}

/** The rows of `next` that were not in `previous` (ascending): the ones a scroll or a resize brought into view. */
export function newlyVisible(previous: QueueWindow | null, next: QueueWindow): number[] {
  const out: number[] = [];
  for (let i = next.first; i < next.first + next.count; i++) {
    if (!previous || i < previous.first || i >= previous.first + previous.count) out.push(i);
  }
  return out;
}
