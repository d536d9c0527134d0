import type { Waiver } from '../manifest/types.js';

/** A waiver as given, with where it was written (for messages and report locations). */
export interface LocatedWaiver extends Waiver {
  file: string;
  line: number;
  column: number;
  /** its position in the `waivers:` list of its file (the manifest or a --waivers file) */
  index?: number;
}

/** What a waived finding carries: enough to show why it does not count, in every format. */
export interface AppliedWaiver {
  reason: string;
  owner: string;
  expires: string;
  /** `file:line:col` of the waiver */
  source: string;
}

export type WaiverState = 'active' | 'expired' | 'unused';

export interface WaiverOutcome extends Waiver {
  /** `file:line:col` of the waiver */
  source: string;
  /** active: applied to findings; expired: past its date, so the gate fails; unused: active but matched no warn or fail finding */
  state: WaiverState;
  /** warn and fail findings it covers (or would cover, when expired) */
  matched: number;
}
