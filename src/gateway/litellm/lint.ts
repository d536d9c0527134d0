import type { DeploymentModel } from '../../manifest/model.js';
import type { Provider } from '../../manifest/types.js';
import { Collector, nearest, readerFindings, secretFindings } from '../../drift/common.js';
import type { LintResult } from '../../drift/types.js';
import { type CMap, type CNode, type Pos, entry, get, items, joinPath, num, readConfig, str, strings, toJS } from '../../drift/yaml.js';
import { exporterFeeds } from '../../alerts/feeds.js';
import { LITELLM_LOG_SWITCHES, LITELLM_ROWS_TEXT, switchStops } from './metrics-sources.js';
import { LITELLM_ENV_PREFIX, LITELLM_KEY_GROUPS, LITELLM_PROMETHEUS_CALLBACK, LITELLM_SECRET_KEYS, type KeyGroup } from './config-keys.js';

/**
 * The reader and linter of a deployed LiteLLM proxy config (config.yaml, as PyYAML reads it) and of its
 * teams and keys (as GET /team/list and GET /key/list return them, or as `readiness generate` writes the
 * /team/new bodies). Pure: text in, findings and observed figures out. Used by `readiness drift` and
 * `readiness check --gateway-config`.
 */

const ENV_REF = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;
const isRef = (v: string) => v.startsWith(LITELLM_ENV_PREFIX);

function group(section: string): KeyGroup | undefined {
  return LITELLM_KEY_GROUPS.find((g) => g.section === section);
}

function checkKeys(c: Collector, n: CNode | undefined, section: string, path: string): void {
  const g = group(section);
  if (!g || g.mode === 'free' || n?.kind !== 'map') return;
  for (const e of n.entries) {
    if (g.keys.includes(e.key)) continue;
    const near = nearest(e.key, g.keys, g.mode === 'strict' ? Math.max(2, Math.floor(e.key.length / 3)) : 2);
    const where = section === '' ? 'at the root' : `in ${section}`;
    if (near) {
      c.add('unknown-key', e.keyPos, joinPath(path, e.key), `${joinPath(path, e.key)}: LiteLLM reads no key "${e.key}" ${where}; did you mean "${near}"? As written it is ignored`, {
        remediation: `Rename ${e.key} to ${near}.`,
      });
    } else if (g.mode === 'strict') {
      c.add('unknown-key', e.keyPos, joinPath(path, e.key), `${joinPath(path, e.key)}: "${e.key}" is not a key LiteLLM reads ${where} (not in its documented keys): it is ignored`, {
        status: 'warn',
        remediation: `Remove ${e.key}, or move it to the section that reads it (see docs/drift.md for the documented keys).`,
      });
    }
  }
}

/** The deployment entries of model_list, with the provider of the manifest each stands for. */
interface Deployment {
  index: number;
  node: CMap;
  path: string;
  modelName?: string;
  id?: string;
  model?: string;
  provider?: Provider;
}

function deployments(root: CNode, model?: DeploymentModel): Deployment[] {
  const out: Deployment[] = [];
  items(get(root, 'model_list')).forEach((n, index) => {
    if (n.kind !== 'map') return;
    const params = get(n, 'litellm_params');
    const d: Deployment = { index, node: n, path: `model_list[${index}]`, modelName: str(get(n, 'model_name')), id: str(get(get(n, 'model_info'), 'id')), model: str(get(params, 'model')) };
    if (model) {
      const providers = model.manifest.providers;
      d.provider = providers.find((p) => p.id === d.id) ?? providers.find((p) => p.id === d.modelName);
    }
    out.push(d);
  });
  return out;
}

function credentialKey(p: Provider): string {
  return p.vendor === 'aws-bedrock' ? 'aws_secret_access_key' : p.vendor === 'google-vertex' ? 'vertex_credentials' : 'api_key';
}

function at(n: CNode | undefined, fallback: Pos): Pos {
  return n?.pos ?? fallback;
}

const samePrice = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-12);

