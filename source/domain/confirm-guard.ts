// When a redrive must be confirmed by typing the function name instead of pressing y: more events than the
// config's `confirmTypeAbove` (default 10), a count that is only a lower bound above it (or unbounded: "every
// event matching"), and always in an account marked production. Pure; shared by the TUI and `redrive`.

/** A redrive of more events than this asks for the function name (the config's confirmTypeAbove). */
export const DEFAULT_CONFIRM_TYPE_ABOVE = 10;

export interface GuardInput {
  count: number;
  /** The count is a lower bound (more may be read as the run goes). */
  countIsEstimate: boolean;
  production: boolean;
  threshold: number;
}

export function needsTypedName(input: GuardInput): boolean {
  if (input.production) return true;
  if (input.countIsEstimate) return true;
  return input.count > input.threshold;
}

/** Why the name is asked for, in the dialog's words. */
export function typedNameReason(input: GuardInput): string {
  if (input.production) return 'this account is marked production';
  if (input.countIsEstimate) return 'how many events this sends is not known in advance';
  return `more than ${input.threshold} event${input.threshold === 1 ? '' : 's'}`;
}

/** The account as a dialog or prompt names it: "123456789012 (acme-prod, PROD EU)". */
export function accountText(account: {id: string | null; alias: string | null; label: string | null}): string {
  const extra = [account.alias, account.label].filter((x): x is string => Boolean(x));
  return `${account.id ?? 'not known yet'}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}
