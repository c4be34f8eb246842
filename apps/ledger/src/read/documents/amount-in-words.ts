/**
 * An amount in capital Chinese numerals (大写金额) as vouchers print it: "50000.00" → 人民币伍万元整,
 * "1234.56" → 人民币壹仟贰佰叁拾肆元伍角陆分. From the decimal string, digit by digit: no arithmetic on money.
 */
const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const IN_GROUP = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿', '万亿'];

export function amountInWords(amount: string): string {
  const match = /^(\d+)\.(\d)(\d)$/.exec(amount);
  if (match === null) throw new RangeError(`amountInWords: not a wire amount: ${amount}`);
  const [, whole = '0', jiao = '0', fen = '0'] = match;
  const yuan = wholeYuan(whole.replace(/^0+(?=\d)/, ''));
  if (jiao === '0' && fen === '0') return `人民币${yuan === '' ? '零' : yuan}元整`;
  const cents = `${jiao === '0' ? (yuan === '' ? '' : '零') : `${DIGITS[Number(jiao)]}角`}${fen === '0' ? '' : `${DIGITS[Number(fen)]}分`}`;
  return `人民币${yuan === '' ? '' : `${yuan}元`}${cents}`;
}

/** The yuan in words, "" for none. Groups of four digits, zeros read once between non-zero digits. */
function wholeYuan(digits: string): string {
  if (/^0*$/.test(digits)) return '';
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 4) groups.unshift(digits.slice(Math.max(0, end - 4), end));
  let words = '';
  let zeroPending = false;
  groups.forEach((group, index) => {
    const groupName = GROUPS[groups.length - 1 - index] ?? '';
    const padded = group.padStart(4, '0');
    let groupWords = '';
    for (let i = 0; i < 4; i += 1) {
      const digit = Number(padded[i]);
      if (digit === 0) {
        zeroPending = true;
        continue;
      }
      if (zeroPending && (words !== '' || groupWords !== '')) groupWords += '零';
      zeroPending = false;
      groupWords += DIGITS[digit]! + IN_GROUP[3 - i]!;
    }
    if (groupWords !== '') words += groupWords + groupName;
  });
  return words;
}
