export declare const benchPayload: (i: number) => Record<string, unknown>;
export declare const benchError: (i: number) => string;
export declare const benchRequestId: (i: number) => string;
export declare const BENCH_QUERY: string;
export declare const BENCH_QUERIES: readonly string[];
export declare const benchHaystack: (i: number) => string;
export declare function benchMatches(typed: string, count: number): number;
export declare function formatCount(n: number): string;
