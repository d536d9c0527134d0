// Builds a synthetic manifest with N tenants and P providers, for the scale benchmark.
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export function syntheticManifest(root, tenants, providers = 50) {
  const m = parse(readFileSync(`${root}/templates/examples/compliant.yaml`, 'utf8'));
  const vendors = ['openai', 'anthropic', 'azure-openai', 'aws-bedrock', 'google-vertex', 'mistral'];
  m.providers = Array.from({ length: providers }, (_, i) => ({
    id: `provider-${i}`,
    vendor: vendors[i % vendors.length],
    model: `model-${i}`,
    limits: { rpm: 200000 + i * 1000, tpm: 400000000 },
    pricing: { inputPerMTok: 2.5, outputPerMTok: 10 },
    apiKeyEnv: `PROVIDER_${i}_API_KEY`,
  }));
  m.routing.primary = 'provider-0';
  m.routing.failover.targets = m.providers.slice(1, 4).map((p) => p.id);
  m.traffic.averageRpm = tenants * 2;
  m.traffic.peakRpm = tenants * 8;
  m.tenants = Array.from({ length: tenants }, (_, i) => ({
    id: `tenant-${i}`,
    team: `team-${i}`,
    useCases: [`use-case-${i % 7}`],
    dailyRequests: 1000 + (i % 50) * 20,
    costPerRequestUsd: 0.0085,
    limits: { rpm: 10 },
    budget: { monthlyUsd: 1000 },
  }));
  m.budgets.accountMonthlyUsd = tenants * 1000;
  return stringify(m);
}
