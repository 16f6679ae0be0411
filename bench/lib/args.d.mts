export function argument<T extends string | number | null>(name: string, fallback: T): string | T;
export function has(name: string): boolean;
