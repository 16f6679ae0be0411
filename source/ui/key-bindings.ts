// The one binding table: key -> intent per view. The input handler looks keys up here and the help
// overlay and status bar are generated from it, so what help says is what the keys do.
import type {Key} from 'ink';
import type {View} from '../store/types.ts';

export type NamedKey =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'enter'
  | 'escape'
  | 'tab'
  | 'shiftTab'
  | 'space'
  | 'backspace';

/** One key: a printable character (`input`, case-sensitive) or a named key, optionally with Ctrl. */
export interface KeySpec {
  input?: string;
  key?: NamedKey;
  ctrl?: boolean;
}

export type Intent =
  | 'quit'
  | 'help'
  | 'help-close'
  | 'help-up'
  | 'help-down'
  | 'help-page-up'
  | 'help-page-down'
  | 'help-top'
  | 'help-bottom'
  | 'refresh'
  | 'window-longer'
  | 'window-shorter'
  | 'focus-next'
  | 'focus-prev'
  | 'panel-up'
  | 'panel-down'
  | 'panel-page-up'
  | 'panel-page-down'
  | 'open-failed'
  | 'cursor-up'
  | 'cursor-down'
  | 'page-up'
  | 'page-down'
  | 'cursor-first'
  | 'cursor-last'
  | 'open-detail'
  | 'close-failed'
  | 'filter-start'
  | 'filter-apply'
  | 'filter-cancel'
  | 'filter-backspace'
  | 'toggle-mark'
  | 'mark-all'
  | 'unmark-all'
  | 'sort-cycle'
  | 'sort-reverse'
  | 'source-cycle'
  | 'load-more'
  | 'redrive-marked'
  | 'redrive-matching'
  | 'redrive-this'
  | 'show-logs'
  | 'copy'
  | 'copy-payload'
  | 'export'
  | 'detail-up'
  | 'detail-down'
  | 'detail-page-up'
  | 'detail-page-down'
  | 'detail-top'
  | 'detail-bottom'
  | 'detail-close'
  | 'confirm-yes'
  | 'confirm-no'
  | 'redrive-cancel'
  | 'redrive-loop-cycle'
  | 'redrive-close'
  | 'back-to-fleet'
  | 'open-destination'
  | 'fleet-up'
  | 'fleet-down'
  | 'fleet-page-up'
  | 'fleet-page-down'
  | 'fleet-top'
  | 'fleet-bottom'
  | 'fleet-open'
  | 'fleet-sort'
  | 'fleet-filter-start'
  | 'fleet-filter-apply'
  | 'fleet-filter-cancel'
  | 'fleet-filter-backspace'
  | 'fleet-help'
  | 'fleet-help-close'
  | 'open-logs'
  | 'logs-toggle-all'
  | 'logs-pause'
  | 'logs-filter-start'
  | 'logs-follow-toggle'
  | 'logs-follow'
  | 'logs-up'
  | 'logs-down'
  | 'logs-page-up'
  | 'logs-page-down'
  | 'logs-top'
  | 'logs-close'
  | 'confirm-typed'
  | 'confirm-type-backspace'
  | 'pick-profile'
  | 'pick-region'
  | 'picker-up'
  | 'picker-down'
  | 'picker-choose'
  | 'picker-close';

/** The fleet view's own scopes: 'fleet' (the table), 'fleet-filter' (typing its filter), 'fleet-help'. */
export type FleetScope = 'fleet' | 'fleet-filter' | 'fleet-help';
/** The scope the keyboard is in: a view, or typing (a filter, the function name in a confirmation), a picker,
 * or one of the fleet view's (never 'main' or 'any': those are groups). */
export type ActiveScope = View | 'filter' | 'confirm-type' | 'picker' | FleetScope;

/** Where a binding applies: an active scope, 'main' (dashboard, failed, detail, logs), 'any'. */
export type Scope = ActiveScope | 'main' | 'any';

