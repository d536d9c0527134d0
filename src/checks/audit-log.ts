import { fail, pass, warn } from './finding.js';
import { REGULATED_INDUSTRIES, RETENTION_SOURCES, isRegulated, requiredAuditFields, requiredRetention } from './compliance.js';
import type { Check, Finding } from './types.js';

export const auditLog: Check = {
  id: 'audit-log',
  title: 'Write-once per-request audit log tied to the business object',
  rationale:
    'Incident three: a compliance officer had to reconstruct one decision on one document, and only trace spans existed. Spans are sampled, their content attributes are opt-in and they are mutable. A regulated operator needs a write-once, timestamped record per request, tied to the business object, with agent, model and prompt versions, the output and a confidence score, kept as long as its frameworks require.',
  remediation:
    'Write one audit record per request to write-once storage (S3 Object Lock in compliance mode, Azure immutable blob with a locked policy, GCS Bucket Lock or WORM storage) with the required fields, and keep it for the longest retention your frameworks require.',
  sources: [
    { title: 'SEC Rule 17a-4 (17 CFR 240.17a-4)', url: 'https://www.ecfr.gov/current/title-17/section-240.17a-4' },
    { title: 'FINRA Rule 4511', url: 'https://www.finra.org/rules-guidance/rulebooks/finra-rules/4511' },
    { title: 'PCI DSS v4.0.1 Requirement 10', url: 'https://www.pcisecuritystandards.org/document_library/' },
    { title: 'NIST SP 800-53 r5 AU-3, AU-9, AU-11', url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final' },
    { title: 'EU AI Act Art. 12, 19, 26', url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj' },
    { title: 'Amazon S3 Object Lock', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html' },
  ],
  run({ model }) {
    const m = model.manifest;
    const frameworks = model.frameworks;
    const industry = m.operator?.industry;
    const audit = m.audit;
    if (!isRegulated(industry, frameworks)) {
      return [
        pass(
          audit ? ['audit'] : m.operator ? ['operator'] : [],
          `operator is not regulated (industry ${industry ?? 'not stated'}, no frameworks): no audit log is required${
            audit?.sink?.kind && audit.sink.kind !== 'none' ? `; ${audit.sink.kind} declared` : '; a per-request audit log is still recommended'
          }`,
          { regulated: false },
        ),
      ];
    }
    const why = [industry && REGULATED_INDUSTRIES.includes(industry) ? industry : '', ...frameworks].filter(Boolean).join(', ');
    if (!audit) {
      return [
        fail(
          [],
          `regulated operator (${why}) with no audit section: no decision can be reconstructed`,
          'Add an audit section: a write-once sink, writeOnce: true, the business object, the required fields and retentionDays.',
          { regulated: true },
        ),
      ];
    }
    const findings: Finding[] = [];
    const kind = audit.sink?.kind;
    const sinkPath = audit.sink ? ['audit', 'sink', 'kind'] : ['audit'];
    let sinkReported = false;
    if (kind === undefined || kind === 'none') {
      findings.push(fail(sinkPath, `regulated operator (${why}) with no audit sink`, 'Set audit.sink.kind to write-once storage (s3-object-lock, azure-immutable-blob, gcs-bucket-lock, worm-storage).', { sink: kind ?? null }));
      sinkReported = true;
    } else if (kind === 'otel-traces') {
      findings.push(
        fail(
          sinkPath,
          'the audit "log" is trace spans: trace spans are not audit logs (sampled, content attributes opt-in, mutable by their operators)',
          'Keep the traces, and write a separate per-request audit record to write-once storage (s3-object-lock in compliance mode, azure-immutable-blob, gcs-bucket-lock or worm-storage), joined to the trace by trace_id.',
          { sink: kind },
        ),
      );
      sinkReported = true;
    } else if (kind === 'aws-qldb') {
      findings.push(
        fail(sinkPath, 'aws-qldb reached end of support on 2025-07-31: not acceptable for a new deployment', 'Move the audit log to S3 Object Lock in compliance mode (or another write-once store).', { sink: kind }),
      );
      sinkReported = true;
    } else if (kind === 'database' && audit.writeOnce !== true) {
      findings.push(
        fail(
          sinkPath,
          'the audit sink is a database without writeOnce: its operators can change or delete records',
          'Use write-once storage, or make the table append-only with no UPDATE/DELETE grants and a hash chain, and set audit.writeOnce: true.',
          { sink: kind, writeOnce: audit.writeOnce ?? null },
        ),
      );
      sinkReported = true;
    }
    if (audit.writeOnce !== true && !(kind === 'database' && sinkReported)) {
      findings.push(
        fail(
          audit.writeOnce === undefined ? ['audit'] : ['audit', 'writeOnce'],
          `audit.writeOnce is ${audit.writeOnce === undefined ? 'not set' : 'false'}: records that can be rewritten do not prove what was decided`,
          'Store audit records write-once (WORM) and set audit.writeOnce: true.',
          { writeOnce: audit.writeOnce ?? null },
        ),
      );
    }
    if ((frameworks.includes('sec-17a-4') || frameworks.includes('finra-4511')) && kind === 's3-object-lock') {
      const mode = audit.sink?.mode;
      if (mode === 'governance') {
        findings.push(
          fail(
            ['audit', 'sink', 'mode'],
            'S3 Object Lock in governance mode can be bypassed (s3:BypassGovernanceRetention): it does not meet SEC 17a-4 / FINRA 4511',
            'Use S3 Object Lock in compliance mode (audit.sink.mode: compliance).',
            { mode },
          ),
        );
      } else if (mode === undefined) {
        findings.push(
          warn(['audit', 'sink'], 'S3 Object Lock mode is not stated: SEC 17a-4 / FINRA 4511 need compliance mode', 'Set audit.sink.mode: compliance.', { mode: null }),
        );
      }
    }
    const fields = new Set(audit.fields ?? []);
    const required = requiredAuditFields(frameworks);
    const missing = required.filter((r) => !r.anyOf.some((f) => fields.has(f)));
    if (missing.length > 0) {
      findings.push(
        fail(
          audit.fields ? ['audit', 'fields'] : ['audit'],
          `audit records lack ${missing.length} required field(s): ${missing.map((r) => (r.anyOf.length > 1 ? r.anyOf.join(' or ') : r.name)).join(', ')}`,
          `Add to audit.fields and to every record: ${missing.map((r) => `${r.anyOf[r.anyOf.length - 1]} (${r.why})`).join('; ')}.`,
          { missing: missing.map((r) => r.name), required: required.map((r) => r.name) },
        ),
      );
    }
    const need = requiredRetention(frameworks);
    const days = audit.sink?.retentionDays;
    if (need.days > 0 && need.framework) {
      if (days === undefined) {
        findings.push(
          fail(
            audit.sink ? ['audit', 'sink'] : ['audit'],
            `retention is not stated; ${need.framework} requires ${need.days} days (${RETENTION_SOURCES[need.framework]})`,
            `Set audit.sink.retentionDays to at least ${need.days} and lock it in the storage's retention policy.`,
            { retentionDays: null, requiredDays: need.days, framework: need.framework },
          ),
        );
      } else if (days < need.days) {
        findings.push(
          fail(
            ['audit', 'sink', 'retentionDays'],
            `retention ${days} days is ${need.days - days} day(s) short of the ${need.days} days ${need.framework} requires (${RETENTION_SOURCES[need.framework]})`,
            `Raise audit.sink.retentionDays to at least ${need.days}.`,
            { retentionDays: days, requiredDays: need.days, framework: need.framework },
          ),
        );
      }
    }
    if (!audit.businessObject) {
      findings.push(
        warn(
          ['audit'],
          'audit.businessObject is not stated: records cannot be tied to the document, claim or ticket a decision was made on',
          'Name the business object (audit.businessObject: document, claim, ticket...) and record its id in business_object_id.',
        ),
      );
    }
    if (findings.length === 0) {
      findings.push(
        pass(
          ['audit', 'sink'],
          `${kind}${audit.sink?.mode ? ` (${audit.sink.mode})` : ''}, write-once, ${required.length} required fields present, retention ${days ?? 'unstated'} days${
            need.framework ? ` >= ${need.days} (${need.framework})` : ''
          }`,
          { regulated: true, sink: kind ?? null, retentionDays: days ?? null, requiredDays: need.days, fields: required.length },
        ),
      );
    }
    return findings;
  },
};
