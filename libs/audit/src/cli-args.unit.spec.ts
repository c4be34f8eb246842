import { isBeyond, parseAsOfInstant } from './as-of';
import { parseCliArgs } from './cli-args';

const event = (position: bigint, recordedAt: string) => ({ position, metadata: { correlationId: 'c', causationId: 'c', actor: 'a', recordedAt } });

describe('parseCliArgs', () => {
  it('reads replay with its defaults', () => {
    expect(parseCliArgs(['replay'])).toEqual({ help: false, reportPath: 'audit-report.json' });
  });

  it('reads every option', () => {
    expect(parseCliArgs(['replay', '--report', 'r.json', '--kafka-brokers', 'k1:9092, k2:9093', '--kafka-topic-prefix', 'it.'])).toEqual({
      help: false,
      reportPath: 'r.json',
      kafka: { brokers: ['k1:9092', 'k2:9093'], topicPrefix: 'it.' },
    });
    const command = parseCliArgs(['replay', '--as-of-position', '42', '--as-of', '2026-12-05']);
    expect(command).toMatchObject({ asOf: { position: 42n, recordedBefore: { given: '2026-12-05' } } });
  });

  it.each([
    [[], /name the command/],
    [['replay', 'extra'], /unknown command/],
    [['replay', '--kafka-brokers', 'no-port'], /host:port/],
    [['replay', '--kafka-topic-prefix', 'x.'], /needs --kafka-brokers/],
    [['replay', '--as-of', '2026-02-30'], /--as-of must be/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('as-of cuts', () => {
  it('takes a date as the whole business day in China Standard Time', () => {
    const cut = { recordedBefore: parseAsOfInstant('2026-12-05') };
    expect(isBeyond(cut, event(1n, '2026-12-05T15:59:59.999Z'))).toBe(false); // 23:59:59.999 +08:00
    expect(isBeyond(cut, event(2n, '2026-12-05T16:00:00.000Z'))).toBe(true);
  });

  it('takes an instant with its offset inclusively, to the millisecond', () => {
    const cut = { recordedBefore: parseAsOfInstant('2026-12-05T17:00:00+08:00') };
    expect(isBeyond(cut, event(1n, '2026-12-05T09:00:00.000Z'))).toBe(false);
    expect(isBeyond(cut, event(2n, '2026-12-05T09:00:00.001Z'))).toBe(true);
  });

  it('stops after a position, and at an event without a readable time when cutting by time', () => {
    expect(isBeyond({ position: 5n }, event(5n, 'x'))).toBe(false);
    expect(isBeyond({ position: 5n }, event(6n, 'x'))).toBe(true);
    expect(isBeyond({ recordedBefore: parseAsOfInstant('2026-12-05') }, event(1n, 'not a time'))).toBe(true);
  });
});
