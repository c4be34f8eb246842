import {
  MAX_VIRTUAL_ACCOUNT_SEQUENCE,
  VirtualAccountSequenceExhaustedError,
  classifyVirtualAccountNo,
  formatVirtualAccountNo,
  hasValidLuhn,
  isValidVirtualAccountPrefix,
  luhnCheckDigit,
  nextSequence,
} from './virtual-account-number';

/*
 * Hand-computed 19-digit vectors. Payload digits d1..d18 (left to right); since the payload has an
 * even length, the doubled digits are d2, d4, ..., d18 (the right-most payload digit is doubled);
 * a doubled value above 9 becomes value - 9. Check digit = (10 - sum mod 10) mod 10.
 *
 * A) prefix 955880, sequence 1: payload 955880 000000000001
 *    undoubled d1,d3,d5 = 9 + 5 + 8                  = 22
 *    doubled   d2=5 -> 10 -> 1, d4=8 -> 16 -> 7, d6=0  =  8   (prefix alone contributes 30)
 *    d7..d17 = 0; d18 = 1 doubled -> 2                 =  2
 *    sum 32 -> check 8                                 => 9558800000000000018
 *
 * B) prefix 955880, sequence 123456789012: payload 955880 123456789012
 *    undoubled d1,d3,...,d17 = 9,5,8,1,3,5,7,9,1       = 48
 *    doubled   d2,d4,...,d18 = 5,8,0,2,4,6,8,0,2
 *              -> 1,7,0,4,8,3,7,0,4                    = 34
 *    sum 82 -> check 8                                 => 9558801234567890128
 *
 * C) prefix 100001, sequence 999999999999: payload 100001 999999999999
 *    undoubled d1,d3,...,d17 = 1,0,0,9,9,9,9,9,9       = 55
 *    doubled   d2=0, d4=0, d6=1 -> 2, d8..d18 = six 9s -> 18 -> 9 each = 2 + 54 = 56
 *    sum 111 -> check 9                                => 1000019999999999999
 *
 * D) prefix 955880, sequence 19: payload 955880 000000000019
 *    prefix 30; d17 = 1 undoubled; d18 = 9 doubled -> 18 -> 9
 *    sum 40 -> check 0                                 => 9558800000000000190
 */
const HAND_VECTORS: ReadonlyArray<{ prefix: string; sequence: bigint; no: string }> = [
  { prefix: '955880', sequence: 1n, no: '9558800000000000018' },
  { prefix: '955880', sequence: 123_456_789_012n, no: '9558801234567890128' },
  { prefix: '100001', sequence: 999_999_999_999n, no: '1000019999999999999' },
  { prefix: '955880', sequence: 19n, no: '9558800000000000190' },
];

const KNOWN = ['955880', '955881', '100001'] as const;

/** An independent Luhn formulation (weights table over the reversed payload) to cross-check with. */
const DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
function referenceCheckDigit(payload: string): number {
  const reversed = [...payload].reverse().map(Number);
  const sum = reversed.reduce((acc, d, i) => acc + (i % 2 === 0 ? DOUBLED[d]! : d), 0);
  return (sum * 9) % 10;
}

function replaceAt(s: string, i: number, c: string): string {
  return s.slice(0, i) + c + s.slice(i + 1);
}

