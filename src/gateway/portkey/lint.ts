import type { DeploymentModel } from '../../manifest/model.js';
import type { Provider } from '../../manifest/types.js';
import { Collector, nearest, readerFindings, secretFindings } from '../../drift/common.js';
import type { LintResult } from '../../drift/types.js';
import { type CMap, type CNode, get, items, joinPath, num, readConfig, str } from '../../drift/yaml.js';
import {
  PORTKEY_CACHE_KEYS,
  PORTKEY_REQUIRED_METADATA_CHECK,
  PORTKEY_RETRY_KEYS,
  PORTKEY_SECRET_KEYS,
  PORTKEY_STRATEGY_KEYS,
  PORTKEY_TARGET_KEYS,
  READINESS_PORTKEY_KEYS,
} from './config-keys.js';

/**
 * The reader and linter of a Portkey gateway config (a saved config, or the JSON a client sends as
 * x-portkey-config). Pure: text in, findings and observed figures out.
 */

const PLACEHOLDER = /^\$\{([A-Z_][A-Z0-9_]*)\}$/;
// a ${VAR} placeholder the client fills, or a Portkey virtual key reference, is not a literal secret
const isRef = (v: string) => PLACEHOLDER.test(v);

function checkKeys(c: Collector, n: CNode | undefined, known: readonly string[], path: string, what: string): void {
  if (n?.kind !== 'map') return;
  for (const e of n.entries) {
    if (known.includes(e.key)) continue;
    const near = nearest(e.key, known, Math.max(2, Math.floor(e.key.length / 3)));
    const p = joinPath(path, e.key);
    c.add(
      'unknown-key',
      e.keyPos,
      p,
      near ? `${p}: Portkey reads no key "${e.key}" in ${what}; did you mean "${near}"? As written it is dropped` : `${p}: "${e.key}" is not a key Portkey reads in ${what}: it is dropped`,
      near ? { remediation: `Rename ${e.key} to ${near}.` } : { status: 'warn', remediation: `Remove ${e.key}.` },
    );
  }
}

interface Target {
  node: CMap;
  path: string;
  provider?: Provider;
}

function walkTargets(c: Collector, n: CMap, path: string, out: Target[], isRoot: boolean): void {
  checkKeys(c, n, isRoot ? [...PORTKEY_TARGET_KEYS, ...READINESS_PORTKEY_KEYS] : [...PORTKEY_TARGET_KEYS, '//'], path, isRoot ? 'a config' : 'a target');
  checkKeys(c, get(n, 'strategy'), PORTKEY_STRATEGY_KEYS, joinPath(path, 'strategy'), 'strategy');
  checkKeys(c, get(n, 'retry'), PORTKEY_RETRY_KEYS, joinPath(path, 'retry'), 'retry');
  checkKeys(c, get(n, 'cache'), PORTKEY_CACHE_KEYS, joinPath(path, 'cache'), 'cache');
  const ts = get(n, 'targets');
  items(ts).forEach((t, i) => {
    if (t.kind !== 'map') return;
    const tp = `${path ? `${path}.` : ''}targets[${i}]`;
    if (get(t, 'targets')) walkTargets(c, t, tp, out, false);
    else {
      checkKeys(c, t, [...PORTKEY_TARGET_KEYS, '//'], tp, 'a target');
      checkKeys(c, get(t, 'retry'), PORTKEY_RETRY_KEYS, joinPath(tp, 'retry'), 'retry');
      out.push({ node: t, path: tp });
    }
  });
}

/** Attribution keys the config refuses requests without: input_guardrails requiredMetadataKeys with deny. */
function requiredMetadata(n: CNode | undefined): string[] {
  const out: string[] = [];
  const scan = (list: CNode | undefined) => {
    for (const g of items(list)) {
      if (g.kind !== 'map') continue;
      const deny = get(g, 'deny');
      if (deny?.kind !== 'scalar' || deny.value !== true) continue;
      for (const e of g.entries) {
        if (e.key === PORTKEY_REQUIRED_METADATA_CHECK || e.key === `default.${PORTKEY_REQUIRED_METADATA_CHECK}`) {
          out.push(...items(get(e.value, 'metadataKeys')).map(str).filter((s): s is string => s !== undefined));
        }
      }
    }
  };
  scan(get(n, 'input_guardrails'));
  scan(get(n, 'default_input_guardrails'));
  return out;
}

