export interface FunctionLogEvent {
  event: string;
  script: string;
  start: number;
  end: number;
  ms: number;
  at: number;
}
export function readFunctionLog(log: string): {scripts: Map<string, string>; events: FunctionLogEvent[]};