export interface KeyBinding {
  intent: Intent;
  keys: KeySpec[];
  description: string;
  scopes: readonly Scope[];
  /** Changes something in AWS: refused centrally in read-only mode. */
  mutation?: boolean;
  /** Short label for the status bar; bindings without one are listed in help only. */
  hint?: string;
  /** Which hints a narrow status bar keeps: 1 always, then 2, then 3 (default) as room allows. */
  priority?: 1 | 2 | 3;
  /** The hint shows only in this state of the view (e.g. "c cancel" only while a job runs). */
  hintWhen?: HintCondition;
}

/** What the status bar knows of the view beyond its scope. */
export interface HintContext {
  redrivePhase?: 'confirming' | 'running' | 'done' | 'failed' | null;
  cancelling?: boolean;
}
export type HintCondition = 'redrive-cancellable' | 'redrive-finished';

export function hintApplies(binding: KeyBinding, context: HintContext): boolean {
  switch (binding.hintWhen) {
    case undefined:
      return true;
    case 'redrive-cancellable':
      return context.redrivePhase === 'running' && !context.cancelling;
    case 'redrive-finished':
      return context.redrivePhase === 'done' || context.redrivePhase === 'failed';
  }
}

const k = (input: string): KeySpec => ({input});
const named = (key: NamedKey): KeySpec => ({key});

