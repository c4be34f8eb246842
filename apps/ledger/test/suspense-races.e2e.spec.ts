import { lotStream } from '@app/domain';
import { BANK, inboundCredit, lotTerms, payer, withWrongCheckDigit } from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';

/** Two operators resolving the same suspended credit at once: the money ends in exactly one place. */
describe('concurrent suspense resolutions (e2e)', () => {
  let ledger: LedgerHarness;
  let vaA: string;
  let vaB: string;

  beforeAll(async () => {
    ledger = await LedgerHarness.start('suspense-races');
    await ledger.registerCenter('C1');
    await ledger.openMasterAccount('C1', 'M1');
    await ledger.registerLot(lotTerms({ lotId: 'LA', centerId: 'C1', basicAccountPolicy: 'OFF' }));
    await ledger.registerLot(lotTerms({ lotId: 'LB', centerId: 'C1', basicAccountPolicy: 'OFF' }));
    vaA = await ledger.issueVirtualAccount('LA', 'M1');
    vaB = await ledger.issueVirtualAccount('LB', 'M1');
  });
  afterAll(() => ledger.close());

  async function suspendedCredit(bankRef: string): Promise<string> {
    const answer = await ledger.postCredit(
      inboundCredit({
        bankRef,
        receivedAt: '2026-12-01T10:00:00+08:00',
        valueDate: '2026-12-01',
        amount: '40000.00',
        payer: payer(`62220000${bankRef}`, 'Payer Co'),
        payeeAccountNo: withWrongCheckDigit(vaA),
      }),
    );
    expect(answer.body).toMatchObject({ outcome: 'SUSPENDED', reason: 'BAD_CHECK_DIGIT' });
    return answer.body.creditId as string;
  }

  const match = (creditId: string, virtualAccountNo: string) =>
    ledger.post(`/v1/suspense/${creditId}/resolution`, { action: 'MATCH', virtualAccountNo });

  it('two matches into the same lot: one wins, the credit stays in the lot once', async () => {
    const creditId = await suspendedCredit('RACE1');
    const answers = await Promise.all([match(creditId, vaA), match(creditId, vaA)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const balances = await ledger.balances();
    expect(balances.get(`virtual:${vaA}`)).toBe('-40000.00');
    expect(balances.get(`suspense:${BANK}`)).toBe('0.00');
    const lotEvents = await ledger.streamTypes(lotStream('LA'));
    expect(lotEvents.filter((type) => type === 'BondCredited')).toHaveLength(1);
    expect(lotEvents).not.toContain('SuspenseMatchVoided');
  });

  it('matches into two lots: the loser is voided back, the money is in one lot only', async () => {
    const creditId = await suspendedCredit('RACE2');
    const answers = await Promise.all([match(creditId, vaA), match(creditId, vaB)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const winner = answers.find((a) => a.status === 201)!.body.lotId as string;
    const loser = winner === 'LA' ? 'LB' : 'LA';
    // Nothing is voided any more: the losing match touches no lot.
    expect((await ledger.streamEvents(lotStream(loser))).filter((event) => event.data.creditId === creditId)).toEqual([]);
    const balances = await ledger.balances();
    expect(balances.get(`suspense:${BANK}`)).toBe('0.00');
    expect(balances.get(`virtual:${winner === 'LA' ? vaA : vaB}`)).toBe(winner === 'LA' ? '-80000.00' : '-40000.00');
    // An account never posted to has no balance at all.
    expect(balances.get(`virtual:${loser === 'LA' ? vaA : vaB}`) ?? '0.00').toBe(loser === 'LA' ? '-40000.00' : '0.00');
  });
});
