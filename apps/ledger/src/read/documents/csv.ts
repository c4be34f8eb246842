/**
 * CSV as RFC 4180 writes it, for spreadsheets a tender center files away: UTF-8 with a byte-order mark
 * (so Excel reads the Chinese names as UTF-8), CRLF after every record, a field quoted when it holds a
 * comma, a quote, CR or LF, quotes doubled. A text field that a spreadsheet would run as a formula (it
 * starts with =, +, -, @, a tab or CR: a payer's name is the bank's text, not ours) gets a leading
 * apostrophe (OWASP, CSV injection); amounts, dates and ids never start so.
 */
const BOM = '\uFEFF';
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvCell = string | number | boolean | undefined;

function field(value: CsvCell): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows (the first is the header) as one CSV text, BOM first. */
export function csvText(rows: readonly (readonly CsvCell[])[]): string {
  return BOM + rows.map((row) => `${row.map(field).join(',')}\r\n`).join('');
}
