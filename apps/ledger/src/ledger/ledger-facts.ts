import { Inject, Injectable } from '@nestjs/common';
import {
  LotState,
  RateSchedule,
  VirtualAccountIssuedData,
  VirtualAccountNoClassification,
  basicAccountDecider,
  basicAccountStream,
  classifyVirtualAccountNo,
  lotDecider,
  lotStream,
  masterAccountDecider,
  masterAccountStream,
  MasterAccountState,
  rateScheduleDecider,
  rateScheduleStream,
  revisionOfSequence,
  tenderCenterDecider,
  tenderCenterStream,
  virtualAccountRegistryStream,
  Payer,
} from '@app/domain';
import type { EventStore } from '@app/event-store';
import { AggregateRepository } from '../commands/aggregate-repository';
import { EVENT_STORE } from '../event-store/event-store.token';
import { Banks, LEDGER_BANKS } from './banks';

/** A payee number as the inbound path sees it: its classification, and its issued record when there is one. */
export interface PayeeLookup {
  classification: VirtualAccountNoClassification;
  /** The bank whose clearing and suspense accounts the credit goes through. */
  bankCode: string;
  issued?: VirtualAccountIssuedData;
}

/** Issued virtual accounts remembered (oldest first out): a lot rarely has more than a few hundred. */
const MAX_REMEMBERED_ISSUES = 100_000;

/**
 * Facts one aggregate's decision needs from others, read from their streams. Reads are not locks:
 * facts used here are ones that never go back (a center exists, an account was declared, a number
 * was issued), so deciding on them is safe without a cross-stream transaction.
 */
@Injectable()
export class LedgerFacts {
  private readonly issuedRecords = new Map<string, VirtualAccountIssuedData>();

  constructor(
    private readonly repository: AggregateRepository,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_BANKS) private readonly banks: Banks,
  ) {}

  async centerExists(centerId: string): Promise<boolean> {
    return (await this.repository.load(tenderCenterStream(centerId), tenderCenterDecider)).state.exists;
  }

  async rateSchedule(scheduleId: string): Promise<RateSchedule | undefined> {
    const { state } = await this.repository.load(rateScheduleStream(scheduleId), rateScheduleDecider);
    return state.exists ? state.schedule : undefined;
  }

  async masterAccount(accountNo: string): Promise<MasterAccountState> {
    return (await this.repository.load(masterAccountStream(accountNo), masterAccountDecider)).state;
  }

  async lot(lotId: string): Promise<LotState> {
    return (await this.repository.load(lotStream(lotId), lotDecider)).state;
  }

  /** Bidders that declared the payer's account (same bank, same number) as their basic account. */
  async payerDeclaredBy(payer: Payer): Promise<string[]> {
    const { state } = await this.repository.load(basicAccountStream(payer.accountNo), basicAccountDecider);
    return [...new Set(state.declarations.filter((d) => d.bankCode === payer.bankCode).map((d) => d.bidderId))];
  }

  /** Classifies a payee number by its form, then finds its record by reading the one revision it must be at. */
  async payee(payeeAccountNo: string): Promise<PayeeLookup> {
    const classification = classifyVirtualAccountNo(payeeAccountNo, this.banks.prefixes);
    if (classification.kind === 'MALFORMED' || classification.kind === 'NOT_VIRTUAL') {
      return { classification, bankCode: this.banks.operatingBank };
    }
    const bankCode = this.banks.bankOfPrefix(classification.prefix)!;
    if (classification.kind === 'BAD_CHECK_DIGIT') return { classification, bankCode };
    const issued = this.issuedRecords.get(payeeAccountNo) ?? (await this.readIssued(classification.prefix, classification.sequence, payeeAccountNo));
    return issued === undefined ? { classification, bankCode } : { classification, bankCode, issued };
  }

  /** The issuing event of a number, remembered once found: an event never changes. A number not issued yet is not remembered. */
  private async readIssued(prefix: string, sequence: bigint, payeeAccountNo: string): Promise<VirtualAccountIssuedData | undefined> {
    const stream = virtualAccountRegistryStream(prefix);
    for await (const event of this.store.readStream(stream, { fromRevision: revisionOfSequence(sequence), maxCount: 1 })) {
      const issued = event.data as unknown as VirtualAccountIssuedData;
      if (issued.virtualAccountNo !== payeeAccountNo) return undefined;
      this.issuedRecords.set(payeeAccountNo, issued);
      if (this.issuedRecords.size > MAX_REMEMBERED_ISSUES) this.issuedRecords.delete(this.issuedRecords.keys().next().value!);
      return issued;
    }
    return undefined;
  }
}
