import { Document, isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import { requiredRetention } from '../checks/compliance.js';
import type { Manifest } from '../manifest/types.js';

/** The comment above each top-level section of a written manifest. */
export const SECTION_COMMENTS: Record<string, string> = {
  metadata: 'What is handed over, and to whom.',
  operator:
    "The operator's industry and compliance frameworks. Regulated operators need an audit log;\nthe frameworks set its required fields and minimum retention (audit-log check).",
  traffic:
    "Usage pattern, in requests per minute. Providers are sized for peakRpm, the operator's stated\npeak, not for the average (rate-limit-sizing check).",
  providers:
    "Model providers, with the account's rate limits (rpm, tpm) and prices in USD per million tokens.\nAPI keys are referenced by environment variable name only, never written here.",
  routing:
    'Which provider takes traffic first, where requests go when it answers 429 or fails\n(failover check), and what happens to requests above the limit during a burst.',
  gateway:
    'Attribution headers the gateway requires on every request, what it does with a request\nwithout them, and how often spend is rolled up per tenant (cost-attribution check).',
  tenants:
    'Every team or use case calling the agent, with its volume, rate limit and monthly budget\n(budget-ceilings check). Projected month = dailyRequests x cost per request x 30; the cost per\nrequest is costPerRequestUsd, else the primary\'s prices x traffic.tokensPerRequest.',
  budgets: "The account ceiling, the alert threshold (a fraction of each tenant's budget, paged when\nreached by alertByDay) and what the gateway does when a tenant exceeds its budget.",
  audit:
    'One record per request, to reconstruct a decision: a write-once sink kept for the retention\nthe frameworks require, tied to the business object, with the fields each record carries.',
  slo: "Service levels: the steady p99 a request must meet (the first-request alert fires above 2x it),\nand for the load probe the highest acceptable error rate (carried over from the revised manifest).",
  probe: 'Load probe settings (carried over from the revised manifest).',
  waivers: 'Accepted risks, each with a reason, an owner and an expiry date (carried over from the revised manifest).',
};

/** Small mappings and lists of scalars written on one line, as in the examples. */
const FLOW_KEYS = new Set(['tokensPerRequest', 'limits', 'pricing', 'budget', 'headers', 'burst', 'sink', 'manual']);

function pairOf(node: unknown, key: string): Pair<Scalar, Node> | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) as Pair<Scalar, Node> | undefined;
}

function commentValue(node: unknown, path: string[], comment: string): void {
  let cur: unknown = node;
  for (let i = 0; i < path.length; i++) {
    const pair = pairOf(cur, path[i]);
    if (!pair) return;
    if (i === path.length - 1) {
      if (isScalar(pair.value) || isMap(pair.value) || isSeq(pair.value)) (pair.value as Node).comment = ` ${comment}`;
      return;
    }
    cur = pair.value;
  }
}

function flowify(node: unknown, key?: string): void {
  if (isMap(node)) {
    if (key && FLOW_KEYS.has(key)) node.flow = true;
    for (const p of node.items) if (isPair(p) && isScalar(p.key)) flowify(p.value, String(p.key.value));
  } else if (isSeq(node)) {
    // short lists of scalars on one line; long ones (audit fields) stay one item per line
    if (node.items.every((i) => isScalar(i)) && node.items.reduce((n, i) => n + String((i as Scalar).value).length + 2, 0) <= 60) node.flow = true;
    else for (const i of node.items) flowify(i);
  }
}

/**
 * The manifest as YAML with a comment above each section, written with the yaml Document API.
 * Deterministic: the same manifest always gives the same bytes.
 */
export function renderManifestYaml(m: Manifest): string {
  const doc = new Document(m);
  doc.commentBefore = [
    ' readiness/v1 manifest written by `readiness init`. Edit it freely; it is yours now.',
    ' Check it with `readiness check <this file>`; revise it with `readiness init --from <this file>`.',
    ' For editor completion: `readiness schema > manifest.schema.json` and add the line',
    ' # yaml-language-server: $schema=manifest.schema.json',
  ].join('\n');
  const root = doc.contents;
  flowify(root);
  if (isMap(root)) {
    for (const p of root.items) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      const text = SECTION_COMMENTS[String(p.key.value)];
      if (text) {
        p.key.commentBefore = text
          .split('\n')
          .map((l) => ` ${l}`)
          .join('\n');
        p.key.spaceBefore = true;
      }
    }
  }
  commentValue(root, ['traffic', 'averageRpm'], 'requests per minute, an ordinary working day');
  commentValue(root, ['traffic', 'peakRpm'], "the operator's stated peak");
  commentValue(root, ['traffic', 'peakWindow'], "operator's local time");
  commentValue(root, ['routing', 'failover', 'onStatus'], 'HTTP status codes that trigger failover');
  const need = requiredRetention(m.operator?.frameworks ?? []);
  if (need.framework) commentValue(root, ['audit', 'sink'], `${need.framework} requires retentionDays >= ${need.days}`);
  return doc.toString({ lineWidth: 120, flowCollectionPadding: false });
}
