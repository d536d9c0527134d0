/** readiness as a library: load a manifest, run the checks, render a report. */
export { parseManifest, loadManifest, crossReferenceProblems, type LoadedManifest } from './manifest/load.js';
export { buildModel, type DeploymentModel, type TenantModel, DEFAULTS } from './manifest/model.js';
export type * from './manifest/types.js';
export { CHECKS, CHECK_IDS, findCheck, checkMeta } from './checks/catalogue.js';
export { runChecks, runCheck, gateExitCode, type Report, type CheckResult, type LocatedFinding, type FailOn } from './checks/run.js';
export type { Check, CheckMeta, CheckContext, Finding, Status } from './checks/types.js';
export { renderText } from './report/text.js';
export { renderJson, toJsonReport } from './report/json.js';
export { InputError, UsageError, EXIT, type Diagnostic } from './util/errors.js';
export { main } from './cli/main.js';
export { portkeyGenerator, preparePortkeyRequest, MissingEnvError, MissingAttributionError } from './generate/portkey.js';
export { litellmGenerator } from './generate/litellm.js';
export { auditSchemaGenerator, auditRecordSchema } from './generate/audit-schema.js';
export { verifyAuditLog, verifyAuditStream, AuditLogVerifier, type VerifyResult } from './audit/verify.js';
export { startMockProvider, type MockProvider, type MockProviderOptions, type MockStats } from './mock/provider.js';
export { buildPlan, guard, type ProbePlan, type ProbeOptions } from './probe/plan.js';
export { runProbe } from './probe/run.js';
export type { ProbeEvidence, PhaseResult, TimelineSecond } from './probe/types.js';
