// The dashboard's connection and controller, and switching them (P / G): a new profile or region opens new
// clients and a new controller for the same function, the store starts afresh (`app/switched`), and the new
// profile's read-only and marks from the config file apply. The old controller is stopped first (its peeked
// messages are released under the old credentials), and only once the new connection opened: a profile that
// cannot be used leaves the old one running and says why.
//
// This is the function app's root: a fleet view that watches several functions would hold one session per
// function (each its own store and connection), and the switch stays inside it.
import type {ParsedCli} from './flags.ts';
import {initialIdentity, targetMarks, type Settings} from './settings.ts';
import {CliError, userFacingMessage} from './errors.ts';
import {openConnection, type Connection} from './connection.ts';
import {createController, type Controller, type ControllerOptions} from '../app/controller.ts';
import {readAwsProfiles, type AwsFilesEnv} from '../app/aws-profiles.ts';
import {AWS_REGIONS} from '../domain/aws-profiles.ts';
import {sanitizeLine} from '../domain/sanitize.ts';
import type {Store} from '../store/index.ts';
import type {AppActions} from '../ui/app-actions.ts';

export interface SessionOptions {
  cli: ParsedCli;
  settings: Settings;
  store: Store;
  /** Passed to each controller (the clipboard, exportDir, tickMs, ...). */
  controller?: Partial<Pick<ControllerOptions, 'clipboard' | 'exportDir' | 'tickMs' | 'peekVisibilitySeconds' | 'lookUpAlias' | 'onOpenFunction'>>;
  onQuit: () => void;
  /** Where the AWS shared config files are found (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, HOME). */
  env?: AwsFilesEnv;
  /** Opens a connection (tests may wrap it); default openConnection. */
  connect?: (cli: ParsedCli) => Promise<Connection>;
}

export interface DashboardSession {
  /** Opens the first connection and starts its controller; throws what openConnection throws. */
  open(): Promise<void>;
  readonly actions: AppActions | null;
  readonly connection: Connection | null;
  /** How many times the profile or region was switched. */
  readonly switches: number;
  /** Switch to a profile and/or region; resolves when the new controller runs (or the switch was refused). */
  switchTo(target: {profile?: string; region?: string}): Promise<void>;
  /** The guards of the profile in use, for a dashboard opened over this one (it must be no less guarded). */
  guards(): Partial<ControllerOptions>;
  /** Another function's dashboard (a Lambda destination, enter) covers this one: its polling pauses. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export function createDashboardSession(options: SessionOptions): DashboardSession {
  const {settings, store} = options;
  const connect = options.connect ?? openConnection;
  let cli = options.cli;
  let connection: Connection | null = null;
  let controller: Controller | null = null;
  let switches = 0;
  let switching = false;
  /** --read-only holds under every profile; the file's readOnly is the profile's own. */
  const flagReadOnly = settings.readOnly.source === '--read-only';
  const profileOf = (c: ParsedCli): string | null => initialIdentity(c, settings).profile;
  const flash = (level: 'info' | 'warning' | 'error', text: string, ttlMs?: number) => store.dispatch({type: 'flash/show', level, text, ...(ttlMs ? {ttlMs} : {})});

  function readOnlyFor(profile: string | null): boolean {
    return flagReadOnly || (profile !== null && Boolean(settings.profiles[profile]?.readOnly));
  }

  /** What guards mutations for a profile: its read-only state, the accounts' read-only reasons and marks from the
   * config, the typed-name threshold, and the clipboard etc. Shared by the dashboard and any dashboard opened
   * over it (a Lambda destination), so no screen of this session is less guarded than another. */
  function guardOptions(c: ParsedCli): Pick<ControllerOptions, 'readOnly' | 'accountReadOnly' | 'accountMarks' | 'confirmTypeAbove'> & SessionOptions['controller'] {
    const profile = profileOf(c);
    return {
      readOnly: readOnlyFor(profile) || store.getState().readOnly,
      accountReadOnly: (accountId) => {
        const m = targetMarks(settings, profile, accountId);
        return accountId !== null && settings.accounts[accountId]?.readOnly ? m.readOnlyReason : null;
      },
      accountMarks: (accountId) => {
        const m = targetMarks(settings, profile, accountId);
        return {label: m.label, color: m.color, production: m.production};
      },
      confirmTypeAbove: settings.confirmTypeAbove.value,
      ...options.controller,
    };
  }

  function startController(conn: Connection, c: ParsedCli, functionName: string): Controller {
    const profile = profileOf(c);
    const guards = guardOptions(c);
    store.dispatch({type: 'app/identity', identity: {profile, ...guards.accountMarks!(null)}});
    const made = createController({
      clients: conn.clients,
      store,
      functionName,
      ...(c.qualifier ? {qualifier: c.qualifier} : {}),
      intervalMs: c.intervalMs,
      now: conn.now,
      switcher,
      ...guards,
      readOnly: readOnlyFor(profile),
      onQuit: options.onQuit,
    });
    made.start();
    return made;
  }