export const KEY_BINDINGS: readonly KeyBinding[] = [
  // ---- everywhere ----
  {intent: 'quit', keys: [{input: 'c', ctrl: true}], description: 'quit', scopes: ['any']},
  {intent: 'quit', keys: [k('q')], description: 'quit (peeked messages are released)', scopes: ['main', 'fleet'], hint: 'quit', priority: 1},
  {intent: 'help', keys: [k('?')], description: 'show this help', scopes: ['main'], hint: 'help', priority: 1},
  {intent: 'help-close', keys: [k('?'), named('escape'), k('q')], description: 'close help', scopes: ['help'], hint: 'close', priority: 1},
  {intent: 'help-up', keys: [named('up'), k('k')], description: 'scroll up', scopes: ['help']},
  {intent: 'help-down', keys: [named('down'), k('j')], description: 'scroll down', scopes: ['help'], hint: 'scroll', priority: 1},
  {intent: 'help-page-up', keys: [named('pageUp')], description: 'page up', scopes: ['help']},
  {intent: 'help-page-down', keys: [named('pageDown'), named('space')], description: 'page down', scopes: ['help'], hint: 'page', priority: 2},
  {intent: 'help-top', keys: [named('home'), k('g')], description: 'top', scopes: ['help']},
  {intent: 'help-bottom', keys: [named('end'), k('G')], description: 'bottom', scopes: ['help']},
  // ---- dashboard ----
  {intent: 'refresh', keys: [k('r')], description: 'refresh now', scopes: ['dashboard'], hint: 'refresh', priority: 2},
  {intent: 'open-failed', keys: [k('f')], description: 'browse failed events (DLQ / destinations)', scopes: ['dashboard'], hint: 'failed events', priority: 1},
  {intent: 'open-logs', keys: [k('L')], description: "logs: a live tail of the function's log group (failures)", scopes: ['dashboard'], hint: 'logs', priority: 2},
  {intent: 'window-longer', keys: [k('+'), k('=')], description: 'longer metrics window (15m…24h)', scopes: ['dashboard'], hint: 'window'},
  {intent: 'window-shorter', keys: [k('-'), k('_')], description: 'shorter metrics window', scopes: ['dashboard']},
  {intent: 'focus-next', keys: [named('tab')], description: 'next panel', scopes: ['dashboard'], hint: 'panel'},
  {intent: 'focus-prev', keys: [named('shiftTab')], description: 'previous panel', scopes: ['dashboard']},
  {intent: 'panel-up', keys: [named('up'), k('k')], description: 'scroll the focused panel up', scopes: ['dashboard']},
  {intent: 'panel-down', keys: [named('down'), k('j')], description: 'scroll the focused panel down', scopes: ['dashboard']},
  {intent: 'panel-page-up', keys: [named('pageUp')], description: 'page the focused panel up (queues)', scopes: ['dashboard']},
  {intent: 'panel-page-down', keys: [named('pageDown')], description: 'page the focused panel down (queues)', scopes: ['dashboard']},
  {intent: 'open-destination', keys: [named('enter')], description: "open the Lambda destination's dashboard (pipeline panel focused; esc comes back)", scopes: ['dashboard']},
  {intent: 'back-to-fleet', keys: [named('escape')], description: 'back to the dashboard or fleet view this one was opened from (as it was)', scopes: ['dashboard']},
  // ---- fleet view ----
  {intent: 'fleet-up', keys: [named('up'), k('k')], description: 'previous function', scopes: ['fleet']},
  {intent: 'fleet-down', keys: [named('down'), k('j')], description: 'next function', scopes: ['fleet']},
  {intent: 'fleet-page-up', keys: [named('pageUp')], description: 'page up', scopes: ['fleet']},
  {intent: 'fleet-page-down', keys: [named('pageDown'), named('space')], description: 'page down', scopes: ['fleet']},
  {intent: 'fleet-top', keys: [named('home'), k('g')], description: 'first function', scopes: ['fleet']},
  {intent: 'fleet-bottom', keys: [named('end'), k('G')], description: 'last function', scopes: ['fleet']},
  {intent: 'fleet-open', keys: [named('enter')], description: "open the function's dashboard (esc comes back)", scopes: ['fleet'], hint: 'open', priority: 1},
  {intent: 'fleet-sort', keys: [k('s')], description: 'sort by health / name / invocations / errors / throttles / age / dropped / concurrency / DLQ', scopes: ['fleet'], hint: 'sort', priority: 1},
  {intent: 'fleet-filter-start', keys: [k('/')], description: 'filter by name (a regex)', scopes: ['fleet'], hint: 'filter', priority: 1},
  {intent: 'refresh', keys: [k('r')], description: 'refresh now', scopes: ['fleet'], hint: 'refresh', priority: 2},
  {intent: 'fleet-help', keys: [k('?')], description: 'show this help (keys and the refresh cost)', scopes: ['fleet'], hint: 'help', priority: 1},
  {intent: 'fleet-filter-apply', keys: [named('enter')], description: 'keep the filter', scopes: ['fleet-filter'], hint: 'apply', priority: 1},
  {intent: 'fleet-filter-cancel', keys: [named('escape')], description: 'clear the filter', scopes: ['fleet-filter'], hint: 'clear', priority: 1},
  {intent: 'fleet-filter-backspace', keys: [named('backspace')], description: 'delete a character', scopes: ['fleet-filter']},
  {intent: 'fleet-help-close', keys: [k('?'), named('escape'), k('q')], description: 'close help', scopes: ['fleet-help'], hint: 'close', priority: 1},
  // ---- failed-event list ----
  {intent: 'cursor-up', keys: [named('up'), k('k')], description: 'previous event', scopes: ['failed']},
  {intent: 'cursor-down', keys: [named('down'), k('j')], description: 'next event', scopes: ['failed']},
  {intent: 'page-up', keys: [named('pageUp')], description: 'page up', scopes: ['failed']},
  {intent: 'page-down', keys: [named('pageDown')], description: 'page down (loads more at the end)', scopes: ['failed']},
  {intent: 'cursor-first', keys: [named('home'), k('g')], description: 'first event', scopes: ['failed']},
  {intent: 'cursor-last', keys: [named('end'), k('G')], description: 'last loaded event', scopes: ['failed']},
  {intent: 'open-detail', keys: [named('enter')], description: 'event detail: payload, error, stack', scopes: ['failed'], hint: 'detail', priority: 1},
  {intent: 'close-failed', keys: [named('escape')], description: 'back to the dashboard (releases peeked messages)', scopes: ['failed'], hint: 'back', priority: 1},
  {intent: 'filter-start', keys: [k('/')], description: 'filter (request id, error, payload text)', scopes: ['failed'], hint: 'filter', priority: 2},
  {intent: 'toggle-mark', keys: [named('space')], description: 'mark / unmark event', scopes: ['failed'], hint: 'mark', priority: 1},
  {intent: 'mark-all', keys: [k('a')], description: 'mark all events matching the filter', scopes: ['failed']},
  {intent: 'unmark-all', keys: [k('u')], description: 'clear marks', scopes: ['failed']},
  {intent: 'redrive-marked', keys: [k('r')], description: 'redrive marked events (or the one under the cursor)', scopes: ['failed'], mutation: true, hint: 'redrive', priority: 1},
  {intent: 'redrive-matching', keys: [k('R')], description: 'redrive every event matching the filter', scopes: ['failed'], mutation: true, hint: 'redrive all', priority: 2},
  {intent: 'show-logs', keys: [k('l')], description: "show the request's log lines", scopes: ['failed', 'detail'], hint: 'logs'},
  {intent: 'copy', keys: [k('y')], description: 'copy the request id (dashboard: the function ARN) to the clipboard', scopes: ['dashboard', 'failed', 'detail']},
  {intent: 'copy-payload', keys: [k('Y')], description: "copy the event's payload to the clipboard", scopes: ['failed', 'detail']},
  {intent: 'export', keys: [k('e')], description: 'export events (marked, else matching) to a file', scopes: ['failed'], hint: 'export'},
  {intent: 'sort-cycle', keys: [k('s')], description: 'sort by time / attempts / error / source / size', scopes: ['failed'], hint: 'sort'},
  {intent: 'sort-reverse', keys: [k('S')], description: 'reverse sort order', scopes: ['failed']},
  {intent: 'source-cycle', keys: [named('tab')], description: 'show one failure queue / all', scopes: ['failed'], hint: 'source'},
  {intent: 'load-more', keys: [k('m')], description: 'load every event in the queues (within the peek window)', scopes: ['failed']},
  // ---- logs panel ----
  {intent: 'logs-toggle-all', keys: [k('t')], description: 'failures only / every line', scopes: ['logs'], hint: 'all/failures', priority: 1},
  {intent: 'logs-pause', keys: [named('space'), k('p')], description: 'pause / resume the screen (reading goes on)', scopes: ['logs'], hint: 'pause', priority: 1},
  {intent: 'logs-filter-start', keys: [k('/')], description: 'filter lines by text', scopes: ['logs'], hint: 'filter', priority: 2},
  {intent: 'logs-follow-toggle', keys: [k('f')], description: 'follow the newest line on / off', scopes: ['logs'], hint: 'follow', priority: 2},
  {intent: 'logs-follow', keys: [named('end'), k('G')], description: 'jump to the newest line and follow', scopes: ['logs']},
  {intent: 'logs-top', keys: [named('home'), k('g')], description: 'oldest line kept', scopes: ['logs']},
  {intent: 'logs-up', keys: [named('up'), k('k')], description: 'scroll up (stops following)', scopes: ['logs'], hint: 'scroll', priority: 3},
  {intent: 'logs-down', keys: [named('down'), k('j')], description: 'scroll down', scopes: ['logs']},
  {intent: 'logs-page-up', keys: [named('pageUp')], description: 'page up', scopes: ['logs']},
  {intent: 'logs-page-down', keys: [named('pageDown')], description: 'page down', scopes: ['logs']},
  {intent: 'logs-close', keys: [named('escape')], description: 'back to the dashboard (the tail stops; a Live Tail session is closed)', scopes: ['logs'], hint: 'back', priority: 1},
  // ---- filter input ----
  {intent: 'filter-apply', keys: [named('enter')], description: 'keep the filter', scopes: ['filter'], hint: 'apply', priority: 1},
  {intent: 'filter-cancel', keys: [named('escape')], description: 'clear the filter', scopes: ['filter'], hint: 'clear', priority: 1},
  {intent: 'filter-backspace', keys: [named('backspace')], description: 'delete a character', scopes: ['filter']},
  // ---- detail ----
  {intent: 'detail-up', keys: [named('up'), k('k')], description: 'scroll up', scopes: ['detail']},
  {intent: 'detail-down', keys: [named('down'), k('j')], description: 'scroll down', scopes: ['detail'], hint: 'scroll', priority: 2},
  {intent: 'detail-page-up', keys: [named('pageUp')], description: 'page up', scopes: ['detail']},
  {intent: 'detail-page-down', keys: [named('pageDown'), named('space')], description: 'page down', scopes: ['detail']},
  {intent: 'detail-top', keys: [named('home'), k('g')], description: 'top', scopes: ['detail']},
  {intent: 'detail-bottom', keys: [named('end'), k('G')], description: 'bottom', scopes: ['detail']},
  {intent: 'redrive-this', keys: [k('r')], description: 'redrive this event', scopes: ['detail'], mutation: true, hint: 'redrive', priority: 1},
  {intent: 'detail-close', keys: [named('escape')], description: 'back to the list', scopes: ['detail'], hint: 'back', priority: 1},
  // ---- confirm dialogs ----
  {intent: 'confirm-yes', keys: [k('y'), k('Y')], description: 'yes, go ahead', scopes: ['confirm'], hint: 'yes', priority: 1},
  {intent: 'confirm-no', keys: [k('n'), k('N'), named('escape')], description: 'no, cancel', scopes: ['confirm'], hint: 'no', priority: 1},
  // ---- a confirmation that asks for the function name (above confirmTypeAbove events, or production) ----
  {intent: 'confirm-typed', keys: [named('enter')], description: 'go ahead (only when the name typed is the function name)', scopes: ['confirm-type'], hint: 'confirm', priority: 1},
  {intent: 'confirm-no', keys: [named('escape')], description: 'cancel', scopes: ['confirm-type'], hint: 'cancel', priority: 1},
  {intent: 'confirm-type-backspace', keys: [named('backspace')], description: 'delete a character', scopes: ['confirm-type']},
  {intent: 'redrive-loop-cycle', keys: [named('tab')], description: 'redrive: then nothing / follow every event to its outcome / a canary first', scopes: ['confirm', 'confirm-type'], hint: 'after', priority: 2},
  // ---- profile and region pickers ----
  {intent: 'pick-profile', keys: [k('P')], description: 'switch AWS profile (from ~/.aws/config and ~/.aws/credentials)', scopes: ['dashboard']},
  {intent: 'pick-region', keys: [k('G')], description: 'switch region', scopes: ['dashboard']},
  {intent: 'picker-up', keys: [named('up'), k('k')], description: 'previous', scopes: ['picker']},
  {intent: 'picker-down', keys: [named('down'), k('j')], description: 'next', scopes: ['picker'], hint: 'move', priority: 2},
  {intent: 'picker-choose', keys: [named('enter')], description: 'use this one (reconnects; the dashboard starts afresh)', scopes: ['picker'], hint: 'choose', priority: 1},
  {intent: 'picker-close', keys: [named('escape'), k('q')], description: 'close without switching', scopes: ['picker'], hint: 'close', priority: 1},
  // ---- redrive progress ----
  {intent: 'redrive-cancel', keys: [k('c')], description: 'cancel the running redrive (events not sent stay queued)', scopes: ['redrive'], hint: 'cancel', priority: 1, hintWhen: 'redrive-cancellable'},
  {intent: 'redrive-close', keys: [named('enter'), named('escape')], description: 'close the finished redrive summary', scopes: ['redrive'], hint: 'close', priority: 1, hintWhen: 'redrive-finished'},
];

