import snmp from 'net-snmp';
import type { IfRow, RouterSnapshot, SimRouter } from './router';

/**
 * What a lab agent serves, as net-snmp MIB providers: sysDescr, sysUpTime,
 * sysName, ifNumber, ifTable (RFC 2863 ifEntry) and ifXTable (ifXEntry,
 * augmenting ifEntry). The values come from a {@link SimRouter} snapshot; a
 * refresh writes them into the MIB's instance nodes in place, and rebuilds
 * the rows only when the ifIndex numbering changed (a reboot).
 */

const T = snmp.ObjectType;
const READ_ONLY = snmp.MaxAccess['read-only'];
const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY = '1.3.6.1.2.1.31.1.1.1';

interface Column {
  number: number;
  name: string;
  type: number;
  value: (r: IfRow) => unknown;
}

/** Counter32 on the wire: the low 32 bits of the 64-bit model counter. */
const c32 = (v: bigint) => Number(v & 0xffff_ffffn);
/** Counter64 for net-snmp's agent: exactly 8 bytes, big-endian. */
const c64 = (v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v & 0xffff_ffff_ffff_ffffn);
  return b;
};

const IF_COLUMNS: Column[] = [
  { number: 1, name: 'ifIndex', type: T.Integer, value: (r) => r.ifIndex },
  { number: 2, name: 'ifDescr', type: T.OctetString, value: (r) => r.ifDescr },
  { number: 3, name: 'ifType', type: T.Integer, value: () => 6 }, // ethernetCsmacd
  { number: 4, name: 'ifMtu', type: T.Integer, value: () => 1500 },
  { number: 5, name: 'ifSpeed', type: T.Gauge, value: (r) => r.speedBps },
  { number: 7, name: 'ifAdminStatus', type: T.Integer, value: () => 1 },
  { number: 8, name: 'ifOperStatus', type: T.Integer, value: (r) => r.operStatus },
  { number: 9, name: 'ifLastChange', type: T.TimeTicks, value: (r) => r.lastChangeCs },
  { number: 10, name: 'ifInOctets', type: T.Counter, value: (r) => c32(r.inOctets) },
  { number: 13, name: 'ifInDiscards', type: T.Counter, value: (r) => c32(r.inDiscards) },
  { number: 14, name: 'ifInErrors', type: T.Counter, value: (r) => c32(r.inErrors) },
  { number: 16, name: 'ifOutOctets', type: T.Counter, value: (r) => c32(r.outOctets) },
  { number: 19, name: 'ifOutDiscards', type: T.Counter, value: () => 0 },
  { number: 20, name: 'ifOutErrors', type: T.Counter, value: (r) => c32(r.outErrors) },
];

const IFX_COLUMNS: (Column & { wide?: true })[] = [
  { number: 1, name: 'ifName', type: T.OctetString, value: (r) => r.ifName },
  { number: 6, name: 'ifHCInOctets', type: T.Counter64, value: (r) => c64(r.inOctets), wide: true },
  { number: 10, name: 'ifHCOutOctets', type: T.Counter64, value: (r) => c64(r.outOctets), wide: true },
  { number: 15, name: 'ifHighSpeed', type: T.Gauge, value: (r) => r.highSpeedMbps, wide: true },
  { number: 18, name: 'ifAlias', type: T.OctetString, value: (r) => r.ifAlias },
  { number: 19, name: 'ifCounterDiscontinuityTime', type: T.TimeTicks, value: (r) => r.discontinuityCs },
];

const table = (name: string, oid: string, columns: Column[], index: Partial<snmp.TableProvider>): snmp.TableProvider => ({
  name,
  type: snmp.MibProviderType.Table,
  oid, // the *Entry* OID: the table OID would silently serve wrong OIDs
  maxAccess: snmp.MaxAccess['not-accessible'],
  tableColumns: columns.map(({ number, name: n, type }) => ({ number, name: n, type, maxAccess: READ_ONLY })),
  ...index,
});

const scalar = (name: string, oid: string, scalarType: number): snmp.ScalarProvider => ({
  name,
  type: snmp.MibProviderType.Scalar,
  oid,
  scalarType,
  maxAccess: READ_ONLY,
});

/**
 * Registers the providers on `mib` and returns the refresh to call before each
 * request is answered (cheap when neither the clock nor the router changed).
 *
 * @param options.counter32Only leave out ifHCInOctets, ifHCOutOctets and ifHighSpeed (an old agent)
 */
export function serveRouter(mib: snmp.Mib, router: SimRouter, clock: () => number, options: { counter32Only: boolean }): () => void {
  const ifxColumns = IFX_COLUMNS.filter((c) => !(options.counter32Only && c.wide));
  mib.registerProvider(scalar('sysDescr', '1.3.6.1.2.1.1.1', T.OctetString));
  mib.registerProvider(scalar('sysUpTime', '1.3.6.1.2.1.1.3', T.TimeTicks));
  mib.registerProvider(scalar('sysName', '1.3.6.1.2.1.1.5', T.OctetString));
  mib.registerProvider(scalar('ifNumber', '1.3.6.1.2.1.2.1', T.Integer));
  mib.registerProvider(table('ifTable', IF_ENTRY, IF_COLUMNS, { tableIndex: [{ columnName: 'ifIndex' }] }));
  mib.registerProvider(table('ifXTable', IFX_ENTRY, ifxColumns, { tableAugments: 'ifTable' }));
  mib.setScalarValue('sysDescr', router.sysDescr);
  mib.setScalarValue('sysName', router.hostname);
  mib.setScalarValue('ifNumber', router.interfaceNames.length);

  // Instance nodes by row, so a refresh assigns values instead of rebuilding the tree.
  let layout = -1;
  let cells: { row: number; nodes: [snmp.MibNode, Column][] }[] = [];
  let seen = { now: Number.NaN, version: -1 };

  const rebuild = (snap: RouterSnapshot) => {
    for (const { row } of cells) {
      mib.deleteTableRow('ifXTable', [row]);
      mib.deleteTableRow('ifTable', [row]);
    }
    cells = snap.rows.map((r) => {
      mib.addTableRow(
        'ifTable',
        IF_COLUMNS.map((c) => c.value(r)),
      );
      mib.addTableRow('ifXTable', [r.ifIndex, ...ifxColumns.map((c) => c.value(r))]);
      const columns = [...IF_COLUMNS.map((c) => [IF_ENTRY, c] as const), ...ifxColumns.map((c) => [IFX_ENTRY, c] as const)];
      const nodes = columns.map(([entry, c]): [snmp.MibNode, Column] => [
        mib.lookup(`${entry}.${c.number}.${r.ifIndex}`) as snmp.MibNode,
        c,
      ]);
      return { row: r.ifIndex, nodes };
    });
    layout = snap.layout;
  };

  const refresh = () => {
    const now = clock();
    if (now === seen.now && router.version === seen.version) return;
    seen = { now, version: router.version };
    const snap = router.snapshot(now);
    mib.setScalarValue('sysUpTime', snap.uptimeCs);
    if (snap.layout !== layout) return rebuild(snap);
    snap.rows.forEach((r, i) => {
      for (const [node, c] of cells[i]?.nodes ?? []) node.value = c.value(r);
    });
  };
  refresh();
  return refresh;
}
