// Which AWS account a function lives in: its ARN, from GetFunctionConfiguration (the config file's
// per-account settings need it before a command mutates anything).
import {GetFunctionConfigurationCommand} from './sdk/lambda.ts';
import type {AwsClients} from './clients.ts';
import {call} from './call.ts';
import {parseArn} from '../domain/arn.ts';

export async function functionAccountId(clients: AwsClients, functionName: string, signal?: AbortSignal): Promise<string | null> {
  const config = await call(clients, {action: 'lambda:GetFunctionConfiguration', resource: functionName, ...(signal ? {signal} : {})}, (o) =>
    clients.lambda.send(new GetFunctionConfigurationCommand({FunctionName: functionName}), o),
  );
  return parseArn(config.FunctionArn)?.accountId || null;
}