export const SCOPE_TITLES: Record<Scope, string> = {
  any: 'Everywhere',
  main: 'Dashboard, failed events, detail, logs',
  dashboard: 'Dashboard',
  failed: 'Failed events',
  filter: 'While typing a filter',
  detail: 'Event detail',
  logs: 'Logs panel',
  help: 'Help',
  confirm: 'Confirm dialog',
  'confirm-type': 'Confirm by typing the function name',
  picker: 'Profile / region picker',
  redrive: 'Redrive progress',
  fleet: 'Fleet view',
  'fleet-filter': 'While typing the fleet filter',
  'fleet-help': 'Fleet help',
};

const MAIN_VIEWS: readonly View[] = ['dashboard', 'failed', 'detail', 'logs'];

/** The scope the keyboard is in: an open picker, typing the function name in a confirmation, typing a filter
 * over the failed list or the logs panel; else the view. */
export function activeScope(view: View, filterEditing: boolean, typing: {confirmName?: boolean; picker?: boolean} = {}): ActiveScope {
  if (typing.picker) return 'picker';
  if (view === 'confirm' && typing.confirmName) return 'confirm-type';
  return (view === 'failed' || view === 'logs') && filterEditing ? 'filter' : view;
}

function scopeApplies(scope: Scope, active: ActiveScope): boolean {
  if (scope === 'any') return true;
  if (scope === 'main') return (MAIN_VIEWS as readonly string[]).includes(active);
  return scope === active;
}

