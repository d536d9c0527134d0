import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { portkeyConfig, preparePortkeyRequest } from '../generate/portkey.js';
import type { DeploymentModel } from '../manifest/model.js';
import { type MockProvider, type MockStats, startMockProvider } from '../mock/provider.js';
import { UsageError } from '../util/errors.js';
import { packageRoot } from '../util/paths.js';

/** Defaults for a rehearsal's mock providers. */
export const REHEARSAL_DEFAULTS = {
  latencyMs: 40,
  jitterMs: 40,
  windowSeconds: 1,
  /** the steady phase is compressed to at most this many seconds unless --compress is given */
  maxSteadySeconds: 15,
} as const;

export interface RehearsalProvider {
  id: string;
  vendor: string;
  rpm: number | null;
  tpm: number | null;
  url: string;
  mock: MockProvider;
}

export interface Rehearsal {
  providers: RehearsalProvider[];
  gatewayUrl: string;
  /** headers every probe request carries: the generated config with placeholders filled for the mocks */
  headers: Record<string, string>;
  /** the generated config as sent (credentials are rehearsal dummies) */
  config: Record<string, unknown>;
  stop: () => Promise<void>;
}

export interface RehearsalOptions {
  latencyMs?: number;
  jitterMs?: number;
  windowSeconds?: number;
  seed?: number;
  /** ms to wait for the gateway to answer GET / */
  gatewayStartMs?: number;
}

/** Where the Portkey gateway's start script is installed, or undefined. */
export function portkeyScript(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('@portkey-ai/gateway/build/start-server.js');
  } catch {
    const local = path.join(packageRoot, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
    return existsSync(local) ? local : undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The generated Portkey config rewired to the rehearsal's mocks: every target keeps its place, retry and
 * fallback settings, but speaks OpenAI to its provider's mock (custom_host), since the mocks are
 * OpenAI-compatible whatever vendor they stand in for.
 */
export function rewireConfig(config: Record<string, unknown>, mockUrls: string[]): Record<string, unknown> {
  const targets = (config.targets as Array<Record<string, unknown>>).map((t, i) => {
    const { aws_access_key_id: _a, aws_secret_access_key: _s, resource_name: _r, deployment_id: _d, api_version: _v, aws_region: _ar, vertex_project_id: _vp, vertex_region: _vr, ...rest } = t;
    return { ...rest, provider: 'openai', api_key: 'rehearsal-key', custom_host: mockUrls[i] };
  });
  return { ...config, targets };
}

/**
 * Starts a mock provider per declared provider (with its declared limits) and the real Portkey gateway,
 * all on loopback. The caller probes `gatewayUrl` with `headers` and must call stop().
 */
export async function startRehearsal(model: DeploymentModel, opts: RehearsalOptions = {}): Promise<Rehearsal> {
  const script = portkeyScript();
  if (!script) throw new UsageError('rehearse needs the Portkey gateway: run `npm install @portkey-ai/gateway@1.15.2` next to readiness');
  const started: MockProvider[] = [];
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child) await stopChild(child);
    await Promise.all(started.map((m) => m.close()));
  };
  try {
    const providers: RehearsalProvider[] = [];
    for (const [i, p] of model.manifest.providers.entries()) {
      const mock = await startMockProvider({
        rpm: p.limits?.rpm,
        tpm: p.limits?.tpm,
        windowSeconds: opts.windowSeconds ?? REHEARSAL_DEFAULTS.windowSeconds,
        latencyMs: opts.latencyMs ?? REHEARSAL_DEFAULTS.latencyMs,
        jitterMs: opts.jitterMs ?? REHEARSAL_DEFAULTS.jitterMs,
        seed: (opts.seed ?? 1) + i,
        model: p.model,
      });
      started.push(mock);
      providers.push({ id: p.id, vendor: p.vendor, rpm: p.limits?.rpm ?? null, tpm: p.limits?.tpm ?? null, url: mock.url, mock });
    }
    const generated = portkeyConfig(model, []);
    const chain = [model.primary, ...(model.manifest.routing?.failover?.mode === 'automatic' ? model.failoverTargets.map((t) => t.provider) : [])];
    const urls = chain.map((p) => providers.find((x) => x.id === p.id)?.url ?? '');
    // the rewired config holds no placeholders; readiness_metadata is for clients, not the gateway
    const { 'x-portkey-config': cfg } = preparePortkeyRequest({ ...rewireConfig(generated, urls), readiness_metadata: undefined }, {}, {});
    const port = await freePort();
    child = spawn(process.execPath, [script, `--port=${port}`, '--headless'], {
      cwd: path.dirname(path.dirname(script)),
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-10_000)));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-10_000)));
    const gatewayUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (opts.gatewayStartMs ?? 30_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the Portkey gateway exited early (code ${child.exitCode}):\n${out}`);
      try {
        const res = await fetch(`${gatewayUrl}/`, { signal: AbortSignal.timeout(1000) });
        if ((await res.text()).includes('AI Gateway says hey')) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the Portkey gateway did not answer on ${gatewayUrl}:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { providers, gatewayUrl: `${gatewayUrl}/v1/chat/completions`, headers: { 'x-portkey-config': cfg }, config: JSON.parse(cfg), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface ProviderOutcome {
  id: string;
  rpm: number | null;
  tpm: number | null;
  requests: number;
  statuses: Record<string, number>;
}

export function providerOutcomes(providers: RehearsalProvider[]): ProviderOutcome[] {
  return providers.map((p) => {
    const s: MockStats = p.mock.stats();
    return { id: p.id, rpm: p.rpm, tpm: p.tpm, requests: s.total, statuses: s.statuses };
  });
}
