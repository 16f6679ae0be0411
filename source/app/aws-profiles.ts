// Reads the AWS shared config files for the profile picker: AWS_CONFIG_FILE (default ~/.aws/config) and
// AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials), as the SDK does. A missing file is no profiles;
// an unreadable one is said, and the other is still read. Parsing is domain/aws-profiles.ts.
import {readFile} from 'node:fs/promises';
import {homedir} from 'node:os';
import path from 'node:path';
import {parseAwsProfiles, type AwsProfile} from '../domain/aws-profiles.ts';

export interface AwsFilesEnv {
  AWS_CONFIG_FILE?: string | undefined;
  AWS_SHARED_CREDENTIALS_FILE?: string | undefined;
  HOME?: string | undefined;
}

export function awsFilePaths(env: AwsFilesEnv = process.env): {config: string; credentials: string} {
  const home = env.HOME && env.HOME.length > 0 ? env.HOME : homedir();
  const expand = (p: string): string => (p.startsWith('~/') ? path.join(home, p.slice(2)) : p);
  return {
    config: expand(env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials')),
  };
}

export async function readAwsProfiles(env: AwsFilesEnv = process.env): Promise<{profiles: AwsProfile[]; problems: string[]}> {
  const paths = awsFilePaths(env);
  const problems: string[] = [];
  const read = async (file: string): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as {code?: string}).code;
      if (code !== 'ENOENT') problems.push(`${file}: ${code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
      return '';
    }
  };
  const [config, credentials] = await Promise.all([read(paths.config), read(paths.credentials)]);
  return {profiles: parseAwsProfiles(config, credentials), problems};
}