function matchesNamed(name: NamedKey, input: string, key: Key): boolean {
  switch (name) {
    case 'up':
      return key.upArrow;
    case 'down':
      return key.downArrow;
    case 'pageUp':
      return key.pageUp;
    case 'pageDown':
      return key.pageDown;
    case 'home':
      return key.home;
    case 'end':
      return key.end;
    case 'enter':
      return key.return;
    case 'escape':
      return key.escape;
    case 'tab':
      return key.tab && !key.shift;
    case 'shiftTab':
      return key.tab && key.shift;
    case 'space':
      return input === ' ' && !key.ctrl && !key.meta;
    case 'backspace':
      return key.backspace || key.delete;
  }
}

export function keyMatches(spec: KeySpec, input: string, key: Key): boolean {
  if (Boolean(spec.ctrl) !== Boolean(key.ctrl)) return false;
  if (spec.key) return matchesNamed(spec.key, input, key);
  if (spec.input === undefined) return false;
  if (key.meta) return false;
  return input === spec.input;
}

/** The table in use: KEY_BINDINGS with the config file's key overrides applied (setKeyBindings). */
let activeBindings: readonly KeyBinding[] = KEY_BINDINGS;

/** Installs a table made by applyKeyOverrides (once, at start; tests put KEY_BINDINGS back). */
export function setKeyBindings(table: readonly KeyBinding[]): void {
  activeBindings = table;
}