export function lintPortkeyConfig(text: string, file: string, model?: DeploymentModel): LintResult {
  const read = readConfig(text, file, 'json');
  const c = new Collector(file);
  readerFindings(c, read, 'Portkey');
  const root = read.root;
  if (root.kind !== 'map') {
    c.add('unknown-key', root.pos, '', 'not a Portkey config: expected a JSON object with strategy and targets (or provider)', { status: 'fail' });
    return c;
  }
  const targets: Target[] = [];
  if (get(root, 'targets')) walkTargets(c, root, '', targets, true);
  else {
    checkKeys(c, root, [...PORTKEY_TARGET_KEYS, ...READINESS_PORTKEY_KEYS], '', 'a config');
    targets.push({ node: root, path: '' });
  }
  secretFindings(c, root, PORTKEY_SECRET_KEYS, isRef);
  if (!model) return c;
  const m = model.manifest;
  // targets <-> providers: by the model they override, then by order
  for (const t of targets) {
    const mdl = str(get(get(t.node, 'override_params'), 'model'));
    t.provider = m.providers.find((p) => p.model === mdl && (p.baseUrl === undefined || p.baseUrl === str(get(t.node, 'custom_host'))));
  }
  const chain = [model.primary, ...(m.routing?.failover?.mode === 'automatic' ? model.failoverTargets.map((t) => t.provider) : [])];
  for (const p of chain) {
    if (!targets.some((t) => t.provider === p)) c.add('model-missing', (get(root, 'targets') ?? root).pos, 'targets', `provider ${p.id} (${p.vendor} ${p.model}) is not a target (no target overrides model ${p.model})`);
  }
  for (const t of targets) {
    if (!t.provider) {
      c.add('model-not-declared', t.node.pos, t.path, `${t.path || 'the config'} (${str(get(t.node, 'provider')) ?? 'no provider'} ${str(get(get(t.node, 'override_params'), 'model')) ?? ''}) is not a provider of the manifest`.replace(' )', ')'));
      continue;
    }
    const p = t.provider;
    const key = p.vendor === 'aws-bedrock' ? 'aws_secret_access_key' : 'api_key';
    const v = get(t.node, key);
    const ref = str(v) !== undefined ? PLACEHOLDER.exec(str(v) as string) : null;
    if (p.apiKeyEnv && ref && ref[1] !== p.apiKeyEnv) {
      c.add('env-reference-mismatch', v!.pos, joinPath(t.path, key), `${joinPath(t.path, key)} is \${${ref[1]}}, but the manifest provisions ${p.apiKeyEnv} for ${p.id}`, {
        remediation: `Write "${key}": "\${${p.apiKeyEnv}}", or set providers[].apiKeyEnv to ${ref[1]}.`,
      });
    }
  }
  // strategy
  const strategy = get(root, 'strategy');
  const mode = str(get(strategy, 'mode'));
  const order = targets.filter((t) => t.provider).map((t) => t.provider!.id);
  const spos = (strategy ?? root).pos;
  c.observe({ figure: 'failover.mode', value: mode === 'fallback' && targets.length > 1 ? 'automatic' : 'none', line: spos.line, column: spos.column, note: `strategy.mode: ${mode ?? 'not set'}` });
  if (mode === 'fallback') c.observe({ figure: 'failover.targets', value: order.slice(1), line: spos.line, column: spos.column });
  const codesNode = get(strategy, 'on_status_codes');
  const codes = items(codesNode).map(num).filter((x): x is number => x !== undefined);
  if (mode === 'fallback' && codesNode) c.observe({ figure: 'failover.onStatus', value: codes, line: codesNode.pos.line, column: codesNode.pos.column });
  const declaredTargets = model.failoverTargets.map((t) => t.provider.id);
  if (m.routing?.failover?.mode === 'automatic' && declaredTargets.length > 0) {
    if (mode !== 'fallback') {
      c.add('fallbacks-missing', spos, strategy ? 'strategy.mode' : '', `routing.failover is automatic to ${declaredTargets.join(', ')}, but strategy.mode is ${mode ?? 'not set'}: Portkey does not fall back`);
    } else {
      const want = [model.primary.id, ...declaredTargets];
      if (order.join('\u0000') !== want.join('\u0000')) {
        c.add('fallbacks-order', (get(root, 'targets') ?? root).pos, 'targets', `targets are in the order [${order.join(', ')}], routing is [${want.join(', ')}]: Portkey tries them in the order listed`);
      }
      if (codesNode) {
        const declared = [...new Set([429, ...(m.routing?.failover?.onStatus ?? [])])];
        const missing = declared.filter((s) => !codes.includes(s));
        if (missing.length) {
          c.add('fallback-status', codesNode.pos, 'strategy.on_status_codes', `strategy.on_status_codes [${codes.join(', ')}] lacks ${missing.join(', ')}: Portkey does not fall back on ${missing.length > 1 ? 'them' : 'it'}${missing.includes(429) ? ', so a rate-limited primary is never left' : ''}`);
        }
      }
    }
  }
  // timeout
  if (num(get(root, 'request_timeout')) === undefined && !targets.every((t) => num(get(t.node, 'request_timeout')) !== undefined)) {
    c.add('timeout-missing', root.pos, '', 'no request_timeout (at the root or on every target): Portkey waits as long as the provider takes', {
      remediation: 'Set request_timeout (milliseconds) at the root, below the client timeout, so a hanging provider fails over.',
    });
  }
  // attribution required
  const required = new Set([...requiredMetadata(root), ...targets.flatMap((t) => requiredMetadata(t.node))]);
  const keys = Object.entries(m.gateway?.attribution?.headers ?? {}).filter(([, h]) => h).map(([dim]) => ({ operator: 'operator_id', team: 'team_id', useCase: 'use_case_id' })[dim as 'operator' | 'team' | 'useCase']);
  const refuses = keys.length > 0 && keys.every((k) => required.has(k));
  c.observe({ figure: 'attribution.refusesUntagged', value: refuses, line: root.pos.line, column: root.pos.column, note: refuses ? `requiredMetadataKeys ${[...required].join(', ')} with deny` : 'no requiredMetadataKeys guardrail with deny for every attribution key' });
  if (m.gateway?.attribution?.onMissing === 'reject' && keys.length > 0 && !refuses) {
    const missing = keys.filter((k) => !required.has(k));
    c.add('attribution-not-required', (get(root, 'input_guardrails') ?? root).pos, 'input_guardrails', `onMissing is reject, but no input guardrail requiredMetadataKeys with deny: true requires ${missing.join(', ')}: Portkey serves untagged requests`);
  }
  return c;
}
