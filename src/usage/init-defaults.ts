import type { Defaults } from '../init/types.js';
import type { UsageProfile } from './types.js';

const ID = /^[a-z0-9][a-z0-9._-]*$/;
const up = (n: number, digits: number) => Math.ceil(n * 10 ** digits) / 10 ** digits;

/**
 * `readiness init --usage LOG...`: the measured figures offered as the questionnaire's defaults, over
 * those of --from: average and peak rpm, the peak window, tokens per request, and per tenant its daily
 * requests and cost per request (tenants the log names, when --from lists none). Pure.
 */
export function withUsageDefaults(defaults: Defaults, p: UsageProfile): Defaults {
  const out: Defaults = { ...defaults };
  out.operator = { ...defaults.operator, timezone: defaults.operator?.timezone ?? p.timezone };
  out.usage = {
    ...defaults.usage,
    // never rounded to 0: the question needs a positive number
    averageRpm: p.averageRpm >= 0.01 ? up(p.averageRpm, 2) : p.averageRpm,
    peakRpm: p.peakRpm.value,
    peakWindow: p.peakWindow,
    inputTokens: Math.round(p.tokensPerRequest.input),
    outputTokens: Math.round(p.tokensPerRequest.output),
  };
  const measured = (id: string) => p.tenants.find((t) => (t.declared ?? t.id) === id || t.id === id);
  const perRequest = (t: UsageProfile['tenants'][number]) => (t.costUsd !== null && t.requests > 0 ? Number((t.costUsd / t.requests).toPrecision(4)) : undefined);
  if (defaults.tenants?.length) {
    out.tenants = defaults.tenants.map((t) => {
      const m = t.id ? measured(t.id) : undefined;
      if (!m) return t;
      const cost = perRequest(m);
      return { ...t, dailyRequests: Math.ceil(m.dailyRequests), ...(cost !== undefined ? { costPerRequestUsd: cost } : {}) };
    });
  } else {
    out.tenants = p.tenants
      .filter((t) => ID.test(t.id))
      .map((t) => {
        const cost = perRequest(t);
        return { id: t.id, team: t.id, dailyRequests: Math.ceil(t.dailyRequests), ...(cost !== undefined ? { costPerRequestUsd: cost } : {}) };
      });
  }
  return out;
}