  const switcher: Pick<AppActions, 'openProfilePicker' | 'openRegionPicker' | 'switchProfile' | 'switchRegion'> = {
    openProfilePicker() {
      if (cli.demo) return flash('warning', 'the demo has no AWS profiles: it runs its own simulator');
      void readAwsProfiles(options.env ?? process.env).then(({profiles, problems}) => {
        const notes = [...problems];
        if (profiles.some((p) => p.kind === 'sso')) {
          notes.push('SSO profiles: the clients use the region chosen here (--region, G, or the profile\'s region), never sso_region (the portal\'s); run `aws sso login --profile NAME` first if the session expired.');
        }
        const items = profiles.map((p) => {
          const m = targetMarks(settings, p.name, null);
          const detail = [p.kind, p.region, p.kind === 'sso' && p.ssoRegion ? `sso_region ${p.ssoRegion}` : null, m.production ? 'PRODUCTION' : null, m.label, settings.profiles[p.name]?.readOnly ? 'read-only' : null].filter(Boolean).join(' · ');
          return {value: p.name, detail};
        });
        store.dispatch({type: 'picker/open', picker: {kind: 'profile', items, current: profileOf(cli), notes}});
      });
    },
    openRegionPicker() {
      if (cli.demo) return flash('warning', 'the demo runs in one region');
      const current = store.getState().region;
      const items = [...new Set([...(current ? [current] : []), ...AWS_REGIONS])].map((r) => ({value: r, detail: ''}));
      store.dispatch({type: 'picker/open', picker: {kind: 'region', items, current, notes: []}});
    },
    switchProfile: (profile) => void session.switchTo({profile}),
    switchRegion: (region) => void session.switchTo({region}),
  };

  const session: DashboardSession = {
    get actions() {
      return controller?.actions ?? null;
    },
    get connection() {
      return connection;
    },
    get switches() {
      return switches;
    },
    async open() {
      connection = await connect(cli);
      const functionName = connection.functionName;
      if (!functionName) throw new CliError('--function is required');
      store.dispatch({
        type: 'app/connected',
        functionName,
        region: connection.region,
        demo: connection.demo ? {name: connection.demo.name, title: connection.demo.title, story: connection.demo.story} : null,
      });
      store.dispatch({type: 'clock/tick', now: connection.now()});
      controller = startController(connection, cli, functionName);
    },
    async switchTo(target) {
      if (switching) return flash('warning', 'already switching');
      if (store.getState().redrive?.phase === 'running') return flash('warning', 'a redrive is running: switch when it is done');
      const functionName = connection?.functionName ?? cli.functionName;
      if (!functionName) return;
      switching = true;
      // A new profile keeps a region chosen on purpose (--region or G); else the profile's own (the lambda-top
      // config's, then the AWS profile's, resolved by the SDK).
      const regionChosen = target.region ?? (cli.given.has('region') || switches > 0 ? cli.region : undefined);
      const profile = target.profile ?? cli.profile;
      const next: ParsedCli = {...cli, functionName};
      delete next.region;
      delete next.profile;
      const region = regionChosen ?? (target.profile ? settings.profiles[target.profile]?.region : cli.region);
      if (region) next.region = region;
      if (profile) next.profile = profile;
      const what = target.profile ? `profile ${sanitizeLine(target.profile, 60)}` : `region ${sanitizeLine(target.region ?? '', 30)}`;
      flash('info', `switching to ${what}…`);
      let opened: Connection;
      try {
        opened = await connect(next);
      } catch (error) {
        switching = false;
        flash('error', `could not switch to ${what}: ${sanitizeLine(userFacingMessage(error).message, 300)}`, 10_000);
        return;
      }
      await controller?.stop();
      await connection?.close();
      cli = next;
      connection = opened;
      switches++;
      store.dispatch({type: 'app/switched', region: opened.region, profile: profileOf(next), readOnly: readOnlyFor(profileOf(next))});
      store.dispatch({type: 'clock/tick', now: opened.now()});
      controller = startController(opened, next, functionName);
      switching = false;
      flash('info', `now using ${profileOf(next) === null ? 'the default credentials' : `profile ${sanitizeLine(profileOf(next)!, 60)}`} in ${sanitizeLine(opened.region, 30)}`);
    },
    guards: () => guardOptions(cli),
    pause: () => controller?.pause(),
    resume: () => controller?.resume(),
    async stop() {
      await controller?.stop();
      await connection?.close();
      controller = null;
      connection = null;
    },
  };
  return session;
}
