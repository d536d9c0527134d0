import { formatBusinessHours, parseBusinessHours } from '../usage/business-hours.js';
import type { BusinessHours } from '../manifest/types.js';
import { buildModel } from '../manifest/model.js';
import type { Manifest, Provider, Tenant } from '../manifest/types.js';
import type { Answers, Defaults, Draft } from './types.js';

/** Drops keys whose value is undefined, and returns undefined for an object left empty. */
function compact<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The manifest the answers describe, in the schema's key order. Tolerates a draft (answers still
 * missing) so that the questionnaire can run the checks' own code on what it knows so far.
 * `base` (the manifest being revised with --from) supplies what the questionnaire does not ask:
 * metadata.owner, gateway.metrics, slo.maxErrorRate, probe and waivers.
 */
export function answersToManifest(a: Draft | Answers, base?: Manifest): Manifest {
  const d = (a.deployment ?? {}) as Draft['deployment'] & object;
  const u = (a.usage ?? {}) as Draft['usage'] & object;
  const r = (a.routing ?? {}) as Draft['routing'] & object;
  const g = (a.gateway ?? {}) as Draft['gateway'] & object;
  const b = (a.budgets ?? {}) as Draft['budgets'] & object;
  const au = (a.audit ?? {}) as Draft['audit'] & object;
  const providers: Provider[] = (a.providers ?? []).map(
    (p) =>
      (compact({
        id: p.id,
        vendor: p.vendor,
        model: p.model,
        baseUrl: p.baseUrl,
        limits: compact({ rpm: p.rpm, tpm: p.tpm }),
        pricing:
          p.inputPerMTok !== undefined && p.outputPerMTok !== undefined ? { inputPerMTok: p.inputPerMTok, outputPerMTok: p.outputPerMTok } : undefined,
        apiKeyEnv: p.apiKeyEnv,
      }) ?? {}) as Provider,
  );
  const tenants: Tenant[] = (a.tenants ?? []).map(
    (t) =>
      (compact({
        id: t.id,
        team: t.team,
        useCases: t.useCases,
        dailyRequests: t.dailyRequests,
        costPerRequestUsd: t.costPerRequestUsd,
        limits: compact({ rpm: t.rpm, tpm: t.tpm }),
        budget: compact({ monthlyUsd: t.monthlyBudgetUsd }),
      }) ?? {}) as Tenant,
  );
  const failover =
    r.failover === undefined
      ? undefined
      : r.failover === 'automatic'
        ? compact({ mode: r.failover, targets: r.targets, onStatus: r.onStatus })
        : r.failover === 'manual'
          ? { mode: r.failover, manual: compact({ runbook: r.runbook, slaMinutes: r.slaMinutes }) ?? {} }
          : { mode: r.failover };
  const tokens =
    u.inputTokens !== undefined && u.outputTokens !== undefined ? { input: u.inputTokens, output: u.outputTokens } : undefined;
  const sinkNone = au.sink === 'none';
  const m: Manifest = {
    apiVersion: 'readiness/v1',
    kind: 'AgentDeployment',
    metadata: compact({
      name: d.name ?? base?.metadata.name ?? 'unnamed',
      operator: d.operator,
      environment: d.environment,
      agentVersion: d.agentVersion,
      owner: base?.metadata.owner,
    }) as Manifest['metadata'],
    operator: compact({
      industry: a.operator?.industry,
      frameworks: a.operator?.frameworks?.length ? a.operator.frameworks : undefined,
      timezone: a.operator?.timezone,
      businessHours: a.operator?.businessHours ? (parseBusinessHours(a.operator.businessHours) as BusinessHours) : undefined,
    }),
    traffic: compact({ averageRpm: u.averageRpm, peakRpm: u.peakRpm, peakWindow: u.peakWindow, tokensPerRequest: tokens }),
    providers,
    routing: compact({
      primary: r.primary,
      failover,
      burst: r.burst === undefined ? undefined : compact({ strategy: r.burst, maxWaitSeconds: r.burst === 'none' ? undefined : r.maxWaitSeconds }),
    }),
    gateway: compact({
      kind: g.kind,
      edition: g.edition,
      endpoint: g.endpoint,
      // not asked: replicas and Redis (the generated LiteLLM config reads Redis from the environment when replicas > 1)
      replicas: base?.gateway?.replicas,
      redis: base?.gateway?.redis,
      attribution: compact({
        headers: compact({ operator: g.operatorHeader, team: g.teamHeader, useCase: g.useCaseHeader }),
        onMissing: g.onMissing,
        enforcedBy: g.enforcedBy,
        aggregation: g.aggregation,
      }),
      // asked: what serves the metrics (open-source LiteLLM); not asked: the metric names and runbook URL
      metrics: g.metricsSource !== undefined ? { ...base?.gateway?.metrics, source: g.metricsSource } : base?.gateway?.metrics,
    }),
    tenants: a.tenants !== undefined ? tenants : undefined,
    budgets: compact({ accountMonthlyUsd: b.accountMonthlyUsd, alertAtFraction: b.alertAtFraction, alertByDay: b.alertByDay, onExceeded: b.onExceeded }),
    audit:
      au.sink === undefined
        ? undefined
        : compact({
            sink: compact({ kind: au.sink, mode: sinkNone ? undefined : au.mode, retentionDays: sinkNone ? undefined : au.retentionDays }),
            writeOnce: sinkNone ? undefined : au.writeOnce,
            businessObject: sinkNone ? undefined : au.businessObject,
            fields: sinkNone ? undefined : au.fields,
          }),
    // the questionnaire asks the latency objective; an error-rate objective from --from is kept
    slo: compact({ ...base?.slo, steadyP99Ms: u.steadyP99Ms }),
    probe: base?.probe,
    waivers: base?.waivers,
  };
  return compact(m) as Manifest;
}

