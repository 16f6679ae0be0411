// JSON text made safe for a terminal without changing what it parses to. JSON.stringify escapes C0 controls
// but leaves DEL, the C1 controls (U+009B is an 8-bit CSI, U+009D an OSC), bidi overrides (U+202E), zero-width
// and other invisible format characters, line/paragraph separators and tag characters as they are; a terminal
// acts on some and hides others. Here each becomes a JSON `\uXXXX` escape (astral ones as their surrogate pair),
// which JSON.parse reads back to the very same string. Outside strings JSON text is ASCII, so this only ever
// touches string contents. For a pipe or a file the bytes stay exact: callers use it only for a terminal.

// Same set as the sanitiser's visible escapes (source/domain/sanitize.ts), by UTF-16 code unit; tag characters
// U+E0000–U+E007F are the surrogate pairs \udb40\udc00–\udb40\udc7f.
const UNSAFE = /[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff]|\udb40[\udc00-\udc7f]/g;

const escapeUnit = (unit: string): string => {
  let out = '';
  for (let i = 0; i < unit.length; i++) out += `\\u${unit.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
};

/** `text` (JSON, or JSON lines) with every terminal-unsafe character written as a `\u` escape. */
export function escapeJsonForTerminal(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escapeUnit) : text;
}
