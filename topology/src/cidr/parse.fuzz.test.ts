import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { formatPrefix, parsePrefix } from './prefix';

/**
 * Fuzzing the CIDR parser: random text, and valid prefixes mutated a character
 * at a time, either parse (and then print back to a text that parses to the
 * same prefix) or throw a DomainError with a CIDR code — never another error.
 */
const valid = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([a, l]) => `${a}/${l}`),
);
const mutated = fc
  .tuple(valid, fc.nat(), fc.constantFrom('', '.', ':', '/', '0', 'f', '::', '%', ' ', '\u0000', '１', '-1', '999', 'x'))
  .map(([text, at, piece]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + piece + text.slice(i + (at % 3 === 0 ? 1 : 0));
  });
const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), mutated, valid);

describe('parsePrefix under random input', () => {
  it('parses and round-trips, or refuses with a CIDR code', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, strict) => {
        let p;
        try {
          p = parsePrefix(text, { strict });
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
          expect((e as DomainError).code).toMatch(/^CIDR_/);
          return;
        }
        expect(parsePrefix(formatPrefix(p))).toEqual(p);
      }),
      { numRuns: 3000 },
    );
  });
});