export function lintLitellmConfig(text: string, file: string, model?: DeploymentModel): LintResult {
  const read = readConfig(text, file, 'yaml-1.1');
  const c = new Collector(file);
  const root = read.root;
  readerFindings(c, read, 'LiteLLM (PyYAML)');
  if (root.kind !== 'map') {
    c.add('unknown-key', root.pos, '', 'the file is not a mapping of sections (model_list, litellm_settings, ...): LiteLLM reads nothing from it');
    return c;
  }
  checkKeys(c, root, '', '');
  const deps = deployments(root, model);
  for (const d of deps) {
    checkKeys(c, d.node, 'model_list[]', d.path);
    checkKeys(c, get(d.node, 'litellm_params'), 'model_list[].litellm_params', `${d.path}.litellm_params`);
    checkKeys(c, get(d.node, 'model_info'), 'model_list[].model_info', `${d.path}.model_info`);
  }
  for (const s of ['litellm_settings', 'general_settings', 'router_settings']) checkKeys(c, get(root, s), s, s);
  checkKeys(c, get(get(root, 'router_settings'), 'retry_policy'), 'router_settings.retry_policy', 'router_settings.retry_policy');
  secretFindings(c, root, LITELLM_SECRET_KEYS, isRef, { envSection: 'environment_variables' });
  if (model) driftFromManifest(c, root, deps, model);
  return c;
}

