export function hasTmux(): boolean;
export function shellQuote(text: string): string;
export class TmuxSession {
  constructor(name: string, options?: {columns?: number; rows?: number; socket?: string});
  readonly name: string;
  tmux(...args: string[]): Promise<string>;
  start(command: string, env?: Record<string, string>): Promise<void>;
  capture(): Promise<string>;
  sendKeys(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  waitFor(predicate: (screen: string) => boolean, options?: {timeoutMs?: number; pollMs?: number}): Promise<{screen: string; elapsedMs: number}>;
  kill(): Promise<void>;
  killServer(): Promise<void>;
}
