// The profiles of the AWS shared config files (~/.aws/config and ~/.aws/credentials), as the profile picker
// lists them. Pure: the files' text in, profiles out. In the config file a profile is `[profile name]` (or
// `[default]`); in the credentials file it is `[name]`. `[sso-session x]` and `[services x]` sections are not
// profiles. Indented lines are sub-settings (`s3 =` and its keys) and are skipped; `#` and `;` start comments.

export type ProfileKind = 'sso' | 'credential_process' | 'role' | 'static keys' | 'web identity' | 'other';

export interface AwsProfile {
  name: string;
  /** The profile's `region`, or null (the client's region is the one chosen in lambda-top, never sso_region). */
  region: string | null;
  kind: ProfileKind;
  /** For SSO profiles: the SSO region (of the portal, not of the clients). */
  ssoRegion: string | null;
  /** Which files define it. */
  files: Array<'config' | 'credentials'>;
}

type Sections = Map<string, Record<string, string>>;

export function parseIni(text: string): Sections {
  const sections: Sections = new Map();
  let current: Record<string, string> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;].*)?$/.test(raw)) continue;
    const header = /^\s*\[([^\]]+)\]\s*([#;].*)?$/.exec(raw);
    if (header) {
      const name = header[1]!.trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    if (!current || /^\s/.test(raw)) continue;
    const eq = raw.indexOf('=');
    if (eq <= 0) continue;
    current[raw.slice(0, eq).trim().toLowerCase()] = raw.slice(eq + 1).replace(/\s[#;].*$/, '').trim();
  }
  return sections;
}

function kindOf(settings: Record<string, string>): ProfileKind {
  if (settings.sso_session || settings.sso_start_url || settings.sso_account_id) return 'sso';
  if (settings.credential_process) return 'credential_process';
  if (settings.role_arn && settings.web_identity_token_file) return 'web identity';
  if (settings.role_arn) return 'role';
  if (settings.aws_access_key_id) return 'static keys';
  return 'other';
}

/** Profiles from both files, sorted by name ("default" first); a profile in both merges (credentials win). */
export function parseAwsProfiles(configText: string, credentialsText: string): AwsProfile[] {
  const merged = new Map<string, {settings: Record<string, string>; files: AwsProfile['files']; ssoSessions: Sections}>();
  const config = parseIni(configText);
  for (const [section, settings] of config) {
    const name = section === 'default' ? 'default' : /^profile\s+(.+)$/.exec(section)?.[1]?.trim();
    if (!name) continue;
    merged.set(name, {settings: {...settings}, files: ['config'], ssoSessions: config});
  }
  for (const [name, settings] of parseIni(credentialsText)) {
    const entry = merged.get(name);
    if (entry) {
      Object.assign(entry.settings, settings);
      entry.files.push('credentials');
    } else merged.set(name, {settings: {...settings}, files: ['credentials'], ssoSessions: config});
  }
  const out: AwsProfile[] = [];
  for (const [name, {settings, files, ssoSessions}] of merged) {
    const session = settings.sso_session ? ssoSessions.get(`sso-session ${settings.sso_session}`) : undefined;
    out.push({name, region: settings.region || null, kind: kindOf(settings), ssoRegion: settings.sso_region || session?.sso_region || null, files});
  }
  return out.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** The regions the region picker offers (commercial partition; any other is reachable with --region). */
export const AWS_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'ca-central-1', 'ca-west-1', 'mx-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'af-south-1', 'il-central-1', 'me-south-1', 'me-central-1',
  'ap-south-1', 'ap-south-2', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
];
