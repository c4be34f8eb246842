export { type AsOf, UsageError, parseAsOfInstant, parseAsOfPosition, isBeyond } from './as-of';
export { type AuditOptions, type KafkaAuditOptions, KafkaWithAsOfError, auditLedger } from './audit';
export { type CheckName, type EventRef, type Finding, describeFinding, eventRef } from './findings';
export { type AuditReport, type KafkaSummary, summaryText } from './report';
export { AUDIT_PROJECTIONS, type Replay, type ReplayOptions, replayLedger } from './replay';
export { checkRefundInstructed, type RefundProblem } from './checks/refund-interest';
export { checkPostings, type PostingsVerdict } from './checks/postings';
export { type CliCommand, USAGE, parseCliArgs } from './cli-args';
