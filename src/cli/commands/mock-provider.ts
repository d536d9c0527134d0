import { type Command, InvalidArgumentError, Option } from 'commander';
import type { MockProviderOptions } from '../../mock/provider.js';
import type { CliIO } from '../io.js';

/** The library's options as flags, plus what only the command has (a required port, repeatable --require-header, a run length). */
interface MockCommandOptions
  extends Pick<MockProviderOptions, 'rpm' | 'tpm' | 'windowSeconds' | 'latencyMs' | 'jitterMs' | 'coldStartMs' | 'coldIdleMs' | 'faultRate' | 'seed' | 'streamTtftMs' | 'itlMs' | 'outputTokens' | 'streamFaultRate' | 'grantRpm' | 'grantTpm' | 'headerStyle' | 'headersTimeoutMs' | 'requestTimeoutMs'> {
  host: string;
  port: number;
  requireHeader?: string[];
  duration?: number;
}

const num = (name: string, min = 0, max = Infinity) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number from ${min}${Number.isFinite(max) ? ` to ${max}` : ''}`);
  return n;
};

export function registerMockProvider(program: Command, io: CliIO): void {
  program
    .command('mock-provider')
    .description('serve an OpenAI-compatible /v1/chat/completions on loopback with rate limits, latency, cold starts and faults, until Ctrl-C; GET /stats for arrivals')
    .option('--host <address>', 'loopback address to bind (127.0.0.1, ::1 or localhost)', '127.0.0.1')
    .addOption(new Option('--port <n>', 'port (0 picks a free one)').argParser(num('--port', 0, 65535)).default(0))
    .addOption(new Option('--rpm <n>', 'requests-per-minute limit').argParser(num('--rpm', 1)))
    .addOption(new Option('--tpm <n>', 'tokens-per-minute limit (prompt chars / 4 + max_tokens)').argParser(num('--tpm', 1)))
    .addOption(new Option('--window-seconds <s>', 'window the per-minute limits are metered over (bucket size)').argParser(num('--window-seconds', 0.001)).default(1))
    .addOption(new Option('--latency-ms <ms>', 'base latency').argParser(num('--latency-ms', 0, 600_000)).default(0))
    .addOption(new Option('--jitter-ms <ms>', 'uniform jitter added to the base latency').argParser(num('--jitter-ms', 0, 600_000)).default(0))
    .addOption(new Option('--cold-start-ms <ms>', 'extra latency on a fresh connection and after idling').argParser(num('--cold-start-ms', 0, 600_000)))
    .addOption(new Option('--cold-idle-ms <ms>', 'idle time after which the next request is cold').argParser(num('--cold-idle-ms')).default(10_000))
    .addOption(new Option('--fault-rate <p>', 'probability of a 500 for an admitted request').argParser(num('--fault-rate', 0, 1)).default(0))
    .addOption(new Option('--seed <n>', 'seed for jitter and faults').argParser(num('--seed')).default(1))
    .addOption(new Option('--stream-ttft-ms <ms>', 'streamed requests: time from the response headers to the first content token').argParser(num('--stream-ttft-ms')))
    .addOption(new Option('--itl-ms <ms>', 'streamed requests: gap between content tokens').argParser(num('--itl-ms')))
    .addOption(new Option('--output-tokens <n>', 'streamed requests: content tokens per answer (default max_tokens, at most 16)').argParser(num('--output-tokens', 1, 100_000)))
    .addOption(new Option('--stream-fault-rate <p>', 'probability that a stream is cut mid-way, without [DONE]').argParser(num('--stream-fault-rate', 0, 1)))
    .addOption(new Option('--grant-rpm <n>', 'requests per minute the rate-limit headers state (enforced when --rpm is absent)').argParser(num('--grant-rpm', 1)))
    .addOption(new Option('--grant-tpm <n>', 'tokens per minute the rate-limit headers state (enforced when --tpm is absent)').argParser(num('--grant-tpm', 1)))
    .addOption(new Option('--header-style <style>', 'rate-limit header family').choices(['openai', 'anthropic']).default('openai'))
    .addOption(new Option('--headers-timeout-ms <ms>', 'time a client has to send its request headers (then 408, connection closed; default 10000)').argParser(num('--headers-timeout-ms', 1, 600_000)))
    .addOption(new Option('--request-timeout-ms <ms>', 'time a client has to send its whole request (then 408, connection closed; at least --headers-timeout-ms; default 30000)').argParser(num('--request-timeout-ms', 1, 600_000)))
    .option('--require-header <name...>', 'answer 400 to requests lacking these headers (a gateway that refuses untagged traffic)')
    .addOption(new Option('--duration <s>', 'stop after this many seconds').argParser(num('--duration', 0.001)))
    .action(async (opts: MockCommandOptions) => {
      const { startMockProvider } = await import('../../mock/provider.js');
      const mock = await startMockProvider({
        host: opts.host,
        port: opts.port,
        rpm: opts.rpm,
        tpm: opts.tpm,
        windowSeconds: opts.windowSeconds,
        latencyMs: opts.latencyMs,
        jitterMs: opts.jitterMs,
        coldStartMs: opts.coldStartMs,
        coldIdleMs: opts.coldIdleMs,
        faultRate: opts.faultRate,
        seed: opts.seed,
        requireHeaders: opts.requireHeader,
        streamTtftMs: opts.streamTtftMs,
        itlMs: opts.itlMs,
        outputTokens: opts.outputTokens,
        streamFaultRate: opts.streamFaultRate,
        grantRpm: opts.grantRpm,
        grantTpm: opts.grantTpm,
        headerStyle: opts.headerStyle,
        headersTimeoutMs: opts.headersTimeoutMs,
        requestTimeoutMs: opts.requestTimeoutMs,
      });
      io.stdout(`${mock.url}\n`);
      io.stderr(`mock provider on ${mock.chatUrl} (stats: ${mock.url.replace(/\/v1$/, '')}/stats); Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          clearTimeout(timer);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const timer = opts.duration ? setTimeout(stop, opts.duration * 1000) : undefined;
      });
      const s = mock.stats();
      await mock.close();
      io.stderr(`mock provider stopped: ${s.total} requests, statuses ${JSON.stringify(s.statuses)}\n`);
    });
}
