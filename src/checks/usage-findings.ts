/**
 * What usage logs (readiness check --usage) add to the checks: the measured figures arrive as an
 * EvidenceSet of kind 'usage' (src/usage/evidence.ts) and are judged through decide(), each finding naming
 * the evidence that decided it (Finding.decidedBy). Small helpers, called from the checks they belong to.
 */
import { decide, describeOrigin, larger } from '../evidence/decide.js';
import type { DecidedBy, EvidenceSet } from '../evidence/types.js';
import type { DeploymentModel } from '../manifest/model.js';
import { DEFAULTS } from '../manifest/model.js';
import { int, pct, plain, usd } from '../util/numbers.js';
import { formatBusinessHours } from '../usage/business-hours.js';
import { fail, pass, warn } from './finding.js';
import type { Finding } from './types.js';

/** A measured peak this far above the declared one is a finding of its own. */
export const MEASURED_PEAK_TOLERANCE = 0.1;

const usage = (evidence: readonly EvidenceSet[] | undefined) => (evidence ?? []).filter((e) => e.origin.kind === 'usage');

export interface MeasuredTraffic {
  /** the model with the peak (and tokens per request) the verdict rests on: the larger of declared and measured */
  model: DeploymentModel;
  rpm: { value?: number; declared?: number; by?: DecidedBy };
  tpm: { value?: number; declared?: number; by?: DecidedBy };
}

/** The peak rpm and peak tpm to size for: the larger of the declared and the measured, per figure. */
export function measuredTraffic(model: DeploymentModel, evidence: readonly EvidenceSet[]): MeasuredTraffic {
  const ev = usage(evidence);
  const rpm = decide(ev, 'traffic.peakRpm', model.peakRpm, larger);
  const declaredTpm = model.peakRpm !== undefined && model.tokensPerRequest !== undefined ? model.peakRpm * model.tokensPerRequest : undefined;
  const tpm = decide(ev, 'traffic.peakTpm', declaredTpm, larger);
  if (!rpm.decidedBy && !tpm.decidedBy) return { model, rpm: { value: rpm.value, declared: rpm.declared }, tpm: { value: tpm.value, declared: tpm.declared } };
  const peak = rpm.value;
  // the checks size tokens as peak x tokens per request: pick the tokens per request that gives the judged tpm
  const tokens = peak !== undefined && peak > 0 && tpm.value !== undefined ? tpm.value / peak : model.tokensPerRequest;
  return {
    model: { ...model, peakRpm: peak, tokensPerRequest: tokens },
    rpm: { value: rpm.value, declared: rpm.declared, by: rpm.decidedBy },
    tpm: { value: tpm.value, declared: tpm.declared, by: tpm.decidedBy },
  };
}

/**
 * Marks the sizing findings that rest on a measured peak (decidedBy, both figures), and adds a finding per
 * measured peak above the declared one by more than 10% (the manifest understates the operator's peak).
 */