function driftFromManifest(c: Collector, root: CMap, deps: Deployment[], model: DeploymentModel): void {
  const m = model.manifest;
  const top = root.pos;
  const ls = get(root, 'litellm_settings');
  const gs = get(root, 'general_settings');
  const rs = get(root, 'router_settings');
  // providers <-> deployments
  for (const p of m.providers) {
    const mine = deps.filter((d) => d.provider === p);
    if (mine.length === 0) {
      c.add('model-missing', at(get(root, 'model_list'), top), 'model_list', `provider ${p.id} (${p.vendor} ${p.model}) has no deployment in model_list (model_name or model_info.id ${p.id})`);
      continue;
    }
    for (const d of mine) {
      const params = get(d.node, 'litellm_params');
      const modelNode = get(params, 'model');
      if (d.model !== undefined && d.model !== p.model && !d.model.endsWith(`/${p.model}`)) {
        c.add('model-mismatch', at(modelNode, d.node.pos), `${d.path}.litellm_params.model`, `${d.path} (${p.id}) calls ${JSON.stringify(d.model)}, the manifest declares ${p.vendor} ${p.model}`);
      }
      // the credential's variable
      const ck = credentialKey(p);
      const cred = entry(params, ck);
      const ref = cred && str(cred.value) !== undefined ? ENV_REF.exec(str(cred.value) as string) : null;
      if (p.apiKeyEnv && ref && ref[1] !== p.apiKeyEnv) {
        c.add('env-reference-mismatch', cred!.value.pos, `${d.path}.litellm_params.${ck}`, `${d.path}.litellm_params.${ck} reads os.environ/${ref[1]}, but the manifest provisions ${p.apiKeyEnv} for ${p.id}`, {
          remediation: `Write ${ck}: os.environ/${p.apiKeyEnv}, or set providers[].apiKeyEnv to ${ref[1]}.`,
        });
      }
      // limits: litellm_params.rpm, else rpm beside litellm_params
      for (const dim of ['rpm', 'tpm'] as const) {
        const node = get(params, dim) ?? get(d.node, dim);
        const deployed = num(node);
        const declared = p.limits?.[dim];
        const where = get(params, dim) ? `${d.path}.litellm_params.${dim}` : `${d.path}.${dim}`;
        if (deployed !== undefined) {
          c.observe({ figure: dim === 'rpm' ? 'provider.rpm' : 'provider.tpm', subject: p.id, value: deployed, line: node!.pos.line, column: node!.pos.column, note: `${where}: ${deployed}` });
        }
        if (declared === undefined) continue;
        if (deployed === undefined) {
          c.add('limit-drift', at(params, d.node.pos), `${d.path}.litellm_params`, `${d.path} (${p.id}) sets no ${dim}: LiteLLM does not keep it under the declared ${declared} ${dim}`, {
            status: 'warn',
            remediation: `Set ${d.path}.litellm_params.${dim}: ${declared}.`,
          });
        } else if (deployed > declared) {
          c.add('limit-drift', node!.pos, where, `${where} is ${deployed}, above ${p.id}'s declared ${declared} ${dim}: the gateway sends more than the provider grants, and the provider answers 429`, {
            remediation: `Set ${where} to ${declared}, or raise the provider limit and the manifest together.`,
          });
        } else if (deployed < declared) {
          c.add('limit-drift', node!.pos, where, `${where} is ${deployed}, below ${p.id}'s declared ${declared} ${dim}: the gateway caps the deployment under what the review sized`, {
            status: 'warn',
            remediation: `Set ${where} to ${declared}, or lower providers[].limits.${dim} to ${deployed} and re-run readiness check.`,
          });
        }
      }
      // prices, where set
      for (const [k, dim] of [['input_cost_per_token', 'inputPerMTok'], ['output_cost_per_token', 'outputPerMTok']] as const) {
        const node = get(params, k) ?? get(get(d.node, 'model_info'), k);
        const deployed = num(node);
        if (deployed === undefined) continue;
        c.observe({ figure: dim === 'inputPerMTok' ? 'provider.pricing.inputPerMTok' : 'provider.pricing.outputPerMTok', subject: p.id, value: deployed * 1e6, line: node!.pos.line, column: node!.pos.column });
        const declared = p.pricing?.[dim];
        if (declared !== undefined && !samePrice(deployed, declared / 1e6)) {
          c.add('price-drift', node!.pos, `${d.path}.${k}`, `${d.path} (${p.id}) ${k} is ${deployed} USD, the manifest prices ${declared} USD per million tokens (${declared / 1e6} per token)`);
        }
      }
    }
  }
  for (const d of deps) {
    if (!d.provider) {
      c.add('model-not-declared', d.node.pos, d.path, `${d.path} (${d.modelName ?? d.model ?? 'unnamed'}) is not a provider of the manifest (no provider id equals its model_name or model_info.id)`);
    }
  }
  // fallbacks for the primary
  const idOf = (name: string) => deps.find((d) => d.modelName === name)?.provider?.id ?? name;
  const fbNode = get(rs, 'fallbacks') ?? get(ls, 'fallbacks');
  const primaryNames = new Set(deps.filter((d) => d.provider === model.primary).map((d) => d.modelName).filter(Boolean) as string[]);
  primaryNames.add(model.primary.id);
  let deployedTargets: string[] | undefined;
  let targetsNode: CNode | undefined;
  for (const f of items(fbNode)) {
    if (f.kind !== 'map') continue;
    for (const e of f.entries) {
      if (primaryNames.has(e.key)) {
        deployedTargets = strings(e.value).map(idOf);
        targetsNode = e.value;
      }
    }
  }
  const modelNames = new Set(deps.map((d) => d.modelName).filter((n): n is string => n !== undefined));
  const unknownTargets = targetsNode ? strings(targetsNode).filter((n) => !modelNames.has(n)) : [];
  if (unknownTargets.length && targetsNode) {
    c.add('fallbacks-order', targetsNode.pos, 'router_settings.fallbacks', `fallbacks for ${model.primary.id} name ${unknownTargets.join(', ')}, which ${unknownTargets.length > 1 ? 'are' : 'is'} no model_name in model_list: LiteLLM cannot fall back there`, {
      remediation: `Name model_list model_name values in the fallbacks (${[...modelNames].join(', ')}).`,
    });
  }
  const fo = m.routing?.failover;
  const declaredTargets = model.failoverTargets.map((t) => t.provider.id);
  const automatic = fo?.mode === 'automatic' && declaredTargets.length > 0;
  const fbPos = at(targetsNode ?? fbNode ?? rs, top);
  c.observe({ figure: 'failover.mode', value: deployedTargets?.length ? 'automatic' : 'none', line: fbPos.line, column: fbPos.column, note: deployedTargets?.length ? `fallbacks for ${model.primary.id}: ${deployedTargets.join(', ')}` : `no fallbacks for ${model.primary.id}` });
  if (deployedTargets) c.observe({ figure: 'failover.targets', value: deployedTargets, line: fbPos.line, column: fbPos.column });
  if (automatic) {
    if (!deployedTargets?.length) {
      c.add('fallbacks-missing', fbPos, fbNode ? 'router_settings.fallbacks' : 'router_settings', `routing.failover is automatic to ${declaredTargets.join(', ')}, but ${fbNode ? 'router_settings.fallbacks has no entry for' : 'no router_settings.fallbacks is deployed for'} ${model.primary.id}: LiteLLM returns its 429 to the client`, {
        remediation: `Add router_settings.fallbacks: [{${model.primary.id}: [${declaredTargets.join(', ')}]}].`,
      });
    } else if (deployedTargets.join('\u0000') !== declaredTargets.join('\u0000')) {
      c.add('fallbacks-order', fbPos, 'router_settings.fallbacks', `fallbacks for ${model.primary.id} are [${deployedTargets.join(', ')}], routing.failover.targets are [${declaredTargets.join(', ')}]`);
    }
    const rp = get(rs, 'retry_policy');
    if (num(get(rp, 'RateLimitErrorRetries')) === undefined) {
      c.add('retry-policy-429', at(rp ?? rs, top), rp ? 'router_settings.retry_policy' : 'router_settings', `no retry_policy.RateLimitErrorRetries: num_retries (${num(get(rs, 'num_retries')) ?? num(get(ls, 'num_retries')) ?? 'default'}) also retries a rate-limited ${model.primary.id} before the fallback to ${declaredTargets[0]}`);
    }
  }
  // timeouts
  const hasTimeout = num(get(rs, 'timeout')) !== undefined || num(get(ls, 'request_timeout')) !== undefined || (deps.length > 0 && deps.every((d) => num(get(get(d.node, 'litellm_params'), 'timeout')) !== undefined));
  if (!hasTimeout) {
    c.add('timeout-missing', at(rs ?? ls, top), rs ? 'router_settings' : '', 'no request timeout (router_settings.timeout, litellm_settings.request_timeout or litellm_params.timeout on every deployment): LiteLLM waits up to its default of 6000 s for a provider that hangs', {
      remediation: 'Set router_settings.timeout (seconds), below the client timeout, so a hanging provider fails over.',
    });
  }
  // what feeds the alerts: the Prometheus callback, or readiness exporter over the database
  const exporter = m.gateway?.metrics?.source === 'readiness-exporter';
  for (const sw of LITELLM_LOG_SWITCHES) {
    const e = entry(gs, sw.key);
    if (!e) continue;
    const value = toJS(e.value);
    const stops = switchStops(sw, value);
    const where = `${sw.section}.${sw.key}`;
    c.observe({ figure: 'gateway.logsDisabled', subject: sw.key, value: stops, line: e.value.pos.line, column: e.value.pos.column, note: `${where}: ${JSON.stringify(value)}` });
    if (!stops || !exporter) continue;
    const hit = exporterFeeds(m, new Set(sw.stops)).filter((f) => f.state !== 'fed');
    const silent = hit.filter((f) => f.state === 'silent').map((f) => f.alert);
    const incomplete = hit.filter((f) => f.state === 'incomplete').map((f) => f.alert);
    const effect = [silent.length ? `${silent.join(', ')} ${silent.length === 1 ? 'stays' : 'stay'} silent` : '', incomplete.length ? `${incomplete.join(', ')} ${incomplete.length === 1 ? 'reads' : 'read'} incomplete series` : ''].filter(Boolean).join('; ');
    c.add(
      'exporter-logs-disabled',
      e.value.pos,
      where,
      `${where} is ${JSON.stringify(value)}${sw.effective === 'not-false' && value !== true ? ` (LiteLLM keeps the rows only for a boolean false)` : ''}: LiteLLM does not write ${sw.stops.map((r) => LITELLM_ROWS_TEXT[r]).join(' and ')}, which readiness exporter (gateway.metrics.source) reads${effect ? `: ${effect}` : ''}`,
      { remediation: `Remove ${where} (or set it to false) so the exporter sees ${sw.key === 'disable_spend_updates' ? 'every request and the teams\' spend' : 'every request'}.` },
    );
  }
  const callbacks = [...strings(get(ls, 'callbacks')), ...strings(get(ls, 'success_callback'))];
  // with readiness exporter the callback is not what the alerts read (and open source has none)
  if (!exporter && !callbacks.includes(LITELLM_PROMETHEUS_CALLBACK)) {
    c.add('prometheus-callback-missing', at(get(ls, 'callbacks') ?? ls, top), ls ? 'litellm_settings.callbacks' : '', `"prometheus" is not in litellm_settings.callbacks${callbacks.length ? ` (${callbacks.join(', ')})` : ''}: /metrics exports none of the litellm_* series the alerts query`);
  }
  // attribution headers as spend tags
  const headers = Object.values(m.gateway?.attribution?.headers ?? {}).filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase());
  if (headers.length) {
    const tagged = new Set(strings(get(ls, 'extra_spend_tag_headers')).map((h) => h.toLowerCase()));
    const missing = headers.filter((h) => !tagged.has(h));
    if (missing.length) {
      c.add('spend-tag-headers-missing', at(get(ls, 'extra_spend_tag_headers') ?? ls, top), 'litellm_settings.extra_spend_tag_headers', `attribution header${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in litellm_settings.extra_spend_tag_headers: spend is recorded without ${missing.length > 1 ? 'them' : 'it'}`);
    }
  }
  // master key and database when there are teams or budgets to enforce
  const needsDb = model.tenants.some((t) => t.tenant.budget?.monthlyUsd !== undefined || t.tenant.limits?.rpm !== undefined || t.tenant.limits?.tpm !== undefined);
  if (needsDb) {
    if (str(get(gs, 'master_key')) === undefined) {
      c.add('master-key-missing', at(gs, top), gs ? 'general_settings' : '', `the manifest has ${model.tenants.length} tenant${model.tenants.length === 1 ? '' : 's'} with budgets or limits, but general_settings.master_key is not set: LiteLLM enforces no team, key or budget without it`);
    }
    const env = get(root, 'environment_variables');
    if (str(get(gs, 'database_url')) === undefined && str(get(env, 'DATABASE_URL')) === undefined) {
      c.add('database-missing', at(gs, top), gs ? 'general_settings' : '', 'no general_settings.database_url (or environment_variables.DATABASE_URL): teams and budgets need the proxy database (unless DATABASE_URL is set in the environment the proxy runs in)');
    }
  }
  // replicas share limits only through Redis
  const replicas = (m.gateway as { replicas?: number } | undefined)?.replicas ?? 1;
  if (replicas > 1 && str(get(rs, 'redis_host')) === undefined && str(get(rs, 'redis_url')) === undefined && !get(gs, 'coordination_redis')) {
    c.add('redis-missing', at(rs, top), rs ? 'router_settings' : '', `gateway.replicas is ${replicas}, but router_settings names no Redis (redis_host or redis_url): each replica enforces the rpm/tpm limits on its own, ${replicas}x what the provider grants`);
  }
}

