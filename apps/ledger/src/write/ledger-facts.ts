import {
  type MasterAccountOpenedData,
  type Payer,
  type PayeeFacts,
  type RateSchedule,
  type VirtualAccountIssuedData,
  basicAccountHoldersFor,
  basicAccountStoredFold,
  basicAccountStream,
  bidderStoredFold,
  bidderStream,
  declaredFor,
  legacyHoldersToCheck,
  classifyVirtualAccountNo,
  masterAccountStoredFold,
  masterAccountStream,
  rateScheduleStoredFold,
  rateScheduleStream,
  revisionOfSequence,
  tenderCenterStoredFold,
  tenderCenterStream,
  virtualAccountRegistryEvents,
  virtualAccountRegistryStream,
} from '@app/domain';
import type { StreamReader } from '@app/command-kernel';
import type { EventStore } from '@app/event-store';
import type { Banks } from './banks';

/** Issued virtual accounts remembered (oldest first out): a lot rarely has more than a few hundred. */
const MAX_REMEMBERED_ISSUES = 100_000;

/**
 * Facts a command's decision needs from streams it does not write, read through the command's reader
 * (fresh: nothing it does not append to can prove a remembered state current). Issued virtual-account
 * records are read straight from their registry and remembered: an event never changes.
 */
export class LedgerFacts {
  private readonly issuedRecords = new Map<string, VirtualAccountIssuedData>();

  constructor(
    private readonly store: EventStore,
    readonly banks: Banks,
  ) {}

  async centerExists(reader: StreamReader, centerId: string): Promise<boolean> {
    return (await reader.read(tenderCenterStream(centerId), tenderCenterStoredFold, { fresh: true })).exists;
  }

  async rateSchedule(reader: StreamReader, scheduleId: string): Promise<RateSchedule | undefined> {
    const state = await reader.read(rateScheduleStream(scheduleId), rateScheduleStoredFold, { fresh: true });
    return state.exists ? state.schedule : undefined;
  }

  /** The master accounts of this number at every bank this ledger serves. */
  async masterAccountsNumbered(reader: StreamReader, accountNo: string): Promise<MasterAccountOpenedData[]> {
    const opened: MasterAccountOpenedData[] = [];
    for (const bankCode of this.banks.bankCodes) {
      const state = await reader.read(masterAccountStream(bankCode, accountNo), masterAccountStoredFold, { fresh: true });
      if (state.exists) opened.push(state);
    }
    return opened;
  }

  /**
   * The bidders whose basic account the payer's account (same bank, same number) is for a lot of `centerId`
   * (`basicAccountHoldersFor`): one read, plus the bidder streams of legacy declarations only where those decide.
   */
  async payerDeclaredBy(reader: StreamReader, payer: Payer, centerId: string): Promise<string[]> {
    const state = await reader.read(basicAccountStream(payer.accountNo), basicAccountStoredFold, { fresh: true });
    const lot = { centerId, bankCode: payer.bankCode };
    const redeclared = new Set<string>();
    for (const bidderId of legacyHoldersToCheck(state, lot)) {
      if (declaredFor(await reader.read(bidderStream(bidderId), bidderStoredFold, { fresh: true }), centerId)) redeclared.add(bidderId);
    }
    return basicAccountHoldersFor(state, lot, (bidderId) => redeclared.has(bidderId));
  }

  /** Classifies a payee number by its form, then finds its record by reading the one revision it must be at. */
  async payee(payeeAccountNo: string): Promise<PayeeFacts> {
    const classification = classifyVirtualAccountNo(payeeAccountNo, this.banks.prefixes);
    if (classification.kind !== 'VIRTUAL') return { classification };
    const issued = this.issuedRecords.get(payeeAccountNo) ?? (await this.readIssued(classification.prefix, classification.sequence, payeeAccountNo));
    return issued === undefined ? { classification } : { classification, issued };
  }

  /** The issuing event of a number, remembered once found. A number not issued yet is not remembered. */
  private async readIssued(prefix: string, sequence: bigint, payeeAccountNo: string): Promise<VirtualAccountIssuedData | undefined> {
    const stream = virtualAccountRegistryStream(prefix);
    for await (const event of this.store.readStream(stream, { fromRevision: revisionOfSequence(sequence), maxCount: 1 })) {
      const issued = virtualAccountRegistryEvents.decode(event).data;
      if (issued.virtualAccountNo !== payeeAccountNo) return undefined;
      this.issuedRecords.set(payeeAccountNo, issued);
      if (this.issuedRecords.size > MAX_REMEMBERED_ISSUES) this.issuedRecords.delete(this.issuedRecords.keys().next().value!);
      return issued;
    }
    return undefined;
  }
}
