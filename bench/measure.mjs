// Runs one readiness command in this process and prints {wallMs, maxRssMiB} as JSON on fd 3 (or
// stderr): wall time from process start (so it includes start-up and module loading) and peak RSS.
// Usage: node bench/measure.mjs <readiness args...>
import { writeSync } from 'node:fs';
const { main } = await import('../dist/src/cli/main.js');
const io = {
  stdout: () => {},
  stderr: () => {},
  env: { ...process.env, NO_COLOR: '1' },
  cwd: process.cwd(),
  isTTY: { stdout: false, stderr: false },
};
const code = await main(['node', 'readiness', ...process.argv.slice(2)], io);
const out = JSON.stringify({ code, wallMs: performance.now(), maxRssMiB: process.resourceUsage().maxRSS / 1024 });
writeSync(2, `${out}\n`);
