import type { ChalkInstance } from 'chalk';
import type { FailOn, Report } from '../checks/run.js';
import type { DeploymentModel } from '../manifest/model.js';
import type { HtmlProbe } from './html.js';

/** What every renderer may use besides the report. Renderers are pure: same inputs, same bytes. */
export interface FormatMeta {
  /** readiness's version */
  version: string;
  failOn: FailOn;
  /** the exit code of this run (after --soft-fail) */
  exitCode: number;
  /** the directory file names were given relative to */
  cwd: string;
  /** the repository root paths in reports are made relative to (SARIF uris, annotation files); default cwd */
  root?: string;
  /** text only: colours (none when absent) */
  chalk?: ChalkInstance;
  /** text only: show passing findings too */
  verbose?: boolean;
  /** the gate is report-only (--soft-fail) */
  softFail?: boolean;
  /** html only: the derived model (capacity and budget charts) */
  model?: DeploymentModel;
  /** html only: the manifest text, to quote each finding's line */
  source?: string;
  /** html only: burst-load probe results, when the probe ran */
  probe?: HtmlProbe;
  /** text and html: the measured usage profile (check --usage) */
  usage?: import('../usage/types.js').UsageProfile;
}

export type Renderer = (report: Report, meta: FormatMeta) => string;

export interface FormatSpec {
  name: string;
  /** one line for --help */
  description: string;
  /** the renderer, loaded on first use: a run pays only for the formats it writes */
  load: () => Promise<Renderer>;
}
