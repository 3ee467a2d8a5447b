import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { siteSchema } from '../plan/schema';
import { subscriptionSchema } from './live';
import { siteCodeParam } from './common';

const validSite = { name: '惠城区', tier: 'county', kind: '区', parent: '4413' } as const;

describe('the site-code rule', () => {
  it('accepts in the API exactly the codes a plan accepts (mixed case, letters only, 1–32 characters)', () => {
    const codes = fc.oneof(
      fc.stringMatching(/^[0-9A-Za-z]{1,40}$/),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('441302', '4413DYW', 'hz01', 'ZK', 'a', '4413-DYW', '441302 ', ''),
    );
    fc.assert(
      fc.property(codes, (code) => {
        const inPlan = siteSchema.safeParse({ ...validSite, code }).success;
        expect(siteCodeParam.safeParse(code).success).toBe(inPlan);
        expect(subscriptionSchema.safeParse(code).success).toBe(inPlan || code === 'all');
      }),
    );
  });

  it('takes the lower-case and short codes the old API pattern refused', () => {
    for (const code of ['hz01', 'ZK', '4413dyw']) expect(siteCodeParam.safeParse(code).success).toBe(true);
  });
});
