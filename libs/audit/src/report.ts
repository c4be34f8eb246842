import { Decimal, addAmounts, formatAmount } from '@app/domain';
import type { StoreKind } from '@app/event-store';
import {
  type BalancesModel,
  type BondsModel,
  type LotSummaryModel,
  type RefundQueueModel,
  type SuspenseModel,
  allAccountBalances,
  allBonds,
  allLotSummaries,
  refundsOf,
  suspenseItems,
} from '@app/projections';
import type { AsOf } from './as-of';
import type { BankFigures, MasterAccountFigures } from './checks/master-accounts';
import { type CheckName, type EventRef, type Finding, describeFinding } from './findings';
import type { Replay } from './replay';

export interface KafkaSummary {
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly topics: readonly string[];
  readonly missingTopics: readonly string[];
  readonly messagesRead: number;
  readonly keysCompared: number;
}

/** The JSON report (`--report`); docs/audit.md describes every field. */
export interface AuditReport {
  readonly tool: 'bid-bond-ledger audit replay';
  readonly auditedAt: string;
  readonly store: { readonly kind: StoreKind; readonly location: string };
  readonly asOf: { readonly position?: string; readonly recordedBefore?: string; readonly stoppedBefore?: EventRef } | null;
  readonly replayed: {
    readonly streams: number;
    readonly events: number;
    readonly legacyEvents: number;
    readonly firstEvent?: EventRef;
    readonly lastEvent?: EventRef;
    readonly logDigest: string;
  };
  readonly checks: { readonly [check in CheckName]?: { readonly checked: number; readonly findings: number } };
  /** Debits minus credits, as everywhere in the ledger: money held for bidders reads negative. */
  readonly balances: {
    readonly totalsByKind: { readonly [kind: string]: string };
    readonly allAccounts: string;
    readonly masterAccounts: readonly MasterAccountFigures[];
    readonly banks: readonly BankFigures[];
    readonly accounts: { readonly [account: string]: string };
  };
  readonly readModels: {
    readonly lots: number;
    readonly bonds: { readonly [status: string]: number };
    readonly refunds: { readonly [status: string]: number };
    readonly suspense: { readonly [status: string]: number };
  };
  readonly kafka?: KafkaSummary;
  readonly findings: readonly Finding[];
  readonly result: 'CLEAN' | 'FINDINGS';
}

const CHECK_UNITS: { readonly [check in CheckName]: string } = {
  'hash-chain': 'links',
  postings: 'posting sets',
  'refund-interest': 'refunds',
  'refund-overdue': 'limits',
  forfeitures: 'forfeitures',
  'master-accounts': 'comparisons',
  'inbound-credits': 'credits',
  replay: 'events',
  kafka: 'keys',
};

function countBy<T>(items: readonly T[], key: (item: T) => string): { [value: string]: number } {
  const counts: { [value: string]: number } = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function buildReport(input: {
  replay: Replay;
  findings: readonly Finding[];
  store: AuditReport['store'];
  asOf?: AsOf | undefined;
  kafka?: KafkaSummary | undefined;
  auditedAt: Date;
}): AuditReport {
  const { replay, findings, asOf, kafka } = input;
  const balances = replay.models.balances as BalancesModel;
  const accounts = allAccountBalances(balances);
  const totals = new Map<string, Decimal>();
  for (const [account, balance] of Object.entries(accounts)) {
    const kind = account.slice(0, account.indexOf(':'));
    totals.set(kind, addAmounts(totals.get(kind) ?? Decimal('0'), Decimal(balance)));
  }
  const checks: { [check in CheckName]?: { checked: number; findings: number } } = {};
  for (const check of Object.keys(CHECK_UNITS) as CheckName[]) {
    if (check === 'kafka' && !kafka) continue;
    checks[check] = { checked: replay.checked[check], findings: findings.filter((f) => f.check === check).length };
  }
  const { masterAccounts, banks } = replay.masterAccounts.figures(balances);
  return {
    tool: 'bid-bond-ledger audit replay',
    auditedAt: input.auditedAt.toISOString(),
    store: input.store,
    asOf: asOf
      ? {
          ...(asOf.position === undefined ? {} : { position: asOf.position.toString() }),
          ...(asOf.recordedBefore === undefined ? {} : { recordedBefore: asOf.recordedBefore.given }),
          ...(replay.stoppedBefore ? { stoppedBefore: replay.stoppedBefore } : {}),
        }
      : null,
    replayed: {
      streams: replay.streams,
      events: replay.events,
      legacyEvents: replay.legacyEvents,
      ...(replay.firstEvent ? { firstEvent: replay.firstEvent } : {}),
      ...(replay.lastEvent ? { lastEvent: replay.lastEvent } : {}),
      logDigest: replay.logDigest,
    },
    checks,
    balances: {
      totalsByKind: Object.fromEntries([...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, sum]) => [kind, formatAmount(sum)])),
      allAccounts: formatAmount([...totals.values()].reduce((a, b) => addAmounts(a, b), Decimal('0'))),
      masterAccounts,
      banks,
      accounts,
    },
    readModels: {
      lots: allLotSummaries(replay.models['lot-summary'] as LotSummaryModel).length,
      bonds: countBy(allBonds(replay.models.bonds as BondsModel), (bond) => bond.status),
      refunds: countBy(refundsOf(replay.models['refund-queue'] as RefundQueueModel), (refund) => refund.status),
      suspense: countBy(suspenseItems(replay.models.suspense as SuspenseModel), (item) => item.status),
    },
    ...(kafka ? { kafka } : {}),
    findings,
    result: findings.length === 0 ? 'CLEAN' : 'FINDINGS',
  };
}

