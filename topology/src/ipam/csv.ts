import { DomainError } from '../errors';

/**
 * CSV in NetBox's prefix import columns — `prefix,vrf,status,role,description,site` —
 * so engineers can move prefixes between this tool and NetBox (NetBox's bulk
 * import accepts exactly these headers; `site` is the site's code here).
 * RFC 4180 quoting: fields with a comma, quote or line break are quoted.
 */

export const NETBOX_PREFIX_COLUMNS = ['prefix', 'vrf', 'status', 'role', 'description', 'site'] as const;
export type NetboxPrefixRow = Record<(typeof NETBOX_PREFIX_COLUMNS)[number], string>;

const STATUSES = new Set(['container', 'active', 'reserved', 'deprecated']);

function quote(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function formatPrefixCsv(rows: readonly NetboxPrefixRow[]): string {
  const lines = [NETBOX_PREFIX_COLUMNS.join(',')];
  for (const r of rows) lines.push(NETBOX_PREFIX_COLUMNS.map((c) => quote(r[c] ?? '')).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Splits CSV text into records of fields (RFC 4180). */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const src = text.replace(/^\uFEFF/, '');
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      field += ch; i++; continue;
    }
    if (ch === '"' && field === '') { quoted = true; i++; continue; }
    if (ch === ',') { record.push(field); field = ''; i++; continue; }
    if (ch === '\r' || ch === '\n') {
      record.push(field); field = '';
      if (record.some((f) => f !== '')) records.push(record);
      record = [];
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch; i++;
  }
  if (quoted) throw new DomainError('BAD_REQUEST', 'CSV: a quoted field is not closed', { field: 'csv' });
  record.push(field);
  if (record.some((f) => f !== '')) records.push(record);
  return records;
}

/**
 * Parses NetBox prefix CSV. The header must name `prefix`; other known columns
 * are optional, unknown columns are an error (so a typo is not silently dropped).
 * Returns rows with their 1-based CSV line numbers (header = line 1).
 */
export function parsePrefixCsv(text: string): { line: number; row: NetboxPrefixRow }[] {
  const [header, ...body] = parseCsvRecords(text);
  if (!header) throw new DomainError('BAD_REQUEST', 'CSV is empty', { field: 'csv', hint: `first line: ${NETBOX_PREFIX_COLUMNS.join(',')}` });
  const cols = header.map((h) => h.trim().toLowerCase());
  const unknown = cols.filter((c) => !(NETBOX_PREFIX_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) {
    throw new DomainError('BAD_REQUEST', `CSV: unknown column ${unknown.join(', ')}`, { field: 'csv', hint: `columns are ${NETBOX_PREFIX_COLUMNS.join(', ')}` });
  }
  if (!cols.includes('prefix')) throw new DomainError('BAD_REQUEST', 'CSV: the header has no prefix column', { field: 'csv' });
  return body.map((fields, i) => {
    const line = i + 2;
    if (fields.length !== cols.length) {
      throw new DomainError('BAD_REQUEST', `CSV line ${line}: ${fields.length} fields, the header has ${cols.length}`, { field: `csv:${line}` });
    }
    const row = Object.fromEntries(NETBOX_PREFIX_COLUMNS.map((c) => [c, ''])) as NetboxPrefixRow;
    cols.forEach((c, j) => (row[c as keyof NetboxPrefixRow] = fields[j]!.trim()));
    row.status = row.status.toLowerCase() || 'active';
    if (!STATUSES.has(row.status)) {
      throw new DomainError('BAD_REQUEST', `CSV line ${line}: status ${row.status} is not one of ${[...STATUSES].join(', ')}`, { field: `csv:${line}` });
    }
    return { line, row };
  });
}
