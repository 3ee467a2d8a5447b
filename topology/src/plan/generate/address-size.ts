import type { AddressPlanFile } from '../../ipam/address-plan';

/**
 * An address plan sized to fit a generated plan, with the room for growth the
 * address-plan validator asks for (4× the county-level units, 4× the largest
 * county's townships, plus the county's own LAN), in both families.
 *
 * IPv4 uses private space (RFC 1918): site blocks from 10.0.0.0/8, uplink
 * point-to-point subnets from 172.16.0.0/13, backup ones from 172.24.0.0/14,
 * loopbacks (the devices' mgmtAddress) from 172.28.0.0/14. Township LANs are
 * /24 while that fits in 10/8 and smaller when it does not (a national plan of
 * 2,000 county-level units gets /21 blocks of /28 LANs). IPv6 uses the
 * documentation prefix 2001:db8::/32 (RFC 3849).
 */

/** What the address plan must hold. */
export interface AddressNeeds {
  /** City plus county-level units. */
  countyLevel: number;
  /** Townships under the county-level unit with the most. */
  maxTownships: number;
  /** Point-to-point subnets in the public domain: uplinks and the internet exit. */
  publicLinks: number;
  /** Backup links. */
  backupLinks: number;
  /** Managed devices (each gets a loopback). */
  devices: number;
}

/** The parts of the address plan the generator uses to number devices. */
export interface SizedAddressPlan {
  file: AddressPlanFile;
  /** First address given to a device's loopback / mgmtAddress, as a 32-bit integer. */
  firstLoopback: number;
}

const GROWTH = 4;
const bitsFor = (n: number) => Math.max(0, Math.ceil(Math.log2(Math.max(1, n))));
const ipv4 = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const V4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/**
 * @throws Error when even /28 township LANs in 10.0.0.0/8 cannot hold the plan
 * (far beyond a national extranet), naming the sizes.
 */
export function sizeAddressPlan(needs: AddressNeeds): SizedAddressPlan {
  const lanBits = Math.max(1, bitsFor(GROWTH * needs.maxTownships + 1));
  const blockBits = bitsFor(GROWTH * needs.countyLevel);

  // IPv4 site blocks: /24 LANs when 10/8 holds every block, smaller LANs otherwise.
  let lan4 = 24;
  let block4 = lan4 - lanBits;
  let root4 = block4 - blockBits;
  if (root4 < 8) {
    root4 = 8;
    block4 = 8 + blockBits;
    lan4 = block4 + lanBits;
  }
  if (lan4 > 28) {
    throw new Error(
      `cannot size an IPv4 address plan for ${needs.countyLevel} county-level sites with up to ${needs.maxTownships} townships each in 10.0.0.0/8`,
    );
  }
  // IPv6: /56 LANs in /48 blocks as far as they go; the site-block root keeps to the lower quarter of 2001:db8::/32.
  let lan6 = 56;
  let block6 = Math.min(48, lan6 - lanBits);
  let root6 = block6 - blockBits;
  if (root6 < 34) {
    root6 = 34;
    block6 = 34 + blockBits;
    lan6 = Math.max(block6 + lanBits, 56);
  }

  // The smallest of the fixed 172.16.0.0/12 ranges' roots that holds 4× today's subnets, at most a /16.
  const rootFor = (addresses: number, widest: number, what: string) => {
    const length = 32 - bitsFor(addresses);
    if (length < widest) throw new Error(`${what} need more than a /${widest} of IPv4 space`);
    return Math.min(16, length);
  };
  const p2pRoot = rootFor(2 * GROWTH * needs.publicLinks + 16, 13, `${needs.publicLinks} uplinks`);
  const backupRoot = rootFor(2 * GROWTH * needs.backupLinks + 16, 14, `${needs.backupLinks} backup links`);
  const loopbackRoot = rootFor(GROWTH * needs.devices + 256, 14, `${needs.devices} devices`);

  const siteEnd = V4(10, 0, 0, 0) + 2 ** (32 - root4);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const file: AddressPlanFile = {
    domains: [
      {
        name: 'public',
        description: '政务外网公共网络区 — the public network zone (site LANs and uplinks)',
        roots: [
          { cidr: `10.0.0.0/${root4}`, role: 'site-block', description: `各级单位地址块 — city and county-level blocks (/${block4})` },
          { cidr: `172.16.0.0/${p2pRoot}`, role: 'p2p', description: '互联链路 — point-to-point subnets of uplinks and the internet exit' },
          { cidr: `2001:db8::/${root6}`, role: 'site-block', description: `city and county-level blocks (/${block6})` },
          { cidr: '2001:db8:ff00::/40', role: 'p2p', description: 'point-to-point subnets (/127)' },
        ],
      },
      {
        name: 'backup',
        description: '备份网 — the backup network (its own routing domain)',
        roots: [
          { cidr: `172.24.0.0/${backupRoot}`, role: 'p2p', description: '备份链路 — point-to-point subnets of backup links' },
          { cidr: '2001:db8:fe00::/40', role: 'p2p', description: 'backup point-to-point subnets (/127)' },
        ],
      },
      {
        name: 'mgmt',
        description: '设备管理 — device management and loopbacks',
        roots: [
          {
            cidr: `172.28.0.0/${loopbackRoot}`,
            role: 'loopback',
            description: "设备环回/管理地址 — router loopbacks (/32), also the plan's mgmtAddress",
          },
          { cidr: '2001:db8:fd00::/40', role: 'loopback', description: 'router loopbacks (/128)' },
        ],
      },
    ],
    reserved: [
      { domain: 'public', cidr: `${ipv4(siteEnd - 2 ** (32 - lan4))}/${lan4}`, description: '预留 — network services (DNS, NTP)' },
      { domain: 'mgmt', cidr: '172.28.0.0/24', description: '预留 — out-of-band management jump hosts' },
    ],
    policy: {
      city: { domain: 'public', block: { v4: block4, v6: block6 }, lan: { v4: lan4, v6: lan6 } },
      county: { domain: 'public', block: { v4: block4, v6: block6 }, lan: { v4: lan4, v6: lan6 } },
      township: { domain: 'public', lan: { v4: lan4, v6: lan6 } },
      link: {
        uplink: { domain: 'public', p2p: { v4: 31, v6: 127 } },
        'internet-exit': { domain: 'public', p2p: { v4: 30, v6: 127 } },
        backup: { domain: 'backup', p2p: { v4: 31, v6: 127 } },
      },
      loopback: { domain: 'mgmt', v4: 32, v6: 128 },
      allowed: {
        'site-block': {
          v4: range(Math.min(16, block4), Math.max(28, lan4)),
          v6: range(Math.min(44, block6), 64).filter((n) => n % 4 === 0 || n === block6 || n === lan6),
        },
        p2p: { v4: [29, 30, 31], v6: [64, 126, 127] },
        loopback: { v4: [32], v6: [128] },
      },
    },
  };
  return { file, firstLoopback: V4(172, 28, 1, 0) };
}

/** Dotted-quad text of a 32-bit integer. */
export function formatIpv4(n: number): string {
  return ipv4(n);
}