/** An existing manifest as answers, to serve as the questionnaire's defaults (--from). */
export function manifestToAnswers(m: Manifest): Defaults {
  const model = buildModel(m);
  const attr = m.gateway?.attribution;
  const f = m.routing?.failover;
  const out: Defaults = {
    deployment: compact({ name: m.metadata.name, operator: m.metadata.operator, environment: m.metadata.environment, agentVersion: m.metadata.agentVersion }),
    operator: compact({ industry: m.operator?.industry, frameworks: m.operator?.frameworks, timezone: m.operator?.timezone, businessHours: formatBusinessHours(m.operator?.businessHours) }),
    usage: compact({
      averageRpm: m.traffic?.averageRpm,
      peakRpm: model.peakRpm,
      peakWindow: m.traffic?.peakWindow,
      inputTokens: m.traffic?.tokensPerRequest?.input,
      outputTokens: m.traffic?.tokensPerRequest?.output,
      steadyP99Ms: m.slo?.steadyP99Ms,
    }),
    providers: m.providers.map(
      (p) =>
        compact({
          id: p.id,
          vendor: p.vendor,
          model: p.model,
          baseUrl: p.baseUrl,
          rpm: p.limits?.rpm,
          tpm: p.limits?.tpm,
          inputPerMTok: p.pricing?.inputPerMTok,
          outputPerMTok: p.pricing?.outputPerMTok,
          apiKeyEnv: p.apiKeyEnv,
        }) ?? {},
    ),
    routing: compact({
      primary: m.routing?.primary ?? m.providers[0]?.id,
      failover: f?.mode,
      targets: f?.targets,
      onStatus: f?.onStatus,
      runbook: f?.manual?.runbook,
      slaMinutes: f?.manual?.slaMinutes,
      burst: m.routing?.burst?.strategy,
      maxWaitSeconds: m.routing?.burst?.maxWaitSeconds,
    }),
    gateway: compact({
      kind: m.gateway?.kind,
      endpoint: m.gateway?.endpoint,
      operatorHeader: attr?.headers?.operator,
      teamHeader: attr?.headers?.team,
      useCaseHeader: attr?.headers?.useCase,
      onMissing: attr?.onMissing,
      enforcedBy: attr?.enforcedBy,
      aggregation: attr?.aggregation,
      edition: m.gateway?.edition,
      metricsSource: m.gateway?.metrics?.source,
    }),
    tenants: (m.tenants ?? []).map(
      (t) =>
        compact({
          id: t.id,
          team: t.team,
          useCases: t.useCases,
          dailyRequests: t.dailyRequests,
          costPerRequestUsd: t.costPerRequestUsd,
          rpm: t.limits?.rpm,
          tpm: t.limits?.tpm,
          monthlyBudgetUsd: t.budget?.monthlyUsd,
        }) ?? {},
    ),
    budgets: compact({
      accountMonthlyUsd: m.budgets?.accountMonthlyUsd,
      alertAtFraction: m.budgets?.alertAtFraction,
      alertByDay: m.budgets?.alertByDay,
      onExceeded: m.budgets?.onExceeded,
    }),
    audit: compact({
      sink: m.audit?.sink?.kind,
      mode: m.audit?.sink?.mode,
      writeOnce: m.audit?.writeOnce,
      retentionDays: m.audit?.sink?.retentionDays,
      businessObject: m.audit?.businessObject,
      fields: m.audit?.fields,
    }),
  };
  return compact(out) ?? {};
}
