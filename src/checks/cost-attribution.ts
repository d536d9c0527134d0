import { decide } from '../evidence/decide.js';
import { fail, pass, warn } from './finding.js';
import { capabilityOf, keyCoverage } from '../gateway/capability.js';
import type { DeploymentModel } from '../manifest/model.js';
import type { UntaggedResult } from '../probe/types.js';
import type { Check, Finding } from './types.js';
import { usageAttributionFindings } from './usage-findings.js';

const DIMENSIONS = ['operator', 'team', 'useCase'] as const;

export const costAttribution: Check = {
  id: 'cost-attribution',
  title: 'Every request attributed to operator, team and use case',
  rationale:
    "Incident two: one team's batch jobs ran up 68% of the cost ($11,800 over in 18 days) and nobody could break the bill down by team. Cost is only controllable per tenant if every request carries operator, team and use-case ids at the gateway, untagged traffic is refused, and spend is aggregated at least daily.",
  remediation:
    'Require x-operator-id, x-team-id and x-use-case-id (gateway.attribution.headers) on every request at the gateway, reject requests without them (onMissing: reject), aggregate spend daily, and give every tenant a team and its use cases.',
  sources: [
    { title: 'LiteLLM: request tags and spend tracking', url: 'https://docs.litellm.ai/docs/proxy/cost_tracking' },
    { title: 'LiteLLM: tag budgets', url: 'https://docs.litellm.ai/docs/proxy/tag_budgets' },
    { title: 'FinOps Foundation: allocation', url: 'https://www.finops.org/framework/capabilities/allocation/' },
  ],
  run({ model, probe, evidence }) {
    const findings: Finding[] = [];
    const m = model.manifest;
    const attr = m.gateway?.attribution;
    const headers = attr?.headers ?? {};
    const missing = DIMENSIONS.filter((d) => !headers[d]);
    if (missing.length > 0) {
      findings.push(
        fail(
          attr?.headers ? ['gateway', 'attribution', 'headers'] : attr ? ['gateway', 'attribution'] : m.gateway ? ['gateway'] : [],
          `requests are not tagged with ${missing.join(', ')}: cost cannot be broken down by ${missing.join(', ')}`,
          `Name a required header for each in gateway.attribution.headers (${missing.map((d) => `${d}: x-${d === 'useCase' ? 'use-case' : d}-id`).join(', ')}) and have the gateway record them with every request's spend.`,
          { missing: [...missing] },
        ),
      );
    }
    const onMissing = attr?.onMissing;
    if (onMissing === 'allow') {
      findings.push(
        fail(
          ['gateway', 'attribution', 'onMissing'],
          'onMissing is allow: untagged requests pass through uncounted, so one team can spend without showing up in any breakdown',
          'Set gateway.attribution.onMissing to reject (or at least label-unattributed).',
          { onMissing },
        ),
      );
    } else if (onMissing === 'label-unattributed') {
      findings.push(
        warn(
          ['gateway', 'attribution', 'onMissing'],
          'onMissing is label-unattributed: untagged requests are counted, but under no team and no team ceiling',
          'Set gateway.attribution.onMissing to reject once every client sends the headers; until then watch the unattributed share daily.',
          { onMissing },
        ),
      );
    } else if (onMissing === undefined) {
      findings.push(
        fail(
          attr ? ['gateway', 'attribution'] : m.gateway ? ['gateway'] : [],
          'what the gateway does with untagged requests is not stated (gateway.attribution.onMissing); gateways accept them by default',
          'Set gateway.attribution.onMissing: reject, and configure the gateway to refuse requests without the attribution headers.',
          { onMissing: null },
        ),
      );
    }
    let enforcedHow = '';
    if (onMissing === 'reject') {
      const r = refusalFindings(model);
      findings.push(...r.findings);
      enforcedHow = r.how;
    }
    const aggregation = attr?.aggregation;
    if (aggregation === undefined || aggregation === 'none') {
      findings.push(
        fail(
          aggregation === undefined ? (attr ? ['gateway', 'attribution'] : m.gateway ? ['gateway'] : []) : ['gateway', 'attribution', 'aggregation'],
          aggregation === undefined
            ? 'spend aggregation is not stated (gateway.attribution.aggregation): an overrun is found at month end'
            : 'aggregation is none: spend per tenant is never rolled up, so an overrun is found at month end',
          'Set gateway.attribution.aggregation: daily (or hourly) and review per-tenant spend from it.',
          { aggregation: aggregation ?? null },
        ),
      );
    }
    if (model.tenants.length === 0) {
      findings.push(
        warn(['tenants'], 'no tenants are declared: there are no teams to attribute cost to', 'List every team and use case that will call the agent under tenants.'),
      );
    }
    for (const t of model.tenants) {
      const lacks = [!t.tenant.team ? 'a team' : '', !t.tenant.useCases?.length ? 'use cases' : ''].filter(Boolean);
      if (lacks.length > 0) {
        findings.push(
          fail(
            ['tenants', t.index],
            `tenant ${t.tenant.id} lacks ${lacks.join(' and ')}: its spend cannot be attributed`,
            `Set tenants[${t.index}].team and tenants[${t.index}].useCases to the ids its requests will carry.`,
            { tenant: t.tenant.id },
          ),
        );
      }
    }
    if (findings.length === 0) {
      findings.push(
        pass(
          ['gateway', 'attribution'],
          `every request carries ${DIMENSIONS.map((d) => headers[d]).join(', ')}; untagged requests are rejected${enforcedHow ? ` (${enforcedHow})` : ''}; spend is aggregated ${aggregation}`,
          { headers: DIMENSIONS.map((d) => headers[d] as string), onMissing: onMissing ?? null, aggregation: aggregation ?? null, tenants: model.tenants.length },
        ),
      );
    }
    if (probe?.untagged) {
      // the probe's observation of the untagged request names the evidence that decided the verdict
      const seen = decide<boolean>((evidence ?? []).filter((e) => e.origin.kind === 'probe'), 'attribution.refusesUntagged', undefined, () => false);
      for (const f of untaggedFindings(model, probe.untagged)) {
        if (seen.decidedBy) f.decidedBy = seen.decidedBy;
        findings.push(f);
      }
    }
    findings.push(...usageAttributionFindings(model, evidence));
    return findings;
  },
};

