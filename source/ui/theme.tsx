// Colour is used for meaning only: red = loss / critical, yellow = warning / stale / throttling,
// green = healthy, cyan = structure (titles, keys), magenta = demo. With colour off every role maps to
// no colour (bold / inverse / dim still carry emphasis), so the screen reads the same in monochrome.
import React, {createContext, useContext, type ReactNode} from 'react';
import type {Severity} from '../domain/types.ts';

export interface Theme {
  color: boolean;
  critical: string | undefined;
  warning: string | undefined;
  ok: string | undefined;
  info: string | undefined;
  accent: string | undefined;
  key: string | undefined;
  demo: string | undefined;
  muted: string | undefined;
  json: {key: string | undefined; string: string | undefined; number: string | undefined; literal: string | undefined; punct: string | undefined};
}

export function makeTheme(color: boolean): Theme {
  const c = (name: string): string | undefined => (color ? name : undefined);
  return {
    color,
    critical: c('red'),
    warning: c('yellow'),
    ok: c('green'),
    info: c('blue'),
    accent: c('cyan'),
    key: c('cyan'),
    demo: c('magenta'),
    muted: c('gray'),
    json: {key: c('cyan'), string: c('green'), number: c('yellow'), literal: c('magenta'), punct: c('gray')},
  };
}

const ThemeContext = createContext<Theme>(makeTheme(true));

export function ThemeProvider({theme, children}: {theme: Theme; children: ReactNode}): React.JSX.Element {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export const useTheme = (): Theme => useContext(ThemeContext);

export function severityColor(theme: Theme, severity: Severity): string | undefined {
  return severity === 'critical' ? theme.critical : severity === 'warning' ? theme.warning : theme.info;
}

export const SEVERITY_ICON: Record<Severity, string> = {critical: '✖', warning: '▲', info: '●'};
export const SEVERITY_RANK: Record<Severity, number> = {critical: 0, warning: 1, info: 2};
