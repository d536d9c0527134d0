/** Section 9: the audit log. */
import { checkSoFar, fieldNotes, requiredFieldNames, retentionHint, retentionNotes } from '../consequences.js';
import { isRegulated, requiredRetention } from '../../checks/compliance.js';
import type { SinkKind } from '../../manifest/types.js';
import { quote } from '../../util/secrets.js';
import { type Ctx, FIELD_RE, type Section } from '../kit.js';

const SINKS: Array<{ value: SinkKind; name: string }> = [
  { value: 's3-object-lock', name: 'AWS S3 with Object Lock (write-once)' },
  { value: 'azure-immutable-blob', name: 'Azure immutable Blob storage (write-once)' },
  { value: 'gcs-bucket-lock', name: 'Google Cloud Storage with Bucket Lock (write-once)' },
  { value: 'worm-storage', name: 'Other WORM storage' },
  { value: 'hash-chained-log', name: 'A hash-chained (tamper-evident) log' },
  { value: 'database', name: 'A database table' },
  { value: 'otel-traces', name: 'Trace spans (OpenTelemetry)' },
  { value: 'aws-qldb', name: 'AWS QLDB' },
  { value: 'none', name: 'No audit log' },
];

const WRITE_ONCE_SINKS: readonly SinkKind[] = ['s3-object-lock', 'azure-immutable-blob', 'gcs-bucket-lock', 'worm-storage'];

const regulated = (ctx: Ctx) => isRegulated(ctx.draft.operator?.industry, ctx.draft.operator?.frameworks ?? []);

export const AUDIT: Section = {
  key: 'audit',
  title: 'Audit log',
  intro: 'Where a record of every decision is kept, so that one decision can be reconstructed later.',
  questions: [
    { key: 'sink', label: 'audit sink', kind: 'select', required: true, message: 'Where is a record of each request kept?', choices: SINKS, suggest: (ctx) => (regulated(ctx) ? 's3-object-lock' : undefined) },
    {
      key: 'mode',
      label: 'Object Lock mode',
      kind: 'select',
      required: true,
      message: 'Which Object Lock mode?',
      when: (ctx) => ctx.draft.audit?.sink === 's3-object-lock',
      choices: [
        { value: 'compliance', name: 'Compliance: nobody, root included, can delete or shorten' },
        { value: 'governance', name: 'Governance: users with a special permission can bypass it' },
      ],
    },
    {
      key: 'writeOnce',
      label: 'write-once',
      kind: 'confirm',
      required: true,
      message: 'Can records, once written, no longer be changed or deleted by anyone?',
      when: (ctx) => ctx.draft.audit?.sink !== undefined && ctx.draft.audit.sink !== 'none',
      suggest: (ctx) => WRITE_ONCE_SINKS.includes(ctx.draft.audit?.sink as SinkKind),
    },
    {
      key: 'retentionDays',
      label: 'retention days',
      kind: 'integer',
      allowZero: true,
      lands: 'audit.sink.retentionDays',
      message: (ctx) => `How many days are records kept (${retentionHint(ctx.draft)})?`,
      when: (ctx) => ctx.draft.audit?.sink !== undefined && ctx.draft.audit.sink !== 'none',
      suggest: (ctx) => {
        const need = requiredRetention(ctx.draft.operator?.frameworks ?? []);
        return need.days > 0 ? need.days : undefined;
      },
      consequences: (ctx) => retentionNotes(ctx.draft),
    },
    {
      key: 'businessObject',
      label: 'business object',
      kind: 'text',
      message: 'What is each decision about (document, claim, ticket...)?',
      when: (ctx) => ctx.draft.audit?.sink !== undefined && ctx.draft.audit.sink !== 'none',
    },
    {
      key: 'fields',
      label: 'fields',
      kind: 'list',
      message: 'Fields in each record (comma-separated; pre-filled with what the frameworks require)?',
      when: (ctx) => ctx.draft.audit?.sink !== undefined && ctx.draft.audit.sink !== 'none',
      suggest: (ctx) => requiredFieldNames(ctx.draft),
      check: (v: string[]) => {
        const bad = v.find((f) => !FIELD_RE.test(f));
        return bad !== undefined ? `${quote(bad)}: field names are lower_snake_case` : undefined;
      },
      consequences: (ctx) => fieldNotes(ctx.draft),
    },
  ],
  after: (draft) => checkSoFar(draft, 'audit-log', []),
};
