// aws/clients.ts builds an SDK client from the class its aws/sdk/<service>.ts module hands over, and in the bundle
// only modules that import their commands from there load it (from source every class is loaded up front, so the
// tests below cannot catch a missing import by running). So, read statically: no source module takes a value from
// an @aws-sdk client package except aws/sdk/*, and every module that sends through clients.<service> imports that
// service's aws/sdk module (statically or with import()).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MODULES: Record<string, string> = {lambda: 'lambda', sqs: 'sqs', cloudwatch: 'cloudwatch', logs: 'cloudwatch-logs', iam: 'iam'};

function sources(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

const files = sources(path.join(root, 'source')).filter((f) => !f.includes(`${path.sep}aws${path.sep}sdk${path.sep}`));

test('only aws/sdk/* take values from an SDK client package (elsewhere: import type)', () => {
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(?!type\b)([^;]*?)\s+from\s+'@aws-sdk\/client-[\w-]+'/gms)) {
      assert.fail(`${path.relative(root, file)} imports ${m[1]!.replace(/\s+/g, ' ')} from an SDK client package: import commands from source/aws/sdk/<service>.ts`);
    }
    assert.doesNotMatch(text, /import\(\s*'@aws-sdk\/client-/, `${path.relative(root, file)}: a dynamic import of an SDK client package`);
  }
});

test('a module that sends through clients.<service> imports that service\'s aws/sdk module', () => {
  let senders = 0;
  for (const file of files) {
    if (file.endsWith(`${path.sep}aws${path.sep}clients.ts`) || file.endsWith('lambda-pacer.ts')) continue; // the getters themselves, and a forwarding proxy
    const text = readFileSync(file, 'utf8');
    for (const m of new Set([...text.matchAll(/\bclients\.(lambda|sqs|cloudwatch|logs|iam)\.(?:send|middlewareStack)\b/g)].map((x) => x[1]!))) {
      senders++;
      assert.match(text, new RegExp(`'\\./(?:\\.\\./aws/)?sdk/${MODULES[m]}\\.ts'`), `${path.relative(root, file)} sends through clients.${m} without importing source/aws/sdk/${MODULES[m]}.ts`);
    }
  }
  assert.ok(senders >= 8, `the check saw ${senders} senders: the pattern no longer matches the code`);
});
