// Clock-skew correction for the lean HTTP path (aws/lean-http.ts), exactly as the pinned SDK's SigV4 signer does
// it (@aws-sdk/core 3.981, dist-cjs/submodules/httpAuthSchemes/index.js: AwsSdkSigV4Signer.sign, errorHandler,
// successHandler, getUpdatedSystemClockOffset, getSkewCorrectedDate):
// - each client config holds a systemClockOffset (ms, server minus local; `config.systemClockOffset || 0` at
//   resolve time), and every attempt is signed at Date.now() + offset, unless disableClockSkewCorrection;
// - every answer with a Date header (an error's ServerTime first) sets the offset to serverTime - now, unless the
//   answer has an Age header (a cache's), its Date does not parse, or it came more than 15 minutes after sending.
//   There is no threshold for that: a right clock gets an offset of under a second;
// - an error answer that leaves the offset at 4 minutes or more, and changed it, is marked
//   $metadata.clockSkewCorrected, which the standard retry strategy retries as TRANSIENT (@smithy/core/retry
//   isTransientError), and the retry is signed with the corrected time.
// The error code plays no part (the SDK's CLOCK_SKEW_ERROR_CODES list, isClockSkewError, is used only by the
// legacy v1 retry decider, not by the clients' standard strategy): whatever error a skewed request gets
// (InvalidSignatureException, SignatureDoesNotMatch, RequestExpired...), its Date header corrects the clock.
// Pure functions over the config object, which LeanHttp shares per service as the SDK shares it per client.

export interface ClockConfig {
  systemClockOffset?: number;
}

/** One attempt's view of the clock, taken when it is signed (the SDK's _preRequestSystemClockOffset and
 * _requestSentAt signing properties). */
export interface ClockSample {
  pre: number | undefined;
  sentAt: number;
}

/** The SDK's threshold for calling a correction a clock-skew correction (errorHandler: 240_000). */
export const CLOCK_SKEW_CORRECTED_MS = 240_000;
/** An answer received longer than this after its request was sent does not move the clock (900_000). */
const MAX_ROUND_TRIP_MS = 900_000;

let lastClockText: string | null = null;
let lastClockTime = NaN;

/** Date.parse, remembered for the last text (one Date header per second on a busy path). */
function parseClock(text: string): number {
  if (text !== lastClockText) {
    lastClockTime = Date.parse(text);
    lastClockText = text;
  }
  return lastClockTime;
}

/** getUpdatedSystemClockOffset: the new offset for a server clock reading `clockTime` (a Date header, or an
 * error's ServerTime, passed to Date.parse as the SDK passes it). */
export function updatedClockOffset(clockTime: unknown, current: number | undefined, timeRequestSent: number | undefined, ageHeader: string | undefined): number {
  if (ageHeader !== undefined) return current as number;
  const serverTime = typeof clockTime === 'string' ? parseClock(clockTime) : Date.parse(clockTime as string);
  if (Number.isNaN(serverTime)) return current as number;
  const timeResponseReceived = Date.now();
  if (timeRequestSent !== undefined && timeResponseReceived - timeRequestSent > MAX_ROUND_TRIP_MS) return current as number;
  return serverTime - timeResponseReceived;
}

/** What sign() records before signing an attempt. */
export function clockSample(config: ClockConfig): ClockSample {
  return {pre: config.systemClockOffset, sentAt: Date.now()};
}

/** successHandler: a 2xx answer's Date header sets the offset. */
export function clockAfterSuccess(config: ClockConfig, sample: ClockSample, date: string | undefined, age: string | undefined): void {
  if (date) config.systemClockOffset = updatedClockOffset(date, config.systemClockOffset, sample.sentAt, age);
}

/** What errorHandler reads and marks on an error. */
export interface SkewableError {
  ServerTime?: unknown;
  $metadata?: {clockSkewCorrected?: boolean};
}

/** errorHandler: the error's ServerTime, else its answer's Date header, sets the offset; an offset of 4 minutes or
 * more that this answer (or a concurrent one since the attempt was signed) changed marks the error
 * clockSkewCorrected. */
export function clockAfterError(config: ClockConfig, sample: ClockSample, error: SkewableError, date: string | undefined, age: string | undefined): void {
  const serverTime = error.ServerTime ?? date;
  if (!serverTime) return;
  const preRequestOffset = sample.pre;
  const newOffset = updatedClockOffset(serverTime, config.systemClockOffset, sample.sentAt, age);
  config.systemClockOffset = newOffset;
  const skewExceedsThreshold = Math.abs(newOffset) >= CLOCK_SKEW_CORRECTED_MS;
  const isLocalCorrection = newOffset !== preRequestOffset;
  const isConcurrentCorrection = preRequestOffset !== undefined && preRequestOffset !== newOffset;
  if (skewExceedsThreshold && (isLocalCorrection || isConcurrentCorrection) && error.$metadata) error.$metadata.clockSkewCorrected = true;
}