// ---------------------------------------------------------------------------------------------
// Teams and keys (admin API lists, or the /team/new bodies readiness generate writes)
// ---------------------------------------------------------------------------------------------

function listOf(root: CNode, key: string): { list: CNode[]; node: CNode } {
  if (root.kind === 'seq') return { list: root.items, node: root };
  const inner = get(root, key) ?? get(root, 'data');
  if (inner?.kind === 'seq') return { list: inner.items, node: inner };
  return { list: [], node: root };
}

export function lintLitellmTeams(text: string, file: string, model?: DeploymentModel): LintResult {
  const read = readConfig(text, file, 'json');
  const c = new Collector(file);
  readerFindings(c, read, 'LiteLLM');
  const { list, node } = listOf(read.root, 'teams');
  if (node.kind !== 'seq') {
    c.add('unknown-key', read.root.pos, '', 'not a list of teams: expected a JSON array (GET /team/list) or {"teams": [...]} (readiness generate)', { status: 'fail' });
    return c;
  }
  secretFindings(c, read.root, LITELLM_SECRET_KEYS, isRef);
  const teams = list.filter((t): t is CMap => t.kind === 'map').map((t, i) => ({ node: t, path: `teams[${i}]`, id: str(get(t, 'team_id')), alias: str(get(t, 'team_alias')) }));
  if (!model) return c;
  const matched = new Set<CMap>();
  for (const { tenant } of model.tenants) {
    const t = teams.find((x) => x.id === tenant.id) ?? teams.find((x) => x.alias !== undefined && x.alias === (tenant.team ?? tenant.id));
    if (!t) {
      c.add('team-missing', node.pos, '', `tenant ${tenant.id} has no LiteLLM team (no team_id ${tenant.id}${tenant.team ? ` or team_alias ${tenant.team}` : ''}): it runs with no budget and no limit`);
      c.observe({ figure: 'tenant.exists', subject: tenant.id, value: false, line: node.pos.line, column: node.pos.column, note: `no team for ${tenant.id}` });
      c.observe({ figure: 'tenant.budget.monthlyUsd', subject: tenant.id, value: null, line: node.pos.line, column: node.pos.column, note: `no team for ${tenant.id}` });
      continue;
    }
    matched.add(t.node);
    const budgetNode = get(t.node, 'max_budget');
    const budget = num(budgetNode);
    const declared = tenant.budget?.monthlyUsd;
    const bpos = at(budgetNode, t.node.pos);
    c.observe({ figure: 'tenant.exists', subject: tenant.id, value: true, line: t.node.pos.line, column: t.node.pos.column });
    c.observe({ figure: 'tenant.budget.monthlyUsd', subject: tenant.id, value: budget ?? null, line: bpos.line, column: bpos.column, note: budget === undefined ? `team ${t.id ?? t.alias} has no max_budget` : `team ${t.id ?? t.alias} max_budget: ${budget}` });
    if (declared !== undefined) {
      if (budget === undefined) {
        c.add('team-budget-drift', t.node.pos, t.path, `team ${t.id ?? t.alias} (tenant ${tenant.id}) has no max_budget: the declared $${declared}/month ceiling is not enforced`);
      } else if (Math.abs(budget - declared) > 0.005) {
        c.add('team-budget-drift', bpos, `${t.path}.max_budget`, `team ${t.id ?? t.alias} max_budget is ${budget}, tenant ${tenant.id} declares ${declared} a month`);
      }
      const durNode = get(t.node, 'budget_duration');
      const dur = str(durNode);
      if (dur !== '30d') {
        c.add('team-budget-drift', at(durNode, t.node.pos), `${t.path}.budget_duration`, `team ${t.id ?? t.alias} budget_duration is ${dur === undefined ? 'not set (the budget never resets)' : JSON.stringify(dur)}; the manifest's budget is monthly (30d)`);
      }
    }
    // a tenant without a declared budget is budget-ceilings' finding (check), not drift: the team matches it
    for (const dim of ['rpm', 'tpm'] as const) {
      const n = get(t.node, `${dim}_limit`);
      const v = num(n);
      const d = tenant.limits?.[dim];
      const p = at(n, t.node.pos);
      if (v !== undefined) c.observe({ figure: dim === 'rpm' ? 'tenant.rpm' : 'tenant.tpm', subject: tenant.id, value: v, line: p.line, column: p.column });
      if (d !== undefined && v !== d) {
        c.add('team-limit-drift', p, `${t.path}.${dim}_limit`, `team ${t.id ?? t.alias} ${dim}_limit is ${v ?? 'not set'}, tenant ${tenant.id} declares ${d} ${dim}`);
      }
    }
  }
  for (const t of teams) {
    if (matched.has(t.node)) continue;
    c.add('team-not-declared', t.node.pos, t.path, `team ${t.id ?? t.alias ?? '(no team_id)'} is not a tenant of the manifest`);
    if (t.id) c.observe({ figure: 'tenant.exists', subject: t.id, value: true, line: t.node.pos.line, column: t.node.pos.column, note: 'team not in the manifest' });
    if (num(get(t.node, 'max_budget')) === undefined) c.add('no-budget', t.node.pos, t.path, `team ${t.id ?? t.alias ?? '(no team_id)'} has no max_budget: nothing caps its spend`);
  }
  return c;
}

