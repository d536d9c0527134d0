import { costPerRequestFromPricing, type DeploymentModel } from '../manifest/model.js';
import { capacityRpm, failsOverOn429 } from './capacity.js';

/** Minutes in a day. */
const DAY_MINUTES = 24 * 60;
/** The peak window assumed when traffic.peakWindow is not stated: two hours (incident one's 17:00-19:00). */
export const DEFAULT_PEAK_WINDOW_MINUTES = 120;

/**
 * The model of a day's traffic the spend projection uses (stated in the budget-ceilings rationale):
 * the stated peak runs flat for the whole peak window (traffic.peakWindow, else two hours); the rest
 * of the day's requests spread evenly over the other hours. The day's requests are traffic.averageRpm
 * x 1,440 when stated, else the tenants' dailyRequests added up. Every tenant shares the shape.
 */
export interface DailyShape {
  peakRpm: number;
  windowMinutes: number;
  windowSource: 'peakWindow' | 'default';
  dailyRequests: number;
  dailySource: 'averageRpm' | 'tenants';
  /** the rate outside the window that makes the day add up (never below 0) */
  offPeakRpm: number;
}

/** Minutes in an HH:MM-HH:MM window (wrapping past midnight); undefined when it does not parse. */
export function windowMinutes(w: string | undefined): number | undefined {
  const m = w ? /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(w) : null;
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const d = (end - start + DAY_MINUTES) % DAY_MINUTES;
  return d === 0 ? DAY_MINUTES : d;
}

export function dailyShape(model: DeploymentModel): DailyShape | undefined {
  const peak = model.peakRpm;
  if (peak === undefined) return undefined;
  const t = model.manifest.traffic;
  const stated = windowMinutes(t?.peakWindow);
  const win = stated ?? DEFAULT_PEAK_WINDOW_MINUTES;
  const fromTenants = model.tenants.reduce((s, x) => s + (x.tenant.dailyRequests ?? 0), 0);
  const daily = t?.averageRpm !== undefined ? t.averageRpm * DAY_MINUTES : fromTenants;
  if (!(daily > 0)) return undefined;
  const offPeakRpm = win >= DAY_MINUTES ? 0 : Math.max(0, (daily - peak * win) / (DAY_MINUTES - win));
  return { peakRpm: peak, windowMinutes: win, windowSource: stated !== undefined ? 'peakWindow' : 'default', dailyRequests: daily, dailySource: t?.averageRpm !== undefined ? 'averageRpm' : 'tenants', offPeakRpm };
}

export interface SpillTarget {
  provider: string;
  /** requests a minute it takes at the peak */
  peakRpm: number;
  /** its share of the day's requests */
  shareOfDay: number;
  /** its cost per request; the primary's when it declares no pricing (then `priced` is false) */
  costPerRequestUsd: number;
  priced: boolean;
}

/** What failover carries because the primary cannot, and what that does to the cost of a request. */
export interface Spill {
  shape: DailyShape;
  primary: string;
  primaryCapacityRpm: number;
  primaryCostPerRequestUsd: number;
  targets: SpillTarget[];
  /** the share of the day's requests that go to failover targets */
  shareOfDay: number;
  /** extra USD per request, averaged over the day: sum of share x (target cost - primary cost) */
  extraCostPerRequestUsd: number;
}

/**
 * The spill-over: when failover on 429 carries what the primary cannot hold, each target (in routing
 * order, up to its own capacity) carries part of the peak, priced at its own rates. Undefined when
 * nothing spills, or when the primary's cost or capacity is unknown (nothing to price the spill against).
 */
export function spillOver(model: DeploymentModel): Spill | undefined {
  if (!failsOverOn429(model.manifest.routing?.failover) || model.failoverTargets.length === 0) return undefined;
  const shape = dailyShape(model);
  const tokens = model.manifest.traffic?.tokensPerRequest;
  const cap = capacityRpm(model.primary, model.tokensPerRequest);
  const primaryCost = costPerRequestFromPricing(model.primary, tokens);
  if (!shape || cap === undefined || primaryCost === undefined) return undefined;
  const offWindow = DAY_MINUTES - Math.min(DAY_MINUTES, shape.windowMinutes);
  // requests a minute above the primary's capacity, in the window and outside it
  let peakExcess = Math.max(0, shape.peakRpm - cap);
  let offExcess = Math.max(0, shape.offPeakRpm - cap);
  if (peakExcess <= 0 && offExcess <= 0) return undefined;
  const targets: SpillTarget[] = [];
  for (const { provider } of model.failoverTargets) {
    if (peakExcess <= 0 && offExcess <= 0) break;
    const c = capacityRpm(provider, model.tokensPerRequest) ?? Infinity;
    const atPeak = Math.min(peakExcess, c);
    const offPeak = Math.min(offExcess, c);
    peakExcess -= atPeak;
    offExcess -= offPeak;
    const own = costPerRequestFromPricing(provider, tokens);
    targets.push({
      provider: provider.id,
      peakRpm: atPeak,
      shareOfDay: (atPeak * Math.min(DAY_MINUTES, shape.windowMinutes) + offPeak * offWindow) / shape.dailyRequests,
      costPerRequestUsd: own ?? primaryCost,
      priced: own !== undefined,
    });
  }
  const shareOfDay = targets.reduce((s, t) => s + t.shareOfDay, 0);
  const extra = targets.reduce((s, t) => s + t.shareOfDay * (t.costPerRequestUsd - primaryCost), 0);
  return { shape, primary: model.primary.id, primaryCapacityRpm: cap, primaryCostPerRequestUsd: primaryCost, targets, shareOfDay, extraCostPerRequestUsd: extra };
}