/** The binding a keypress means in `scope`, or undefined. Specific scopes win over 'main' and 'any'. */
export function findBinding(active: ActiveScope, input: string, key: Key): KeyBinding | undefined {
  const candidates = activeBindings.filter((b) => b.scopes.some((s) => scopeApplies(s, active)) && b.keys.some((spec) => keyMatches(spec, input, key)));
  return candidates.find((b) => b.scopes.includes(active)) ?? candidates[0];
}

/** Bindings listed for a scope (help and status bar). */
export function bindingsFor(active: ActiveScope): KeyBinding[] {
  return activeBindings.filter((b) => b.scopes.some((s) => scopeApplies(s, active)));
}

const NAMED_LABELS: Record<NamedKey, string> = {
  up: '↑',
  down: '↓',
  pageUp: 'pgup',
  pageDown: 'pgdn',
  home: 'home',
  end: 'end',
  enter: 'enter',
  escape: 'esc',
  tab: 'tab',
  shiftTab: 'shift-tab',
  space: 'space',
  backspace: 'bksp',
};

export function keyLabel(spec: KeySpec): string {
  const base = spec.key ? NAMED_LABELS[spec.key] : spec.input === ' ' ? 'space' : (spec.input ?? '');
  return spec.ctrl ? `ctrl-${base}` : base;
}

/** "↑/k", "+/=", "ctrl-c". */
export function bindingLabel(binding: KeyBinding): string {
  return binding.keys.map(keyLabel).join('/');
}

const NAMED_KEYS: Record<string, NamedKey> = {
  up: 'up',
  down: 'down',
  pageup: 'pageUp',
  pgup: 'pageUp',
  pagedown: 'pageDown',
  pgdn: 'pageDown',
  home: 'home',
  end: 'end',
  enter: 'enter',
  return: 'enter',
  escape: 'escape',
  esc: 'escape',
  tab: 'tab',
  shifttab: 'shiftTab',
  'shift-tab': 'shiftTab',
  space: 'space',
  backspace: 'backspace',
  bksp: 'backspace',
};