export function measuredTrafficFindings(declared: DeploymentModel, t: MeasuredTraffic, sizing: Finding[], evidence: readonly EvidenceSet[]): Finding[] {
  const ev = usage(evidence);
  if (ev.length === 0) return [];
  const by = t.rpm.by ?? t.tpm.by;
  if (by) {
    for (const f of sizing) {
      if (!f.evidence || !('peakRpm' in f.evidence)) continue;
      f.decidedBy = by;
      const parts = [
        t.rpm.by ? `peak ${plain(t.rpm.value ?? 0)} rpm measured (declared ${t.rpm.declared !== undefined ? `${plain(t.rpm.declared)} rpm` : 'none'})` : '',
        t.tpm.by ? `peak ${int(t.tpm.value ?? 0)} tpm measured (declared ${t.tpm.declared !== undefined ? `${int(t.tpm.declared)} tpm` : 'none'})` : '',
      ].filter(Boolean);
      f.message += ` [${parts.join('; ')}: ${describeOrigin(by)}]`;
      f.evidence = { ...f.evidence, declaredPeakRpm: t.rpm.declared ?? null, measuredPeakRpm: t.rpm.by ? (t.rpm.value ?? null) : null, declaredPeakTpm: t.tpm.declared ?? null, measuredPeakTpm: t.tpm.by ? (t.tpm.value ?? null) : null };
    }
  }
  const out: Finding[] = [];
  const peakPath = declared.peakSource === 'peakMultiplier' ? ['traffic', 'peakMultiplier'] : ['traffic', 'peakRpm'];
  for (const figure of ['traffic.peakRpm', 'traffic.peakTpm'] as const) {
    const d = decide(ev, figure, figure === 'traffic.peakRpm' ? t.rpm.declared : t.tpm.declared, larger);
    const o = d.observed[0];
    if (!o) continue;
    const unit = figure === 'traffic.peakRpm' ? 'rpm' : 'tpm';
    const shown = (n: number) => (unit === 'rpm' ? plain(n) : int(n));
    const where = describeOrigin(o.by);
    const at = o.by.note ? `, ${o.by.note}` : '';
    const path = figure === 'traffic.peakRpm' ? peakPath : ['traffic', 'tokensPerRequest'];
    const evidenceOut = { figure, measured: o.value, declared: d.declared ?? null, tolerance: MEASURED_PEAK_TOLERANCE };
    let f: Finding;
    if (d.declared === undefined) {
      if (unit === 'tpm' && t.rpm.declared === undefined) continue;
      f = warn(
        path,
        `measured peak ${shown(o.value)} ${unit}${at} (${where}); the manifest declares none, so the measured peak decided`,
        unit === 'rpm' ? `Set traffic.peakRpm to at least ${plain(Math.ceil(o.value))} (the generated alerts and the probe use the declared peak).` : `Set traffic.tokensPerRequest from the log's means (readiness usage prints them).`,
        evidenceOut,
      );
    } else if (o.value > d.declared * (1 + MEASURED_PEAK_TOLERANCE)) {
      f = fail(
        path,
        `measured peak ${shown(o.value)} ${unit}${at} is ${pct(o.value / d.declared - 1)} above the declared ${shown(d.declared)} ${unit} (${where}): the manifest understates the operator's peak`,
        unit === 'rpm'
          ? `Set traffic.peakRpm to at least ${plain(Math.ceil(o.value))} and size the limits, alerts and probe for it.`
          : `Raise traffic.tokensPerRequest (or traffic.peakRpm) so that peak tokens per minute cover ${int(o.value)}, and size the tpm limits for it.`,
        evidenceOut,
      );
    } else {
      f = pass(path, `measured peak ${shown(o.value)} ${unit}${at} is within ${pct(MEASURED_PEAK_TOLERANCE)} of the declared ${shown(d.declared)} ${unit} or below it (${where})`, evidenceOut);
    }
    f.decidedBy = o.by;
    out.push(f);
  }
  return out;
}

/** Untagged requests in the log: a contradiction of onMissing: reject, else a share to watch. */
export function usageAttributionFindings(model: DeploymentModel, evidence: readonly EvidenceSet[]): Finding[] {
  const ev = usage(evidence);
  const count = decide(ev, 'attribution.untaggedRequests', undefined as number | undefined, larger);
  if (count.value === undefined || !count.decidedBy) return [];
  const share = decide(ev, 'attribution.untaggedShare', undefined as number | undefined, larger).value ?? 0;
  const onMissing = model.manifest.gateway?.attribution?.onMissing;
  const path = onMissing !== undefined ? ['gateway', 'attribution', 'onMissing'] : model.manifest.gateway?.attribution ? ['gateway', 'attribution'] : ['gateway'];
  const where = describeOrigin(count.decidedBy);
  const n = count.value;
  const evidenceOut = { untaggedRequests: n, untaggedShare: share, onMissing: onMissing ?? null };
  let f: Finding;
  if (n === 0) f = pass(path, `every request in the log carries a tenant (${where})`, evidenceOut);
  else if (onMissing === 'reject') {
    f = fail(
      path,
      `${int(n)} requests (${pct(share)}) in the log carry no tenant, though onMissing is reject (${where}): untagged traffic gets through today`,
      'Find the clients that send no attribution (the log names their requests) and make the gateway refuse untagged requests before go-live.',
      evidenceOut,
    );
  } else {
    f = warn(path, `${int(n)} requests (${pct(share)}) in the log carry no tenant (${where}): their cost falls under no team and no team ceiling`, 'Tag every client before go-live, then set gateway.attribution.onMissing: reject.', evidenceOut);
  }
  f.decidedBy = count.decidedBy;
  return [f];
}

/**
 * Budgets against measured spend: each declared tenant projected from its measured daily spend (when that is
 * larger than the declared), a tenant seen in the log but not declared, and a heavy off-hours tenant named
 * with its share of the cost.
 */
