// Imported first by the snapshot's entry (snapshot-entry.ts): what Node's own start-up snapshot support needs
// around the modules it holds.
//
// V8 cannot put Intl objects (a Segmenter, a
// Collator, a NumberFormat...) in a start-up snapshot, and several modules make one when they are loaded
// (string-width, slice-ansi, Ink, the failed-events list's collator). While the snapshot is built, each Intl
// constructor makes a stand-in that creates the real object at its first use, after deserialising (so with the
// run's own locale and time zone, as a start without the snapshot would); once deserialised, the real
// constructors are back for everything made later.
import v8 from 'node:v8';

type IntlConstructor = new (...args: unknown[]) => object;

const NAMES = ['Collator', 'DateTimeFormat', 'DisplayNames', 'DurationFormat', 'ListFormat', 'Locale', 'NumberFormat', 'PluralRules', 'RelativeTimeFormat', 'Segmenter'] as const;

/** An object of Real's prototype whose methods and getters are those of `new Real(...args)`, made at the first use
 * (no Proxy: string-width and Ink call a segmenter for every string they measure). */
export function lazyIntlObject(Real: IntlConstructor, args: unknown[]): object {
  let real: Record<PropertyKey, unknown> | undefined;
  const target = (): Record<PropertyKey, unknown> => (real ??= new Real(...args) as Record<PropertyKey, unknown>);
  const standIn = Object.create(Real.prototype) as object;
  for (const key of Reflect.ownKeys(Real.prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(Real.prototype, key)!;
    if (key === 'constructor') continue;
    if (typeof descriptor.value === 'function') {
      Object.defineProperty(standIn, key, {configurable: true, writable: true, value: (...a: unknown[]) => (target()[key] as (...b: unknown[]) => unknown)(...a)});
    } else if (descriptor.get) {
      Object.defineProperty(standIn, key, {configurable: true, get: () => target()[key]});
    }
  }
  return standIn;
}

if (v8.startupSnapshot.isBuildingSnapshot()) {
  // Node 24 deserialises the global console with `console.Console` undefined (even in an empty snapshot), and Ink
  // makes its console patch with `new console.Console(...)`: the class, as it was while building, is put back.
  const RealConsole = console.Console;
  v8.startupSnapshot.addDeserializeCallback(() => {
    if (console.Console === undefined) console.Console = RealConsole;
  });
  const intl = Intl as unknown as Record<string, IntlConstructor | undefined>;
  for (const name of NAMES) {
    const Real = intl[name];
    if (typeof Real !== 'function') continue;
    const Lazy = function (this: unknown, ...args: unknown[]) {
      return lazyIntlObject(Real, args);
    } as unknown as IntlConstructor & Record<string, unknown>;
    Object.setPrototypeOf(Lazy, Real);
    Lazy.prototype = Real.prototype;
    intl[name] = Lazy;
    v8.startupSnapshot.addDeserializeCallback(() => {
      intl[name] = Real;
    });
  }
}
