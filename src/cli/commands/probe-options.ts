import { type Command, InvalidArgumentError, Option } from 'commander';

const positive = (name: string, integer = false) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`${name} must be a positive ${integer ? 'integer' : 'number'}`);
  return n;
};
const nonNegative = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number >= 0`);
  return n;
};

/** The probe's options, shared by `probe`, `check --probe` and `rehearse`. */
export function addProbeOptions(cmd: Command, opts: { target?: boolean } = {}): Command {
  if (opts.target !== false) cmd.option('--target <url>', 'URL to probe (default: probe.target, else gateway.endpoint)');
  return cmd
    .addOption(new Option('--duration <seconds>', 'steady phase length (default: probe.durationSeconds, else 30)').argParser(positive('--duration')))
    .addOption(new Option('--burst-factor <x>', 'burst rate as a multiple of the peak (default: probe.burstFactor, else 1.5)').argParser(positive('--burst-factor')))
    .addOption(new Option('--burst-seconds <seconds>', 'burst phase length (default: a fifth of the steady phase, 2 to 10 s)').argParser(positive('--burst-seconds')))
    .addOption(new Option('--cold-connections <n>', 'fresh connections in the cold phase, one request each (0 skips it)').argParser(nonNegative('--cold-connections')))
    .addOption(new Option('--compress <factor>', 'time compression: divide every duration by this factor, rates unchanged').argParser(positive('--compress')))
    .addOption(new Option('--max-requests <n>', 'refuse a plan above this many requests, and never send more').argParser(positive('--max-requests', true)).default(20_000))
    .addOption(new Option('--timeout-ms <ms>', 'per-request timeout').argParser(positive('--timeout-ms', true)))
    .option('--allow-remote', 'allow a target that is not loopback (real traffic, real cost)')
    .addOption(new Option('--max-cost-usd <usd>', 'refuse a remote probe whose estimated cost is above this').argParser(nonNegative('--max-cost-usd')).default(1))
    .option('--api-key-env <NAME>', 'send Authorization: Bearer $NAME (the key itself is never printed)')
    .option('--stream', 'stream every request (SSE) and measure time to first token, inter-token latency and output tokens/s (default: probe.stream)');
}
