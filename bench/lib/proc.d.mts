export function cpuSeconds(pid: number): number;
export function rssBytes(pid: number): number;
export function childrenOf(pid: number): number[];
export function commandOf(pid: number): string;
export function findDescendant(pid: number, pattern: RegExp): number | null;
export function median(values: number[]): number;
export function treeOf(pid: number): number[];
export function treeCpuSeconds(pid: number): number;
export function treeRssBytes(pid: number): number;
export function threadCpuNanoseconds(pid: number): Map<string, number>;
export interface CpuReading {
  threads: Map<string, number>;
  ticks: number;
}
export function treeCpuReading(pid: number): CpuReading;
export function cpuSecondsBetween(before: CpuReading, after: CpuReading): {seconds: number; precise: boolean};