export function lintLitellmKeys(text: string, file: string, model?: DeploymentModel): LintResult {
  const read = readConfig(text, file, 'json');
  const c = new Collector(file);
  readerFindings(c, read, 'LiteLLM');
  const { list, node } = listOf(read.root, 'keys');
  if (node.kind !== 'seq') {
    c.add('unknown-key', read.root.pos, '', 'not a list of keys: expected a JSON array or {"keys": [...]} (GET /key/list?return_full_object=true)', { status: 'fail' });
    return c;
  }
  // a key's own secret (key / token) is never printed; hashed tokens are not secrets, raw sk- keys are
  secretFindings(c, read.root, new Set(['key']), isRef);
  const tenants = new Set(model?.tenants.map((t) => t.tenant.id) ?? []);
  list.forEach((k, i) => {
    if (k.kind !== 'map') return;
    const path = `keys[${i}]`;
    const team = str(get(k, 'team_id'));
    const alias = str(get(k, 'key_alias')) ?? str(get(k, 'key_name')) ?? path;
    if (team === undefined && num(get(k, 'max_budget')) === undefined) {
      c.add('no-budget', k.pos, path, `key ${alias} has no team and no max_budget: its spend is under no ceiling`);
    }
    if (model && team !== undefined && !tenants.has(team)) {
      c.add('team-not-declared', at(get(k, 'team_id'), k.pos), `${path}.team_id`, `key ${alias} belongs to team ${team}, which is not a tenant of the manifest`);
    }
  });
  return c;
}

