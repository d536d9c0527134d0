/**
 * Metric families held in memory, and their Prometheus text exposition (format 0.0.4:
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format). Every series of a
 * family carries every label of the family, in the family's order (an unknown value is ""), as the
 * LiteLLM callback's series do. Output is deterministic: families in the order given, series sorted
 * by their label values.
 */

export interface FamilyDef {
  name: string;
  help: string;
  labels: readonly string[];
}

type Values = Record<string, string | null | undefined>;

function valuesOf(def: FamilyDef, values: Values): string[] {
  const out = new Array<string>(def.labels.length);
  for (let i = 0; i < def.labels.length; i++) out[i] = values[def.labels[i]] ?? '';
  return out;
}

/**
 * The map key of a series: its values joined by NUL; values holding NUL or U+0001 (never in
 * practice) are keyed by their JSON behind U+0001 instead, so two series never share a key.
 */
function keyOf(labels: readonly string[]): string {
  for (const v of labels) if (v.includes('\u0000') || v.includes('\u0001')) return `\u0001${JSON.stringify(labels)}`;
  return labels.join('\u0000');
}

abstract class Family<S> {
  protected readonly series = new Map<string, { labels: string[]; state: S }>();
  constructor(readonly def: FamilyDef) {}
  protected entry(values: Values, init: () => S): { labels: string[]; state: S } {
    const labels = valuesOf(this.def, values);
    const k = keyOf(labels);
    let e = this.series.get(k);
    if (!e) {
      e = { labels, state: init() };
      this.series.set(k, e);
    }
    return e;
  }
  protected sorted(): Array<{ labels: string[]; state: S }> {
    return [...this.series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  }
  get size(): number {
    return this.series.size;
  }
  abstract render(): string[];
}

/** Only ever grows: a counter is never decremented, so rate() sees no reset while the exporter runs. */
export class CounterFamily extends Family<{ value: number }> {
  inc(values: Values, by = 1): void {
    if (!(by >= 0) || !Number.isFinite(by)) return;
    this.entry(values, () => ({ value: 0 })).state.value += by;
  }
  value(values: Values): number | undefined {
    return this.series.get(keyOf(valuesOf(this.def, values)))?.state.value;
  }
  render(): string[] {
    return [...header(this.def, 'counter'), ...this.sorted().map((e) => sample(this.def.name, this.def.labels, e.labels, e.state.value))];
  }
}

/** Set as a whole each time (replace): a series that is no longer set disappears. */
export class GaugeFamily extends Family<{ value: number }> {
  replace(entries: Array<{ values: Values; value: number }>): void {
    this.series.clear();
    for (const { values, value } of entries) if (Number.isFinite(value)) this.entry(values, () => ({ value: 0 })).state.value = value;
  }
  value(values: Values): number | undefined {
    return this.series.get(keyOf(valuesOf(this.def, values)))?.state.value;
  }
  render(): string[] {
    return [...header(this.def, 'gauge'), ...this.sorted().map((e) => sample(this.def.name, this.def.labels, e.labels, e.state.value))];
  }
}

/** Cumulative buckets with the given upper bounds (+Inf last), _sum and _count. */
export class HistogramFamily extends Family<{ buckets: number[]; sum: number; count: number }> {
  constructor(
    def: FamilyDef,
    readonly bounds: readonly number[],
  ) {
    super(def);
    if (bounds[bounds.length - 1] !== Number.POSITIVE_INFINITY) throw new Error(`${def.name}: the last bucket must be +Inf`);
  }
  observe(values: Values, v: number): void {
    if (!Number.isFinite(v)) return;
    const e = this.entry(values, () => ({ buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]) e.state.buckets[i]++;
    e.state.sum += v;
    e.state.count++;
  }
  render(): string[] {
    const out = header(this.def, 'histogram');
    const names = [...this.def.labels, 'le'];
    for (const e of this.sorted()) {
      this.bounds.forEach((b, i) => out.push(sample(`${this.def.name}_bucket`, names, [...e.labels, formatNumber(b)], e.state.buckets[i])));
      out.push(sample(`${this.def.name}_sum`, this.def.labels, e.labels, e.state.sum));
      out.push(sample(`${this.def.name}_count`, this.def.labels, e.labels, e.state.count));
    }
    return out;
  }
}

function header(def: FamilyDef, type: string): string[] {
  return [`# HELP ${def.name} ${def.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${def.name} ${type}`];
}

/** Label values escaped as the format says: backslash, double quote, line feed. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus parses it (Go ParseFloat): +Inf, -Inf, NaN, else the shortest round-trip form. */
export function formatNumber(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(n)) return 'NaN';
  return String(n);
}

function sample(name: string, labelNames: readonly string[], values: readonly string[], value: number): string {
  const ls = labelNames.map((l, i) => `${l}="${escapeLabelValue(values[i])}"`).join(',');
  return `${name}${ls ? `{${ls}}` : ''} ${formatNumber(value)}`;
}

/** The whole exposition: each family's lines, one trailing line feed. */
export function renderFamilies(families: ReadonlyArray<{ render(): string[] }>): string {
  return `${families.flatMap((f) => f.render()).join('\n')}\n`;
}
