import { type LotState, type RefundOverdue, isRejection, lotDecider, refundLimitsOf, refundOverdueFrom } from '@app/domain';
import { canonicalJson } from '@app/event-store';

/**
 * How long after a refund's limit the ledger may take to record it overdue before the audit calls the
 * refund unreported: the lot clock asks every second; a quarter of an hour covers a restart.
 */
export const OVERDUE_RECORDING_GRACE_MS = 15 * 60 * 1000;

export interface OverdueProblem {
  readonly code: string;
  readonly message: string;
  readonly details: { readonly [name: string]: string };
}

interface Limit {
  readonly ms: number;
  readonly stream: string;
  readonly bondId: string;
  readonly refundDueBy: string;
}

/**
 * Art. 57 (refund within 5 days): the ledger must say when a refund is still owed at its limit
 * (RefundOverdue), and only then. Both directions use the domain's rule (refund-overdue.ts), never a copy:
 * - a RefundOverdue must be what the lot decider records at its `observedAt` from the lot just before
 *   it, and neither that instant nor the store's `recordedAt` may lie before the limit;
 * - a refund limit the log shows has passed (an event recorded more than the grace after it) while the
 *   lot still owes the refund with no RefundOverdue for that due date is a finding, once; so is one
 *   passed by the end of an as-of cut given as an instant.
 */
export class RefundOverdueCheck {
  /** RefundOverdue events checked and refund limits followed. */
  checked = 0;
  /** Limits still ahead, by the instant from which they are due for recording (mostly appended in order). */
  private readonly ahead: Limit[] = [];
  private readonly followed = new Set<string>();

  /** A recorded RefundOverdue against the lot just before it; `recordedAt` is the store's. */
  checkRecorded(data: RefundOverdue['data'], lotBefore: LotState | undefined, recordedAt: string | undefined): OverdueProblem[] {
    this.checked += 1;
    const details = { lotId: String(data.lotId), bondId: String(data.bondId), refundDueBy: String(data.refundDueBy), observedAt: String(data.observedAt) };
    const limit = refundOverdueFrom(data.refundDueBy);
    const early = [data.observedAt, recordedAt].filter((instant) => instant !== undefined && Date.parse(instant) < Date.parse(limit));
    if (early.length > 0) {
      return [{ code: 'REFUND_OVERDUE_BEFORE_LIMIT', message: `recorded overdue at ${early.join(' / ')}, before its limit ${limit}`, details: { ...details, limit } }];
    }
    const decided = lotBefore === undefined ? [] : lotDecider.decide({ type: 'RecordTimePassed', now: data.observedAt }, lotBefore);
    const recorded = canonicalJson({ type: 'RefundOverdue', data });
    if (isRejection(decided) || !decided.some((event) => canonicalJson(event) === recorded)) {
      return [{ code: 'REFUND_OVERDUE_NOT_DECIDED', message: `the lot decider would not record this RefundOverdue at ${data.observedAt}`, details }];
    }
    return [];
  }

  /**
   * After a lot event recorded at `recordedMs`: the lot's refund limits still ahead are followed from now
   * on. A bond that becomes owed already past its limit (a late credit after the award) is due for
   * recording from that event on, not before.
   */
  follow(stream: string, lot: LotState, recordedMs: number): void {
    for (const { bond, refundDueBy, overdueFrom } of refundLimitsOf(lot)) {
      const key = `${stream}\u0000${bond.bondId}\u0000${refundDueBy}`;
      if (this.followed.has(key)) continue;
      this.followed.add(key);
      this.checked += 1;
      const from = Date.parse(overdueFrom);
      const limit: Limit = { ms: Number.isNaN(recordedMs) ? from : Math.max(from, recordedMs), stream, bondId: bond.bondId, refundDueBy };
      let at = this.ahead.length;
      while (at > 0 && (this.ahead[at - 1]?.ms ?? 0) > limit.ms) at -= 1;
      this.ahead.splice(at, 0, limit);
    }
  }

  /**
   * The log shows time up to `nowMs`: every limit passed by more than the grace whose refund the lot
   * still owes with no RefundOverdue for it is a finding (each once). Called before the event that
   * shows the time is folded (a late settlement must not hide the overdue refund it settles);
   * `recording`: that event is the RefundOverdue for one of them.
   */
  passed(nowMs: number, lotOf: (stream: string) => LotState | undefined, recording?: { stream: string; data: RefundOverdue['data'] }): OverdueProblem[] {
    const problems: OverdueProblem[] = [];
    while (this.ahead.length > 0 && (this.ahead[0]?.ms ?? Infinity) + OVERDUE_RECORDING_GRACE_MS <= nowMs) {
      const limit = this.ahead.shift();
      if (limit === undefined) break;
      // Recorded late (after a downtime) by the event at hand: told, if not in time.
      if (recording?.stream === limit.stream && recording.data.bondId === limit.bondId && recording.data.refundDueBy === limit.refundDueBy) continue;
      const lot = lotOf(limit.stream);
      const stillAhead = lot && refundLimitsOf(lot).some(({ bond, refundDueBy }) => bond.bondId === limit.bondId && refundDueBy === limit.refundDueBy);
      if (!stillAhead) continue;
      const overdueFrom = refundOverdueFrom(limit.refundDueBy);
      problems.push({
        code: 'REFUND_OVERDUE_NOT_RECORDED',
        message: `bond ${limit.bondId} was still owed its refund after its limit ${overdueFrom} (due by ${limit.refundDueBy}), and no RefundOverdue says so`,
        details: { lotId: lot.terms?.lotId ?? '', bondId: limit.bondId, refundDueBy: limit.refundDueBy, limit: overdueFrom },
      });
    }
    return problems;
  }
}