/**
 * Can the named gateway keep `onMissing: reject`? Asked of its capability table (refuse-untagged):
 * LiteLLM only through virtual keys (the generated config sets master_key and a key per tenant and
 * use case), Portkey through the generated requiredMetadataKeys guardrail, another gateway at the
 * manifest's word (the probe's untagged request confirms it). Returns no finding when it can, and how.
 */
export function refusalFindings(model: DeploymentModel): { findings: Finding[]; how: string } {
  const m = model.manifest;
  const kind = m.gateway?.kind ?? 'other';
  const by = m.gateway?.attribution?.enforcedBy ?? 'headers';
  const { gateway, cap } = capabilityOf(model, 'refuse-untagged');
  const path = ['gateway', 'attribution', m.gateway?.attribution?.enforcedBy ? 'enforcedBy' : 'onMissing'];
  const ev = { gateway: kind, enforcedBy: by, capability: cap?.can ?? null };
  if (kind === 'litellm') {
    if (by !== 'virtual-keys') {
      return {
        how: '',
        findings: [
          fail(
            path,
            `onMissing is reject, but ${gateway.title} cannot refuse a request that lacks an attribution header: header tags are recorded, never enforced (refusing requests without given params, general_settings.enforced_params, is an Enterprise feature readiness does not configure)`,
            'Set gateway.attribution.enforcedBy: virtual-keys and give each tenant and use case its own virtual key (readiness generate writes gateway/litellm.keys.json, one POST /key/generate body each, and sets master_key): a request without a valid key is then refused.',
            ev,
          ),
        ],
      };
    }
    const cov = keyCoverage(model);
    if (!cov.masterKey || cov.uncovered.length > 0) {
      return {
        how: '',
        findings: [
          fail(
            path,
            `attribution is enforced by virtual keys, but ${!cov.masterKey ? 'the generated config sets no master_key' : `no key covers ${cov.uncovered.join(', ')}`}: those requests could only be made with a key of another tenant or use case`,
            'Give every tenant its use cases (tenants[].useCases), so that readiness generate writes one virtual key for each, and issue them through POST /key/generate.',
            { ...ev, keys: cov.keys, uncovered: cov.uncovered },
          ),
        ],
      };
    }
    return { how: `by ${cov.keys} virtual keys, one per tenant and use case, with master_key set`, findings: [] };
  }
  if (by === 'virtual-keys') {
    return {
      how: '',
      findings: [
        fail(
          path,
          `attribution is declared enforced by virtual keys, but ${gateway.title} ${kind === 'portkey' ? 'has no virtual keys that carry a team (a hosted Portkey feature)' : 'is not known to readiness to issue them'}`,
          kind === 'portkey'
            ? 'Set gateway.attribution.enforcedBy: headers: the generated Portkey config refuses requests whose x-portkey-metadata lacks the attribution keys (default.requiredMetadataKeys guardrail with deny).'
            : 'Set gateway.attribution.enforcedBy: headers and configure the gateway to refuse requests without the attribution headers; confirm with readiness check --probe.',
          ev,
        ),
      ],
    };
  }
  if (cap?.can === 'no') {
    return {
      how: '',
      findings: [fail(path, `onMissing is reject, but ${gateway.title} cannot refuse untagged requests: ${cap.how}`, 'Refuse untagged requests in front of the gateway, or choose a gateway that can.', ev)],
    };
  }
  return { how: kind === 'portkey' ? 'by the generated requiredMetadataKeys guardrail with deny' : "at the manifest's word: confirm with readiness check --probe", findings: [] };
}

/** The verdict on the probe's one request sent without attribution headers. Pure. */
export function untaggedFindings(model: DeploymentModel, u: UntaggedResult): Finding[] {
  const attr = model.manifest.gateway?.attribution;
  if (attr?.onMissing !== 'reject') return [];
  const names = DIMENSIONS.map((d) => attr.headers?.[d]).filter(Boolean).join(', ');
  const path = ['gateway', 'attribution', 'onMissing'];
  const ev = { untaggedStatus: u.status, expected: '4xx', onMissing: 'reject' };
  if (u.status !== null && u.status >= 200 && u.status < 300) {
    return [
      fail(
        path,
        `probe: a request without ${names} got ${u.status} from the gateway (expected: refused with 4xx, since onMissing is reject); untagged traffic is accepted and its cost goes unattributed`,
        'Configure the gateway to refuse requests without the attribution (LiteLLM: virtual keys with master_key set, gateway.attribution.enforcedBy: virtual-keys; Portkey: the generated requiredMetadataKeys guardrail; otherwise a guard in front of the gateway), then probe again.',
        ev,
      ),
    ];
  }
  if (u.status !== null && u.status >= 400 && u.status < 500 && u.status !== 429 && u.status !== 408) {
    return [pass(path, `probe: a request without ${names} was refused with ${u.status} (expected: 4xx)`, ev)];
  }
  return [
    warn(
      path,
      `probe: could not tell whether untagged requests are refused: the request without ${names} got ${u.status ?? `no response (${u.error ?? 'error'})`} (expected: 4xx)`,
      'Send one request without the attribution headers while the gateway is healthy and confirm it is refused.',
      { ...ev, error: u.error ?? null },
    ),
  ];
}
