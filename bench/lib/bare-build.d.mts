export function buildBare(name: string, outDir?: string): Promise<string>;
