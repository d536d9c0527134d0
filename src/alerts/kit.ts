/**
 * Helpers for the alerts' promtool cases: figures just either side of a threshold, promtool series
 * notation, input series in the exporter's own label shape, and the exact annotation text an alert
 * instance carries (the Go template functions ported in src/generate/gotemplate.ts).
 */
import { plain } from '../util/numbers.js';
import { goG, humanize, humanizeDuration, humanizePercentage } from '../generate/gotemplate.js';
import type { MetricRef } from '../generate/metrics.js';
import type { AlertRule, ExpAlert, TestKit } from './types.js';

/** Rounds to 3 significant digits, up or down: test figures stay clear of %.4g rounding ties. */
export function sig3(v: number, dir: 'up' | 'down'): number {
  if (v === 0) return 0;
  const e = Math.floor(Math.log10(Math.abs(v))) - 2;
  const scale = 10 ** e;
  const r = (dir === 'up' ? Math.ceil(v / scale - 1e-9) : Math.floor(v / scale + 1e-9)) * scale;
  return Number(plain(r, 12));
}
/** Just above and just below a threshold (1%). */
export const above = (thr: number) => {
  const v = sig3(thr * 1.01, 'up');
  return v > thr ? v : sig3(thr * 1.02, 'up');
};
export const below = (thr: number) => {
  const v = sig3(thr * 0.99, 'down');
  return v < thr ? v : sig3(thr * 0.98, 'down');
};

export const lbl = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
/** promtool series notation: start, then `+step` n times */
export const ramp = (perStep: number, n: number, start = 0) => `${plain(start, 10)}+${plain(perStep, 10)}x${n}`;
/** n missing samples, then the rest: a series that does not exist yet */
export const bornAt = (missing: number, rest: string) => (missing > 0 ? `_x${missing} ${rest}` : rest);

/** The labels an exporter sets that a test does not care about, with plausible values (LiteLLM's and OTel's names). */
const FILLER: Record<string, (l: Record<string, string>) => string> = {
  end_user: () => '',
  user: () => '',
  hashed_api_key: (l) => `sk-hash-${l.team ?? 'none'}`,
  api_key_alias: (l) => (l.team ? `${l.team}-agent` : ''),
  team_alias: (l) => l.team ?? '',
  team: () => '',
  requested_model: () => 'primary',
  model: (l) => l.requested_model ?? 'primary',
  litellm_model_name: (l) => (l.model_id ? `openai/${l.model_id}` : ''),
  model_id: () => '',
  api_base: (l) => (l.model_id ? 'https://api.openai.com/v1' : ''),
  api_provider: (l) => (l.model_id ? 'openai' : ''),
  exception_status: () => '',
  exception_class: (l) => (l.exception_status === '429' ? 'RateLimitError' : ''),
  status_code: () => '200',
  gen_ai_operation_name: () => 'chat',
  gen_ai_provider_name: () => 'openai',
  gen_ai_request_model: () => 'gpt-4o',
  error_type: () => '',
};

/** A series in the exporter's shape: every exported label (empty ones left out, as Prometheus drops them), plus instance and job. */
export function exporterSeries(ref: MetricRef, labels: Record<string, string>, suffix = ''): string {
  const out: Record<string, string> = {};
  const names = [...(ref.exported ?? ref.labels)];
  for (const k of names) {
    const v = k in labels ? labels[k] : (FILLER[k]?.(labels) ?? '');
    if (v !== '') out[k] = v;
  }
  for (const [k, v] of Object.entries(labels)) if (!(k in out) && v !== '') out[k] = v;
  if (!('instance' in out)) out.instance = ref.source === 'agent' ? 'agent-0:9464' : 'litellm-0:4000';
  if (!('job' in out)) out.job = ref.source === 'agent' ? 'agent' : 'litellm';
  return `${ref.name}${suffix}${lbl(out)}`;
}

/** Expands the few template forms the rules use, for one alert instance. */
function expand(text: string, labels: Record<string, string>, value: number, queries: Record<string, number>): string {
  return text
    .replace(/\{\{ with printf "([^"]*?)\{[^}]*=%q\}" \$labels\.\w+ \| query \}\}\{\{ \. \| first \| value \| (humanize|printf "%\.4g") \}\}\{\{ end \}\}/g, (_, s: string, fmt: string) => {
      const v = queries[s];
      if (v === undefined) throw new Error(`no expected value for query ${s}`);
      return fmt === 'humanize' ? humanize(v) : goG(v);
    })
    .replace(/\{\{ with printf "sum\(increase\(([^{]*)\{[^}]*\}\[[^\]]*\]\)\)" \$labels\.\w+ \| query \}\}\{\{ \. \| first \| value \| humanize \}\}\{\{ end \}\}/g, (_, s: string) => {
      if (queries[s] === undefined) throw new Error(`no expected value for query ${s}`);
      return humanize(queries[s]);
    })
    .replace(/\{\{ with query "([^"]*)" \}\}\{\{ \. \| first \| value \| (humanizeDuration|printf "%\.0f") \}\}\{\{ end \}\}/g, (_, s: string, fmt: string) => {
      if (queries[s] === undefined) throw new Error(`no expected value for query ${s}`);
      return fmt === 'humanizeDuration' ? humanizeDuration(queries[s]) : String(Math.round(queries[s]));
    })
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k] ?? '')
    .replace(/\{\{ \$value \| humanizePercentage \}\}/g, humanizePercentage(value))
    .replace(/\{\{ \$value \| humanizeDuration \}\}/g, humanizeDuration(value))
    .replace(/\{\{ \$value \| humanize \}\}/g, humanize(value));
}

export const KIT: TestKit = {
  expAlert(rule: AlertRule, labels: Record<string, string>, value: number, queries: Record<string, number> = {}): ExpAlert {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(rule.annotations)) {
      const text = expand(v, labels, value, queries);
      if (text.includes('{{')) throw new Error(`unexpanded template in ${rule.alert}.${k}: ${text}`);
      out[k] = text;
    }
    return { exp_labels: { ...labels, ...rule.labels }, exp_annotations: out };
  },
  series: exporterSeries,
};

/** `{{ with printf "<series>{team=%q}" $labels.team | query }}{{ . | first | value | <fmt> }}{{ end }}` */
export function teamQuery(series: string, fmt: string, label = 'team'): string {
  return `{{ with printf "${series}{${label}=%q}" $labels.${label} | query }}{{ . | first | value | ${fmt} }}{{ end }}`;
}

export const runbookUrl = (base: string, alert: string) => `${base}#${alert.toLowerCase()}`;
