import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('loadConfig: LAB', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['1', true],
    ['true', true],
  ])('LAB=%s → lab mode %s', (value, lab) => {
    expect(loadConfig(value === undefined ? {} : { LAB: value }).LAB).toBe(lab);
  });

  it('refuses anything else and says what is allowed', () => {
    expect(() => loadConfig({ LAB: 'yes' })).toThrow(
      /LAB: LAB is 1 \(lab mode: poll simulated routers\) or 0 \(poll the network\)\. Got: yes/,
    );
  });
});