function swapAt(s: string, i: number): string {
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

/** A Luhn-valid 19-digit number that has digits a, b at positions i, i+1 (0-based, i in 0..17). */
function validNumberWithPairAt(i: number, a: number, b: number): string {
  const base = '314159265358979323'.split('');
  if (i + 1 <= 17) {
    base[i] = String(a);
    base[i + 1] = String(b);
    const payload = base.join('');
    return payload + String(luhnCheckDigit(payload));
  }
  // i = 17: b is the check digit. Position 16 is not doubled, so stepping it walks the check digit
  // through all ten values; pick the one that yields b.
  base[17] = String(a);
  for (let d16 = 0; d16 <= 9; d16++) {
    base[16] = String(d16);
    const payload = base.join('');
    if (luhnCheckDigit(payload) === b) return payload + String(b);
  }
  throw new Error(`no number with ${a}${b} at ${i}`);
}

describe('Luhn', () => {
  it('accepts the textbook and well-known card vectors', () => {
    expect(hasValidLuhn('79927398713')).toBe(true);
    expect(luhnCheckDigit('7992739871')).toBe(3);
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117']) {
      expect(hasValidLuhn(n)).toBe(true);
      expect(luhnCheckDigit(n.slice(0, -1))).toBe(Number(n.slice(-1)));
    }
  });

  it('rejects the textbook vector with any other check digit', () => {
    for (let d = 0; d <= 9; d++) {
      expect(hasValidLuhn(`7992739871${d}`)).toBe(d === 3);
    }
  });

  it('computes the hand-worked 19-digit check digits', () => {
    for (const v of HAND_VECTORS) {
      expect(luhnCheckDigit(v.no.slice(0, 18))).toBe(Number(v.no[18]));
      expect(hasValidLuhn(v.no)).toBe(true);
    }
  });

  it('agrees with an independent formulation on many payloads', () => {
    for (let s = 1; s <= 3000; s += 1) {
      const payload = `955880${String(s * 7919).padStart(12, '0')}`;
      expect(luhnCheckDigit(payload)).toBe(referenceCheckDigit(payload));
    }
    for (const payload of ['0', '1', '9', '18', '91', '1234567890', '999999999999999999']) {
      expect(luhnCheckDigit(payload)).toBe(referenceCheckDigit(payload));
    }
  });

  it('luhnCheckDigit throws RangeError on non-digit input', () => {
    for (const bad of ['', 'abc', '12 3', '12-3', '１２３', ' 123']) {
      expect(() => luhnCheckDigit(bad)).toThrow(RangeError);
    }
  });

  it('hasValidLuhn is false (and does not throw) on non-digit or too short input', () => {
    for (const bad of ['', '7', '0', '7992739871 3', '79927398713 ', 'x9927398713', '7992-7398713']) {
      expect(hasValidLuhn(bad)).toBe(false);
    }
  });
});

describe('formatVirtualAccountNo', () => {
  it('produces the hand-worked numbers', () => {
    for (const v of HAND_VECTORS) {
      expect(formatVirtualAccountNo(v.prefix, v.sequence)).toBe(v.no);
    }
  });

  it('zero-pads the sequence to 12 digits, 19 digits in all', () => {
    const cases: Array<[bigint | number, string]> = [
      [1, '000000000001'],
      [1n, '000000000001'],
      [10, '000000000010'],
      [999_999, '000000999999'],
      [100_000_000_000n, '100000000000'],
      [999_999_999_999, '999999999999'],
    ];
    for (const [sequence, padded] of cases) {
      const no = formatVirtualAccountNo('955880', sequence);
      expect(no).toHaveLength(19);
      expect(no.slice(0, 6)).toBe('955880');
      expect(no.slice(6, 18)).toBe(padded);
      expect(hasValidLuhn(no)).toBe(true);
    }
  });

  it('gives the same number for a number and a bigint sequence', () => {
    expect(formatVirtualAccountNo('955880', 4242)).toBe(formatVirtualAccountNo('955880', 4242n));
  });

  it('throws RangeError on a sequence out of range or not an integer', () => {
    for (const bad of [0, 0n, -1, -1n, 1_000_000_000_000, 1_000_000_000_000n, 1.5, NaN, Infinity, 2 ** 53]) {
      expect(() => formatVirtualAccountNo('955880', bad)).toThrow(RangeError);
    }
  });

  it('throws RangeError on a bad prefix', () => {
    for (const bad of ['95588', '9558800', '055880', '000000', '95588a', ' 95588', '９５５８８０', '']) {
      expect(() => formatVirtualAccountNo(bad, 1n)).toThrow(RangeError);
    }
  });
});

describe('isValidVirtualAccountPrefix', () => {
  it('accepts 6 digits not starting with 0 and nothing else', () => {
    expect(isValidVirtualAccountPrefix('955880')).toBe(true);
    expect(isValidVirtualAccountPrefix('100000')).toBe(true);
    for (const bad of ['055880', '95588', '9558800', '95588O', 955880, undefined]) {
      expect(isValidVirtualAccountPrefix(bad)).toBe(false);
    }
  });
});

