import { describe, expect, it } from 'vitest';
import { SPARE_DESCRIPTORS, labCapacityProblem, openFileLimit } from './capacity';

const limits = (soft: string) => `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            ${soft.padEnd(21)}1048576              files
`;

describe('the lab’s open-file check', () => {
  it('reads the soft limit on open files', () => {
    expect(openFileLimit(() => limits('1024'))).toBe(1024);
    expect(openFileLimit(() => limits('unlimited'))).toBe(Infinity);
    expect(openFileLimit(() => 'nothing here')).toBeUndefined();
    expect(
      openFileLimit(() => {
        throw new Error('no /proc');
      }),
    ).toBeUndefined();
  });

  it('refuses a national lab under the default limit, saying why and what to do', () => {
    const message = labCapacityProblem(42_003, 1024);
    expect(message).toMatch(/one simulated router \(one UDP socket\) per managed device: this plan has 42,003/);
    expect(message).toMatch(/only 1,024 files \(ulimit -n\)/);
    expect(message).toContain(`ulimit -n ${42_003 + SPARE_DESCRIPTORS}`);
    expect(message).toMatch(/smaller plan/);
  });

  it('lets a lab that fits, or an unknown limit, through', () => {
    expect(labCapacityProblem(95, 1024)).toBeUndefined();
    expect(labCapacityProblem(42_003, 1_048_576)).toBeUndefined();
    expect(labCapacityProblem(42_003, undefined)).toBeUndefined();
  });
});
