/**
 * OWASP's CSV-injection defence: a cell a spreadsheet could read as a formula (starting with
 * =, +, -, @, tab or carriage return) gets a leading apostrophe, so Excel shows it as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const inertCell = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);

/** Excel's limit per cell; longer evidence is cut there with this note appended. */
export const MAX_CELL_CHARS = 32_000;
export const TRUNCATED_NOTE = { zh: '…[已截断]', en: '…[truncated]' } as const;
