// The dashboards opened on top of a base screen (the fleet table, or the dashboard of --function): enter on a
// Lambda destination pushes that function's dashboard (a store and controller of its own), esc pops it and the
// one below comes back as it was (its store was kept; its polling was paused, not stopped, and resumes).
// fleet -> A -> (enter) B -> esc -> A -> esc -> fleet.
import type {Store} from '../store/index.ts';
import type {Controller} from './controller.ts';

export interface OpenDashboard {
  name: string;
  store: Store;
  controller: Controller;
}

export interface FunctionStackOptions {
  /** Builds the store and controller of `name`, wired to the stack's back and open (not started). */
  build(name: string, hooks: {onBack: () => void; onOpenFunction: (name: string) => void}): {store: Store; controller: Controller};
  /** Draws an opened dashboard, or the base screen (null). */
  show(top: OpenDashboard | null): void;
  /** The base screen is covered (the fleet pauses its metrics; the --function dashboard pauses its polling). */
  leaveBase(): void;
  /** The base screen is on top again. */
  returnToBase(): void;
}

export interface FunctionStack {
  open(name: string): void;
  back(): void;
  top(): OpenDashboard | null;
  /** Stops every opened dashboard (at exit). */
  stopAll(): Promise<void>;
}

export function createFunctionStack(options: FunctionStackOptions): FunctionStack {
  const stack: OpenDashboard[] = [];
  const self = {
    open(name: string) {
      const below = stack[stack.length - 1];
      if (below) below.controller.pause();
      else options.leaveBase();
      const built = options.build(name, {onBack: () => self.back(), onOpenFunction: (next) => self.open(next)});
      const entry = {name, ...built};
      stack.push(entry);
      options.show(entry);
      entry.controller.start();
    },
    back() {
      const leaving = stack.pop();
      if (!leaving) return;
      void leaving.controller.stop();
      const top = stack[stack.length - 1] ?? null;
      options.show(top);
      if (top) top.controller.resume();
      else options.returnToBase();
    },
    top: () => stack[stack.length - 1] ?? null,
    async stopAll() {
      await Promise.all(stack.splice(0).map((e) => e.controller.stop()));
    },
  };
  return self;
}
