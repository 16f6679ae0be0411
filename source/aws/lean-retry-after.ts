// A service's retry-after hint, read and applied as the pinned SDK's standard retry strategy does (@smithy/core
// 3.41, dist-cjs/submodules/retry/index.js): getRetryErrorInfo reads the failed answer's headers in order
// (parseRetryAfterHeader), the first `retry-after` or `x-amz-retry-after` decides:
// - retry-after: an HTTP date ending in GMT (the SDK's parseRfc7231DateTime), "<date> GMT, <seconds>", a number of
//   seconds, or any date Date.parse reads that is not in the past; anything else, no hint;
// - x-amz-retry-after: milliseconds (a value that is not a number: no hint);
// and StandardRetryStrategy.refreshRetryTokenForRetry waits max(backoff, min(hint - now, backoff + 5 s)) instead
// of the backoff alone: a hint can lengthen the wait by 5 s at most, never shorten it.
import type {LeanResponse} from './lean-http.ts';

/** parseRetryAfterHeader: when (epoch ms) the answer asks the retry to wait until, or undefined. */
export async function retryAfterHint(response: Pick<LeanResponse, 'headers'>): Promise<number | undefined> {
  // The SDK's HttpResponse headers are node's IncomingMessage.headers (lower-case names in the order first sent, the
  // first retry-after kept, repeated x-amz-retry-after values joined with ", "), read in that order.
  const headers = response.headers;
  let name: string | undefined;
  for (const h in headers) {
    if (!Object.hasOwn(headers, h)) continue;
    const lower = h.toLowerCase();
    if (lower === 'retry-after' || lower === 'x-amz-retry-after') {
      name = h;
      break;
    }
  }
  if (name === undefined) return undefined;
  const value = headers[name];
  const retryAfter = Array.isArray(value) ? value.join(',') : (value ?? '');
  if (name.toLowerCase() === 'x-amz-retry-after') {
    const backoffMilliseconds = Number(retryAfter);
    return Number.isNaN(backoffMilliseconds) ? undefined : Date.now() + backoffMilliseconds;
  }
  let retryAfterSeconds = NaN;
  if (retryAfter.endsWith('GMT')) {
    try {
      const {parseRfc7231DateTime} = await import('@smithy/core/serde');
      retryAfterSeconds = (parseRfc7231DateTime(retryAfter)!.getTime() - Date.now()) / 1000;
    } catch {
      // not an HTTP date: no hint, as in the SDK
    }
  } else if (/ GMT, ((\d+)|(\d+\.\d+))$/.test(retryAfter)) {
    retryAfterSeconds = Number(/ GMT, ([\d.]+)$/.exec(retryAfter)?.[1]);
  } else if (/^((\d+)|(\d+\.\d+))$/.test(retryAfter)) {
    retryAfterSeconds = Number(retryAfter);
  } else if (Date.parse(retryAfter) >= Date.now()) {
    retryAfterSeconds = (Date.parse(retryAfter) - Date.now()) / 1000;
  }
  if (Number.isNaN(retryAfterSeconds)) return undefined;
  return Date.now() + retryAfterSeconds * 1000;
}

/** The wait before a retry, given the backoff the error's kind gives and the answer's hint (epoch ms). */
export function hintedDelayMs(backoffMs: number, hint: number | undefined): number {
  return hint === undefined ? backoffMs : Math.max(backoffMs, Math.min(hint - Date.now(), backoffMs + 5_000));
}