describe('classifyVirtualAccountNo', () => {
  it('classifies the hand-worked numbers as VIRTUAL with their prefix and sequence', () => {
    for (const v of HAND_VECTORS) {
      expect(classifyVirtualAccountNo(v.no, KNOWN)).toEqual({ kind: 'VIRTUAL', prefix: v.prefix, sequence: v.sequence });
    }
  });

  it('round-trips format -> classify for prefixes and sequences across the range (array and Set)', () => {
    const sequences = [1n, 2n, 9n, 10n, 11n, 99n, 100n, 12_345n, 10n ** 11n, 123_456_789_012n, MAX_VIRTUAL_ACCOUNT_SEQUENCE - 1n, MAX_VIRTUAL_ACCOUNT_SEQUENCE];
    for (const prefix of KNOWN) {
      for (const sequence of sequences) {
        const no = formatVirtualAccountNo(prefix, sequence);
        const expected = { kind: 'VIRTUAL', prefix, sequence };
        expect(classifyVirtualAccountNo(no, KNOWN)).toEqual(expected);
        expect(classifyVirtualAccountNo(no, new Set(KNOWN))).toEqual(expected);
      }
    }
  });

  it('MALFORMED: wrong length, letters, spaces, dashes, empty, full-width digits; never normalised', () => {
    const valid = '9558800000000000018';
    const malformed = [
      '',
      valid.slice(0, 18), // 18 digits
      `${valid}0`, // 20 digits
      '955880000000000001A',
      'A558800000000000018',
      ` ${valid}`,
      `${valid} `,
      `${valid}\n`,
      '955880 000000000001 8',
      '9558 8000 0000 0000 018',
      '955880-000000000001-8',
      '９５５８８０００００００００００００１８',
      '+955880000000000018',
      '9558800000000000018'.replace('1', 'l'),
    ];
    for (const candidate of malformed) {
      expect(classifyVirtualAccountNo(candidate, KNOWN)).toEqual({ kind: 'MALFORMED' });
    }
  });

  it('MALFORMED on non-string input at run time', () => {
    expect(classifyVirtualAccountNo(9558800000000000018n as unknown as string, KNOWN)).toEqual({ kind: 'MALFORMED' });
    expect(classifyVirtualAccountNo(undefined as unknown as string, KNOWN)).toEqual({ kind: 'MALFORMED' });
  });

  it('MALFORMED for sequence 0 under a known prefix even with a valid check digit (0 is never issued)', () => {
    // payload 955880 000000000000: prefix contributes 30 -> check digit 0
    expect(hasValidLuhn('9558800000000000000')).toBe(true);
    expect(classifyVirtualAccountNo('9558800000000000000', KNOWN)).toEqual({ kind: 'MALFORMED' });
  });

  it('NOT_VIRTUAL: 19 digits under a prefix that is not configured, whatever the check digit', () => {
    const other = '6222020200000000000'.slice(0, 18);
    const validElsewhere = other + String(luhnCheckDigit(other));
    expect(classifyVirtualAccountNo(validElsewhere, KNOWN)).toEqual({ kind: 'NOT_VIRTUAL' });
    expect(classifyVirtualAccountNo(replaceAt(validElsewhere, 18, String((Number(validElsewhere[18]) + 1) % 10)), KNOWN)).toEqual({
      kind: 'NOT_VIRTUAL',
    });
    // a well-formed virtual number of a prefix that is not (or no longer) configured
    expect(classifyVirtualAccountNo('9558800000000000018', ['955881'])).toEqual({ kind: 'NOT_VIRTUAL' });
    expect(classifyVirtualAccountNo('9558800000000000018', new Set<string>())).toEqual({ kind: 'NOT_VIRTUAL' });
  });

  it('BAD_CHECK_DIGIT: known prefix, 19 digits, every wrong check digit', () => {
    for (const v of HAND_VECTORS) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === v.no[18]) continue;
        expect(classifyVirtualAccountNo(v.no.slice(0, 18) + String(d), KNOWN)).toEqual({ kind: 'BAD_CHECK_DIGIT', prefix: v.prefix });
      }
    }
    // sequence 0 with a failing check digit is a typo first
    expect(classifyVirtualAccountNo('9558800000000000001', KNOWN)).toEqual({ kind: 'BAD_CHECK_DIGIT', prefix: '955880' });
  });

  it('throws RangeError when a configured prefix is malformed', () => {
    expect(() => classifyVirtualAccountNo('9558800000000000018', ['95588'])).toThrow(RangeError);
    expect(() => classifyVirtualAccountNo('9558800000000000018', new Set(['955880', '055880']))).toThrow(RangeError);
  });
});

