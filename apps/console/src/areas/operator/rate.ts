/**
 * An annual rate as the API sends it (a decimal fraction, "0.0035") as a percentage ("0.35%"), by moving the
 * decimal point in the string: never a float. At least two decimals; a string that is not a decimal is shown as it came.
 */
export function formatRate(rate: string): string {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!match) return rate;
  const [, whole = '0', fraction = ''] = match;
  const padded = fraction.padEnd(2, '0');
  const percentWhole = `${whole}${padded.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const percentFraction = padded.slice(2).replace(/0+$/, '').padEnd(2, '0');
  return `${percentWhole}.${percentFraction}%`;
}