export function usageBudgetFindings(model: DeploymentModel, evidence: readonly EvidenceSet[]): Finding[] {
  const ev = usage(evidence);
  if (ev.length === 0) return [];
  const out: Finding[] = [];
  const frac = model.alertAtFraction;
  for (const t of model.tenants) {
    const id = t.tenant.id;
    const budget = t.tenant.budget?.monthlyUsd;
    const d = decide(ev, 'tenant.dailySpendUsd', t.dailySpendUsd, larger, id);
    if (budget === undefined || !d.decidedBy || d.value === undefined) continue;
    const monthly = d.value * DEFAULTS.daysPerMonth;
    const where = describeOrigin(d.decidedBy);
    const figures = `measured ${usd(d.value)}/day x ${DEFAULTS.daysPerMonth} = ${usd(monthly)}/month, ${pct(monthly / budget)} of its ${usd(budget)} budget (declared ${t.dailySpendUsd !== undefined ? `${usd(t.dailySpendUsd)}/day` : 'no daily spend'}; ${where})`;
    const evidenceOut = { tenant: id, budgetUsd: budget, measuredDailySpendUsd: d.value, declaredDailySpendUsd: t.dailySpendUsd ?? null, projectedMonthlyUsd: Number(plain(monthly, 2)) };
    const path = ['tenants', t.index, 'budget', 'monthlyUsd'];
    let f: Finding;
    if (monthly > budget) {
      f = fail(path, `tenant ${id} is projected over budget from its measured spend: ${figures}`, `Raise tenants[${t.index}].budget.monthlyUsd to at least ${usd(Math.ceil(monthly / frac))}, or cut its volume before go-live.`, evidenceOut);
    } else if (monthly >= frac * budget) {
      f = warn(path, `tenant ${id} reaches the ${pct(frac)} alert in an ordinary month on its measured spend: ${figures}`, `Raise tenants[${t.index}].budget.monthlyUsd above ${usd(monthly / frac)}, or plan for the alert.`, evidenceOut);
    } else {
      f = pass(path, `tenant ${id} fits its budget on its measured spend: ${figures}`, evidenceOut);
    }
    f.decidedBy = d.decidedBy;
    out.push(f);
  }
  for (const set of ev) {
    const seen = set.observations.filter((o) => o.figure === 'tenant.exists' && o.value === true && o.subject !== undefined);
    for (const o of seen) {
      const id = o.subject as string;
      const get = (figure: string) => set.observations.find((x) => x.figure === figure && x.subject === id)?.value as number | undefined;
      const daily = get('tenant.dailyRequests');
      const spend = get('tenant.dailySpendUsd');
      const share = get('tenant.costShare');
      const f = fail(
        ['tenants'],
        `tenant ${id} is in the usage log (${plain(daily ?? 0, 1)} requests/day${spend !== undefined ? `, ${usd(spend)}/day` : ''}${share !== undefined ? `, ${pct(share)} of the cost` : ''}) but not in the manifest: no budget and no limit covers it (${describeOrigin({ ...set.origin })})`,
        `Declare ${id} under tenants (id or team ${id}) with its budget and limits, or stop its traffic before go-live.`,
        { tenant: id, dailyRequests: daily ?? null, dailySpendUsd: spend ?? null, costShare: share ?? null },
      );
      f.decidedBy = { ...set.origin, note: o.note };
      out.push(f);
    }
    for (const o of set.observations) {
      if (o.figure !== 'tenant.offHoursShare' || o.note !== 'off-hours batch' || o.subject === undefined) continue;
      const id = o.subject;
      const share = set.observations.find((x) => x.figure === 'tenant.costShare' && x.subject === id)?.value as number | undefined;
      const t = model.tenants.find((x) => x.tenant.id === id);
      const hours = formatBusinessHours(model.manifest.operator?.businessHours ?? {});
      const f = warn(
        t ? ['tenants', t.index] : ['tenants'],
        `tenant ${id} is an off-hours batch: ${pct(o.value as number)} of its requests fall outside business hours (${hours}, ${model.manifest.operator?.timezone ?? 'the log time zone'})${share !== undefined ? ` and it carries ${pct(share)} of the cost` : ''} (${describeOrigin(set.origin)}): its spend runs while nobody watches`,
        `Give ${id} its own budget enforced by the gateway (budgets.onExceeded: block or throttle) and an rpm limit, and page on its alert out of hours.`,
        { tenant: id, offHoursShare: o.value as number, costShare: share ?? null },
      );
      f.decidedBy = { ...set.origin, note: o.note };
      out.push(f);
    }
  }
  return out;
}
