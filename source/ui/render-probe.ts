// A test-only probe: components count their renders here while `enabled` is set, so tests can prove that
// a clock tick or a syncing flip redraws the header and not the panels. Off, it costs one branch per render.
export const renderProbe = {
  enabled: false,
  counts: {} as Record<string, number>,
  reset(): void {
    this.counts = {};
  },
};

export function countRender(name: string): void {
  if (renderProbe.enabled) renderProbe.counts[name] = (renderProbe.counts[name] ?? 0) + 1;
}