describe('error detection properties', () => {
  const samples: string[] = [
    ...HAND_VECTORS.map((v) => v.no),
    ...KNOWN.flatMap((prefix) =>
      [1n, 7n, 90n, 909n, 1_000_001n, 908_070_605_040n, 555_555_555_555n, MAX_VIRTUAL_ACCOUNT_SEQUENCE].map((s) => formatVirtualAccountNo(prefix, s)),
    ),
  ];

  it('every single-digit substitution at every position is detected and never classified VIRTUAL', () => {
    const known = new Set<string>(KNOWN);
    let checked = 0;
    let landedOnAnotherKnownPrefix = 0;
    for (const no of samples) {
      expect(hasValidLuhn(no)).toBe(true);
      for (let i = 0; i < 19; i++) {
        for (let d = 0; d <= 9; d++) {
          const c = String(d);
          if (c === no[i]) continue;
          const typo = replaceAt(no, i, c);
          checked++;
          expect(hasValidLuhn(typo)).toBe(false);
          const result = classifyVirtualAccountNo(typo, known);
          expect(result.kind).not.toBe('VIRTUAL');
          const prefix = typo.slice(0, 6);
          if (known.has(prefix)) {
            expect(result).toEqual({ kind: 'BAD_CHECK_DIGIT', prefix });
            if (i < 6) landedOnAnotherKnownPrefix++;
          } else {
            expect(result).toEqual({ kind: 'NOT_VIRTUAL' });
          }
        }
      }
    }
    expect(checked).toBe(samples.length * 19 * 9);
    // 955880 <-> 955881 differ in one digit: the check digit is what stops a typo crossing prefixes
    expect(landedOnAnotherKnownPrefix).toBeGreaterThan(0);
  });

  it('every adjacent transposition at every position is detected except 09 <-> 90 (exhaustive over digit pairs)', () => {
    let pairsChecked = 0;
    for (let i = 0; i <= 17; i++) {
      for (let a = 0; a <= 9; a++) {
        for (let b = 0; b <= 9; b++) {
          if (a === b) continue;
          const no = validNumberWithPairAt(i, a, b);
          expect(hasValidLuhn(no)).toBe(true);
          expect([no[i], no[i + 1]]).toEqual([String(a), String(b)]);
          const swapped = swapAt(no, i);
          const blindSpot = (a === 0 && b === 9) || (a === 9 && b === 0);
          expect({ i, a, b, valid: hasValidLuhn(swapped) }).toEqual({ i, a, b, valid: blindSpot });
          pairsChecked++;
        }
      }
    }
    expect(pairsChecked).toBe(18 * 90);
  });

  it('adjacent transpositions of real virtual numbers are never classified VIRTUAL unless 09 <-> 90', () => {
    const known = new Set<string>(KNOWN);
    let blindSpotsSeen = 0;
    for (const no of samples) {
      for (let i = 0; i <= 17; i++) {
        if (no[i] === no[i + 1]) continue;
        const swapped = swapAt(no, i);
        const blindSpot = [no[i], no[i + 1]].sort().join('') === '09';
        const stillLooksVirtual = blindSpot && known.has(swapped.slice(0, 6)) && BigInt(swapped.slice(6, 18)) > 0n;
        expect({ no, i, kind: classifyVirtualAccountNo(swapped, known).kind }).toEqual({
          no,
          i,
          kind: stillLooksVirtual ? 'VIRTUAL' : expect.not.stringMatching(/^VIRTUAL$/),
        });
        if (stillLooksVirtual) blindSpotsSeen++;
      }
    }
    expect(blindSpotsSeen).toBeGreaterThan(0); // the samples (sequences 90, 909, ...) do exercise it
  });

  it('documented blind spot: 9558800000000000190 with its final 9 and 0 swapped is another valid number', () => {
    // 955880 000000000010 + 9: sum 30 + 1 (d17, undoubled) + 0 = 31 -> check 9
    expect(classifyVirtualAccountNo('9558800000000000109', KNOWN)).toEqual({ kind: 'VIRTUAL', prefix: '955880', sequence: 10n });
  });
});

describe('nextSequence', () => {
  it('starts at 1 and counts up by one', () => {
    expect(nextSequence(undefined)).toBe(1n);
    expect(nextSequence(1n)).toBe(2n);
    expect(nextSequence(41n)).toBe(42n);
    expect(nextSequence(MAX_VIRTUAL_ACCOUNT_SEQUENCE - 1n)).toBe(999_999_999_999n);
  });

  it('throws VirtualAccountSequenceExhaustedError after the last sequence', () => {
    let thrown: unknown;
    try {
      nextSequence(999_999_999_999n);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(VirtualAccountSequenceExhaustedError);
    expect(thrown).not.toBeInstanceOf(RangeError);
    expect((thrown as VirtualAccountSequenceExhaustedError).code).toBe('VIRTUAL_ACCOUNT_SEQUENCE_EXHAUSTED');
    expect((thrown as VirtualAccountSequenceExhaustedError).lastIssued).toBe(999_999_999_999n);
  });

  it('throws RangeError for a last-issued value that can never have been issued', () => {
    for (const bad of [0n, -1n, 1_000_000_000_000n, 5 as unknown as bigint]) {
      expect(() => nextSequence(bad)).toThrow(RangeError);
    }
  });

  it('every value it returns formats to a valid virtual number', () => {
    for (const last of [undefined, 1n, 98n, MAX_VIRTUAL_ACCOUNT_SEQUENCE - 1n]) {
      const no = formatVirtualAccountNo('955880', nextSequence(last));
      expect(classifyVirtualAccountNo(no, ['955880'])).toMatchObject({ kind: 'VIRTUAL' });
    }
  });
});
