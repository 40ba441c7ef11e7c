export type Align = 'left' | 'right';

/** A GitHub markdown table; `align` per column (default: first column left, the rest right). */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[], align?: readonly Align[]): string {
  const aligns = headers.map((_, i) => align?.[i] ?? (i === 0 ? 'left' : 'right'));
  const cell = (value: string | number) => String(value).replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${aligns.map((a) => (a === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

export const fmt = {
  /** Milliseconds with sensible precision. */
  ms(value: number): string {
    if (!Number.isFinite(value)) return 'n/a';
    return value < 10 ? `${value.toFixed(2)} ms` : value < 100 ? `${value.toFixed(1)} ms` : `${Math.round(value).toLocaleString('en-US')} ms`;
  },
  seconds(ms: number): string {
    return Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a';
  },
  /** An integer with thousands separators. */
  int(value: number): string {
    return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
  },
  /** Bytes as MB (10^6), the unit BENCHMARKS.md uses throughout. */
  mb(bytes: number | undefined): string {
    return bytes === undefined || !Number.isFinite(bytes) ? 'n/a' : `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;
  },
  ratio(value: number): string {
    return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
  },
};