const SHOWN_FINDINGS = 50;

const counts = (byStatus: { readonly [status: string]: number }) => {
  const entries = Object.entries(byStatus);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return entries.length === 0 ? '0' : `${total} (${entries.map(([status, n]) => `${status} ${n}`).join(', ')})`;
};

/** The printed summary. */
export function summaryText(report: AuditReport, reportPath?: string): string {
  const lines: string[] = [];
  const { replayed, asOf, balances } = report;
  const cut = asOf
    ? ` as of ${[asOf.position && `position ${asOf.position}`, asOf.recordedBefore && `recorded ${asOf.recordedBefore}`].filter(Boolean).join(' and ')}` +
      (asOf.stoppedBefore ? ` (stopped before position ${asOf.stoppedBefore.position})` : ' (end of the log reached)')
    : '';
  lines.push(`Ledger audit: replay of ${report.store.kind} ${report.store.location}${cut}`);
  const range = replayed.firstEvent && replayed.lastEvent ? ` (positions ${replayed.firstEvent.position}..${replayed.lastEvent.position})` : '';
  lines.push(`Replayed ${replayed.events} events in ${replayed.streams} streams${range}` + (replayed.legacyEvents > 0 ? `, ${replayed.legacyEvents} written before the hash chain` : ''));
  lines.push(`Log digest ${replayed.logDigest}`);
  lines.push('', 'Checks:');
  for (const [check, { checked, findings }] of Object.entries(report.checks)) {
    lines.push(`  ${check.padEnd(16)} ${String(checked).padStart(8)} ${CHECK_UNITS[check as CheckName].padEnd(13)} ${findings === 0 ? 'ok' : `${findings} finding${findings === 1 ? '' : 's'}`}`);
  }
  if (report.kafka) {
    lines.push(`  (Kafka: ${report.kafka.messagesRead} messages read from ${report.kafka.topics.length} topics at ${report.kafka.brokers.join(',')}` +
      (report.kafka.missingTopics.length > 0 ? `; missing topics ${report.kafka.missingTopics.join(', ')}` : '') + ')');
  }
  lines.push('', 'Balances (debits minus credits: money held for bidders reads negative):');
  lines.push(`  ${Object.entries(balances.totalsByKind).map(([kind, sum]) => `${kind} ${sum}`).join(' | ')} | all accounts ${balances.allAccounts}`);
  for (const m of balances.masterAccounts) {
    lines.push(`  master account ${m.accountNo} (bank ${m.bankCode}, center ${m.centerId}, ${m.virtualAccounts} virtual account${m.virtualAccounts === 1 ? '' : 's'}): sub-accounts ${m.projected}` +
      ` [by postings ${m.fromPostings}, by payment facts ${m.fromFacts}]`);
  }
  for (const b of balances.banks) {
    lines.push(`  bank ${b.bankCode}: master accounts ${b.masterAccounts.join(', ') || '-'} + suspense ${b.suspense} = ${b.projected}` +
      ` [by postings ${b.fromPostings}, by payment facts ${b.fromFacts}]`);
  }
  const models = report.readModels;
  lines.push('', `Read models: ${models.lots} lots; bonds ${counts(models.bonds)}; refunds ${counts(models.refunds)}; suspense items ${counts(models.suspense)}`);
  lines.push('');
  if (report.findings.length === 0) {
    lines.push('Findings: none. CLEAN');
  } else {
    lines.push(`Findings: ${report.findings.length}`);
    report.findings.slice(0, SHOWN_FINDINGS).forEach((finding, i) => lines.push(`  ${i + 1}. ${describeFinding(finding)}`));
    if (report.findings.length > SHOWN_FINDINGS) lines.push(`  … ${report.findings.length - SHOWN_FINDINGS} more in the JSON report`);
  }
  if (reportPath) lines.push('', `Report: ${reportPath}`);
  return `${lines.join('\n')}\n`;
}
