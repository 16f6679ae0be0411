import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseAwsProfiles} from '../../../source/domain/aws-profiles.ts';
import {DEFAULT_CONFIRM_TYPE_ABOVE, accountText, needsTypedName} from '../../../source/domain/confirm-guard.ts';

const CONFIG = `
# a comment
[default]
region = eu-west-1

[profile dev]
credential_process = /usr/local/bin/creds --profile dev ; trailing comment
region = us-east-1
s3 =
  max_concurrent_requests = 20

[profile corp]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin

[profile legacy-sso]
sso_start_url = https://x.awsapps.com/start
sso_region = ap-southeast-2

[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = default

[sso-session corp]
sso_region = us-west-2
sso_start_url = https://corp.awsapps.com/start

[services local]
sqs =
  endpoint_url = http://localhost:4566
`;
const CREDENTIALS = `
[default]
aws_access_key_id = AKIA
aws_secret_access_key = x
[ci]
aws_access_key_id = AKIACI
aws_secret_access_key = y
`;

test('profiles from both files: default first, kinds, regions, SSO regions from the profile or its sso-session', () => {
  const profiles = parseAwsProfiles(CONFIG, CREDENTIALS);
  assert.deepEqual(
    profiles.map((p) => [p.name, p.kind, p.region, p.ssoRegion, p.files.join('+')]),
    [
      ['default', 'static keys', 'eu-west-1', null, 'config+credentials'],
      ['ci', 'static keys', null, null, 'credentials'],
      ['corp', 'sso', null, 'us-west-2', 'config'],
      ['deploy', 'role', null, null, 'config'],
      ['dev', 'credential_process', 'us-east-1', null, 'config'],
      ['legacy-sso', 'sso', null, 'ap-southeast-2', 'config'],
    ],
  );
  // Sub-settings (indented) and the [services] / [sso-session] sections are not profiles, nor keys of one.
  assert.ok(!profiles.some((p) => p.name.includes('services') || p.name.includes('sso-session')));
});

test('empty or missing files are no profiles', () => {
  assert.deepEqual(parseAwsProfiles('', ''), []);
});

test('the typed-name guard: above the threshold, an unbounded count, or production', () => {
  const base = {count: DEFAULT_CONFIRM_TYPE_ABOVE, countIsEstimate: false, production: false, threshold: DEFAULT_CONFIRM_TYPE_ABOVE};
  assert.equal(needsTypedName(base), false, 'at the threshold y is enough');
  assert.equal(needsTypedName({...base, count: base.threshold + 1}), true);
  assert.equal(needsTypedName({...base, count: 1, countIsEstimate: true}), true, 'every event matching: not known in advance');
  assert.equal(needsTypedName({...base, count: 1, production: true}), true, 'production: always');
  assert.equal(needsTypedName({...base, count: 0, threshold: 0}), false);
  assert.equal(accountText({id: '123456789012', alias: 'acme', label: 'PROD'}), '123456789012 (acme, PROD)');
  assert.equal(accountText({id: null, alias: null, label: null}), 'not known yet');
});