/** A key as a config file writes it: one printable character ("R"), "ctrl-x", or a key name ("enter"). */
export function parseKeySpec(text: string): KeySpec | null {
  const ctrl = /^ctrl-([a-z])$/i.exec(text);
  if (ctrl) return {input: ctrl[1]!.toLowerCase(), ctrl: true};
  const name = NAMED_KEYS[text.toLowerCase()];
  if (name) return {key: name};
  // One printable character, not a space (that is "space") and no control character.
  if ([...text].length === 1 && /^[\x21-\x7e\u00a1-\uffff]$/u.test(text)) return {input: text};
  return null;
}

const sameKey = (a: KeySpec, b: KeySpec): boolean =>
  Boolean(a.ctrl) === Boolean(b.ctrl) && (a.key !== undefined ? a.key === b.key || (a.key === 'space' && b.input === ' ') : b.key !== undefined ? b.key === 'space' && a.input === ' ' : a.input === b.input);

/** Two scopes where one keypress could reach both bindings. */
function scopesOverlap(a: readonly Scope[], b: readonly Scope[]): boolean {
  const expand = (scopes: readonly Scope[]): Set<string> => new Set(scopes.flatMap((s) => (s === 'main' ? ['main', ...MAIN_VIEWS] : s === 'any' ? ['any'] : [s])));
  const left = expand(a);
  const right = expand(b);
  if (left.has('any') || right.has('any')) return true;
  return [...left].some((s) => right.has(s));
}

/** The first pair of bindings that one keypress would both reach, or null (the default table has none). */
export function keyConflict(table: readonly KeyBinding[]): {a: KeyBinding; b: KeyBinding; key: KeySpec} | null {
  for (let i = 0; i < table.length; i++) {
    for (let j = i + 1; j < table.length; j++) {
      const a = table[i]!;
      const b = table[j]!;
      if (a.intent === b.intent || !scopesOverlap(a.scopes, b.scopes)) continue;
      const key = a.keys.find((ka) => b.keys.some((kb) => sameKey(ka, kb)));
      if (key) return {a, b, key};
    }
  }
  return null;
}

/**
 * The table with `overrides` (intent -> its new keys) applied: every binding of that intent gets the new keys,
 * except Ctrl-C, which always quits. Returns the table, or the reason it cannot be (two actions on one key).
 */
export function applyKeyOverrides(table: readonly KeyBinding[], overrides: Partial<Record<Intent, KeySpec[]>>): {table: readonly KeyBinding[]} | {error: string} {
  // No overrides (most starts): the table stays as given, and the pairwise check is left to the tests of the
  // default table (key-overrides.test.ts): it costs a few ms before the first frame.
  if (Object.keys(overrides).length === 0) return {table};
  const next = table.map((binding) => {
    const keys = overrides[binding.intent];
    if (!keys || binding.scopes.includes('any')) return binding;
    return {...binding, keys};
  });
  const conflict = keyConflict(next);
  if (conflict) {
    const overridden = overrides[conflict.a.intent] ? conflict.a : conflict.b;
    const other = overridden === conflict.a ? conflict.b : conflict.a;
    return {error: `key "${keyLabel(conflict.key)}" for "${overridden.intent}" is already "${other.intent}" (${other.description}); choose another key or move that one too`};
  }
  return {table: next};
}

/** Text typed or pasted that a filter takes as text: no modifier, no Enter/Esc/Tab, no control characters
 * (pasted text can carry them). */
export function isPrintableInput(input: string, key: Key): boolean {
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return false;
  if (!input) return false;
  return !/[\u0000-\u001f\u007f-\u009f]/.test(input);
}

/** Keys typed faster than a frame (or pasted) reach the app as one chunk ("jjj", "/zzz"): each character as a
 * keypress of its own, for the keypress layers to handle one at a time against the state the one before left;
 * null for a single key or a chunk that is not plain printable text. */
export function splitKeyChunk(input: string, key: Key): Array<[string, Key]> | null {
  const keys = Array.from(input);
  if (keys.length < 2 || !isPrintableInput(input, key)) return null;
  return keys.map((one) => [one, {...key, shift: one !== one.toLowerCase()}]);
}
