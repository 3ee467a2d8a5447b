import { assignBody, MAX_IMPORT_ROWS, PREFIX_STATUSES, type PrefixStatus } from '../api/ipam';
import { parsePrefix, formatPrefix, type Prefix } from '../cidr/prefix';
import { csvTable } from '../csv-cell';
import { DomainError } from '../errors';

/**
 * CSV in NetBox's prefix import columns — `prefix,vrf,status,role,description,site` —
 * so engineers can move prefixes between this tool and NetBox (NetBox's bulk
 * import accepts exactly these headers; `site` is the site's code here).
 * RFC 4180 quoting: fields with a comma, quote or line break are quoted.
 * Cells that a spreadsheet would run as a formula (starting with `=`, `+`,
 * `-`, `@`, a tab or CR) are exported with a leading `'` ({@link csvCell});
 * the import takes that one `'` off again, so an export imports unchanged.
 */

export const NETBOX_PREFIX_COLUMNS = ['prefix', 'vrf', 'status', 'role', 'description', 'site'] as const;
export type NetboxPrefixRow = Record<(typeof NETBOX_PREFIX_COLUMNS)[number], string>;

const STATUSES: ReadonlySet<string> = new Set(PREFIX_STATUSES);

export function formatPrefixCsv(rows: readonly NetboxPrefixRow[]): string {
  return csvTable(
    NETBOX_PREFIX_COLUMNS,
    rows.map((r) => NETBOX_PREFIX_COLUMNS.map((c) => r[c] ?? '')),
  );
}

/** A cell {@link csvCell} neutralised: `'` before a formula character. */
const NEUTRALISED = /^'[=+\-@\t\r]/;

/** Splits CSV text into records of fields (RFC 4180). */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const src = text.replace(/^\uFEFF/, '');
  // Runs of ordinary characters are copied as slices, not one by one: a 20 MB body parses in linear time.
  const delimiter = /[,\r\n]/g;
  while (i < src.length) {
    if (quoted) {
      const q = src.indexOf('"', i);
      if (q < 0) {
        field += src.slice(i);
        i = src.length;
        continue;
      }
      field += src.slice(i, q);
      if (src[q + 1] === '"') {
        field += '"';
        i = q + 2;
        continue;
      }
      quoted = false;
      i = q + 1;
      continue;
    }
    const ch = src[i]!;
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
      continue;
    }
    if (ch === ',') {
      record.push(field);
      field = '';
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      record.push(field);
      field = '';
      if (record.some((f) => f !== '')) records.push(record);
      record = [];
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    delimiter.lastIndex = i;
    const end = delimiter.exec(src)?.index ?? src.length;
    field += src.slice(i, end);
    i = end;
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
  if (!header)
    throw new DomainError('BAD_REQUEST', 'CSV is empty', { field: 'csv', hint: `first line: ${NETBOX_PREFIX_COLUMNS.join(',')}` });
  const cols = header.map((h) => h.trim().toLowerCase());
  const unknown = cols.filter((c) => !(NETBOX_PREFIX_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) {
    throw new DomainError('BAD_REQUEST', `CSV: unknown column ${unknown.join(', ')}`, {
      field: 'csv',
      hint: `columns are ${NETBOX_PREFIX_COLUMNS.join(', ')}`,
    });
  }
  if (!cols.includes('prefix')) throw new DomainError('BAD_REQUEST', 'CSV: the header has no prefix column', { field: 'csv' });
  return body.map((fields, i) => {
    const line = i + 2;
    if (fields.length !== cols.length) {
      throw new DomainError('BAD_REQUEST', `CSV line ${line}: ${fields.length} fields, the header has ${cols.length}`, {
        field: `csv:${line}`,
      });
    }
    const row = Object.fromEntries(NETBOX_PREFIX_COLUMNS.map((c) => [c, ''])) as NetboxPrefixRow;
    cols.forEach((c, j) => {
      const v = fields[j]!.trim();
      row[c as keyof NetboxPrefixRow] = NEUTRALISED.test(v) ? v.slice(1) : v;
    });
    row.status = row.status.toLowerCase() || 'active';
    if (!STATUSES.has(row.status)) {
      throw new DomainError('BAD_REQUEST', `CSV line ${line}: status ${row.status} is not one of ${[...STATUSES].join(', ')}`, {
        field: `csv:${line}`,
      });
    }
    return { line, row };
  });
}

/** One CSV row, checked by the rules of `POST /api/ipam/prefixes`. */
export interface PrefixImportRow {
  /** 1-based CSV line (the header is line 1). */
  line: number;
  vrf: string;
  prefix: Prefix;
  /** The prefix, normalised. */
  cidr: string;
  status: PrefixStatus;
  /** Absent when the CSV leaves it empty: the prefix takes its container's role. */
  role?: string;
  description: string;
  /** The site code the prefix is for, if any. */
  site?: string;
}

/** The CSV column each field of the API body comes from, for error messages. */
const COLUMN_OF: Record<string, string> = {
  vrf: 'vrf',
  cidr: 'prefix',
  status: 'status',
  role: 'role',
  description: 'description',
  owner: 'site',
};

/**
 * Parses NetBox prefix CSV ({@link parsePrefixCsv}) and checks every row with
 * the body schema of `POST /api/ipam/prefixes` — the same domain-name pattern,
 * status set and length limits as the API — then parses its prefix (CIDR
 * rules). An empty `vrf` cell means `defaultVrf`. Errors name the CSV line
 * (field `csv:N`) and the column.
 *
 * @throws DomainError `PAYLOAD_TOO_LARGE` beyond {@link MAX_IMPORT_ROWS} rows;
 *   `BAD_REQUEST`, `CIDR_INVALID`, `CIDR_HOST_BITS` for a bad row.
 * @example parsePrefixImport('prefix,status\n10.0.0.0/8,container\n')[0].cidr // '10.0.0.0/8'
 */
export function parsePrefixImport(text: string, defaultVrf = 'public'): PrefixImportRow[] {
  const rows = parsePrefixCsv(text);
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `CSV holds ${rows.length} rows; one import takes at most ${MAX_IMPORT_ROWS}`, {
      field: 'csv',
      hint: 'split the file and import the containers first',
    });
  }
  return rows.map(({ line, row }) => {
    const field = `csv:${line}`;
    const checked = assignBody.safeParse({
      vrf: row.vrf || defaultVrf,
      cidr: row.prefix,
      status: row.status,
      ...(row.role && { role: row.role }),
      description: row.description,
      ...(row.site && { owner: { kind: 'site', id: row.site } }),
    });
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const column = COLUMN_OF[String(issue.path[0])] ?? String(issue.path[0]);
      throw new DomainError('BAD_REQUEST', `CSV line ${line}: ${column}: ${issue.message}`, { field });
    }
    let prefix: Prefix;
    try {
      prefix = parsePrefix(row.prefix, { field });
    } catch (e) {
      if (e instanceof DomainError)
        throw new DomainError(e.code, `CSV line ${line}: ${e.message}`, { field, ...(e.hint && { hint: e.hint }) });
      throw e;
    }
    const b = checked.data;
    return {
      line,
      vrf: b.vrf,
      prefix,
      cidr: formatPrefix(prefix),
      status: b.status,
      description: b.description,
      ...(b.role !== undefined && { role: b.role }),
      ...(b.owner && { site: b.owner.id }),
    };
  });
}
