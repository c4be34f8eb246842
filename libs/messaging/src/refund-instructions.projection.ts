import { CURRENCY, type Payer, type Posting } from '@app/domain';
import { type Checkpointed, type ProjectionEvent, type Table, defineProjection, emptyTable, known, tableGet, tableSet } from '@app/projections';

export type RefundInstructionStatus = 'INSTRUCTED' | 'SETTLED' | 'FAILED';

/**
 * What the bank's payment system (the ESB) needs to pay a refund, and nothing more: the payee (the
 * account the bond came from, 原路退回), the amount, the paying bank. Deliberately without bidder id,
 * bond id, tranches, virtual accounts or flags (data minimisation: this topic is readable before bid
 * opening by the ESB, so it carries only what a payment order carries).
 */
export interface RefundInstruction {
  readonly refundId: string;
  readonly lotId: string;
  /** The payee: the original payer account. */
  readonly payTo: Payer;
  /** The amount to pay: principal + interest. */
  readonly amount: string;
  readonly currency: string;
  readonly principal: string;
  readonly interest: string;
  /** The bank whose clearing account the money leaves (`clearing:{bankCode}` in the instruction's postings). */
  readonly payFromBankCode: string;
  /** Interest ran to this day, exclusive; the day the payment is meant to go out. */
  readonly refundOn: string;
  readonly attempt: number;
  /**
   * INSTRUCTED: to be paid. SETTLED / FAILED: the ESB has reported the outcome
   * (POST /v1/refunds/{refundId}/settlement); a FAILED refund is retried under a new refund id.
   */
  readonly status: RefundInstructionStatus;
  /** The outgoing payment's bank reference, once reported. */
  readonly bankRef?: string;
  readonly failureReason?: string;
}

export interface RefundInstructionsModel extends Checkpointed {
  /** Refund id → instruction. */
  readonly instructions: Table<RefundInstruction>;
}

function payingBank(postings: readonly Posting[]): string {
  const credit = postings.find((posting) => posting.side === 'CREDIT' && posting.account.startsWith('clearing:'));
  if (!credit) throw new Error('RefundInstructed without a clearing credit');
  return credit.account.slice('clearing:'.length);
}

function applyRefundInstructions(model: RefundInstructionsModel, event: ProjectionEvent): RefundInstructionsModel {
  const domainEvent = known(event);
  switch (domainEvent.type) {
    case 'RefundInstructed': {
      const d = domainEvent.data;
      if (tableGet(model.instructions, d.refundId)) return model;
      const instruction: RefundInstruction = {
        refundId: d.refundId,
        lotId: d.lotId,
        payTo: d.payTo,
        amount: d.total,
        currency: CURRENCY,
        principal: d.principal,
        interest: d.interest,
        payFromBankCode: payingBank(d.postings),
        refundOn: d.refundOn,
        attempt: d.attempt,
        status: 'INSTRUCTED',
      };
      return { ...model, instructions: tableSet(model.instructions, d.refundId, instruction) };
    }
    case 'RefundSettled':
    case 'RefundFailed': {
      const d = domainEvent.data;
      const instruction = tableGet(model.instructions, d.refundId);
      if (!instruction) return model;
      const next: RefundInstruction =
        domainEvent.type === 'RefundSettled'
          ? { ...instruction, status: 'SETTLED', bankRef: d.bankRef }
          : { ...instruction, status: 'FAILED', bankRef: d.bankRef, failureReason: domainEvent.data.reason };
      return { ...model, instructions: tableSet(model.instructions, d.refundId, next) };
    }
    default:
      return model;
  }
}

/** The ESB's view of refunds; a projection of its own (pure, like those of `@app/projections`). */
export const refundInstructionsProjection = defineProjection<RefundInstructionsModel>(
  'refund-instructions',
  { instructions: emptyTable() },
  applyRefundInstructions,
  // A literal, not a spread: see `objects.ts` of @app/projections.
  (model, position) => ({ instructions: model.instructions, position }),
);

export function refundInstructionOf(model: RefundInstructionsModel, refundId: string): RefundInstruction | undefined {
  return tableGet(model.instructions, refundId);
}
