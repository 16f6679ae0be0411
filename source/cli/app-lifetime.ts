// How an interactive screen ends: SIGTERM / SIGHUP quit what is on screen the way `q` does (so a redrive finishes
// its batch and peeked messages are released), then the cleanup runs, whatever ended the app.
import type {FunctionStack} from '../app/function-stack.ts';

/** Waits for the Ink app to exit, quitting on SIGTERM / SIGHUP with `quit`, and runs `cleanup` after. */
export async function runUntilExit(app: {waitUntilExit(): Promise<unknown>}, quit: () => void, cleanup: () => Promise<void>): Promise<void> {
  process.on('SIGTERM', quit);
  process.on('SIGHUP', quit);
  try {
    await app.waitUntilExit();
  } finally {
    process.off('SIGTERM', quit);
    process.off('SIGHUP', quit);
    await cleanup();
  }
}

/** Quits the dashboard on top of the stack when one is open, else what is below it (`base`). */
export function quitTopOr(stack: FunctionStack | null, base: () => void): void {
  const top = stack?.top();
  if (top) top.controller.actions.quit();
  else base();
}
