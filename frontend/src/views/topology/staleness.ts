import { h } from '../../dom';
import { formatTime } from '../../format/format';
import { t } from '../../i18n/i18n';
import { readingAgeParts } from '../../topology/colour';

/**
 * The "stale since … — the reading is … old" line of the site and link panels
 * (the rule itself is the poller's `readingAge`; the map's look is colour.ts).
 * Null while the reading is current.
 */
export function staleLine(staleSince: string | null | undefined, readAt: string | null | undefined, now = Date.now()): HTMLElement | null {
  if (staleSince === null || staleSince === undefined) return null;
  const read = readAt ? Date.parse(readAt) : Number.NaN;
  const age = Number.isNaN(read) ? null : readingAgeParts(read, now);
  return h(
    'div',
    { class: 'stale small', 'data-stale-since': staleSince },
    t('stale.since', { time: formatTime(staleSince) }),
    age ? ` · ${t('stale.age', { age: t(`age.${age.unit}`, { n: age.value }) })}` : '',
  );
}
