#!/usr/bin/env node
// The operator time-zone table (dist/zones/operator-zones.json): every zone ICU knows, with the UTC offset
// expression the Prometheus rules use for it, computed once here instead of on every `readiness generate`
// (src/alerts/zone.ts says why and when a start uses it). Made again only when what it depends on changed:
// the compiled zone module, this Node's ICU and time-zone data, or the table format.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const zoneJs = path.join(root, 'dist', 'src', 'alerts', 'zone.js');
const { buildZoneTable, zoneTableKey, ZONE_TABLE_PATH } = await import(pathToFileURL(zoneJs).href);
const source = createHash('sha256').update(readFileSync(zoneJs)).update(JSON.stringify(zoneTableKey())).update(process.version).digest('hex');
let old;
try {
  old = JSON.parse(readFileSync(ZONE_TABLE_PATH, 'utf8'));
} catch {
  // none yet
}
if (old?.source !== source) {
  const table = { ...buildZoneTable(), source };
  mkdirSync(path.dirname(ZONE_TABLE_PATH), { recursive: true });
  writeFileSync(`${ZONE_TABLE_PATH}.tmp`, `${JSON.stringify(table)}\n`);
  renameSync(`${ZONE_TABLE_PATH}.tmp`, ZONE_TABLE_PATH);
}
