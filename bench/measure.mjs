// Runs one readiness command in this process and prints {wallMs, cpuMs, maxRssMiB} as JSON on stderr:
// wall time from process start (so it includes start-up and loading the CLI), the process's CPU time
// (user + system: its own work, whatever else the machine is running) and peak RSS. The CLI
// is loaded as bin/readiness.js loads it (the bundle, through src/cli/launch.ts), so the figures
// are those of the command a user runs.
// Usage: node bench/measure.mjs <readiness args...>
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const { loadCli } = await import('../dist/src/cli/launch.js');
const { main } = loadCli(fileURLToPath(new URL('../dist/src/cli/readiness.cjs', import.meta.url))).cli;
const io = {
  stdout: () => {},
  stderr: () => {},
  env: { ...process.env, NO_COLOR: '1' },
  cwd: process.cwd(),
  isTTY: { stdout: false, stderr: false },
};
const code = await main(['node', 'readiness', ...process.argv.slice(2)], io);
const cpu = process.cpuUsage();
const out = JSON.stringify({ code, wallMs: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024 });
writeSync(2, `${out}\n`);
