import { describe, expect, it } from 'vitest';
import { timeTick } from './utilization-chart';

describe('timeTick', () => {
  const at = (iso: string) => new Date(iso);
  const local = (d: Date) => [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0'));

  it('shows seconds on a few minutes, so 30-second ticks do not repeat a label', () => {
    const f = timeTick([at('2025-03-04T02:01:00Z'), at('2025-03-04T02:03:00Z')]);
    const ticks = [0, 30, 60, 90].map((s) => f(new Date(Date.parse('2025-03-04T02:01:00Z') + s * 1000)));
    expect(new Set(ticks).size).toBe(4);
    expect(ticks[1]).toBe(local(at('2025-03-04T02:01:30Z')).join(':'));
  });

  it('shows hours and minutes over a day, the date beyond two days', () => {
    const d = at('2025-03-04T02:00:00Z');
    expect(timeTick([at('2025-03-03T02:00:00Z'), d])(d)).toBe(local(d).slice(0, 2).join(':'));
    expect(timeTick([at('2025-02-25T02:00:00Z'), d])(d)).toMatch(/^03-0[34]$/);
  });
});
