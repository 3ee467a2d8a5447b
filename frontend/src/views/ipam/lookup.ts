import { api, ApiError } from '../../api/client';
import { loadPlan } from '../../data/plan';
import { h, replace } from '../../dom';
import { t } from '../../i18n/i18n';

/**
 * The address lookup box: which prefixes hold an address (most specific
 * first) and what they are for — a site, a link (with its two sites), an
 * interface or a device (`GET /api/ipam/lookup?address=`). A malformed address
 * shows the API's message (and hint) in place.
 */
export function lookupBox(onPrefix: (vrf: string, cidr: string) => void): HTMLElement {
  const input = h('input', {
    type: 'search',
    name: 'address',
    class: 'lookup-input',
    placeholder: t('ipam.lookupPlaceholder'),
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-label': t('ipam.lookup'),
  });
  const out = h('div', { class: 'lookup-result', 'data-testid': 'lookup-result', 'aria-live': 'polite' });
  let seq = 0;
  const run = async (e: Event) => {
    e.preventDefault();
    const address = input.value.trim();
    if (!address) return;
    const mine = ++seq;
    replace(out, h('p', { class: 'muted' }, t('common.loading')));
    try {
      const [r, plan] = await Promise.all([api.lookup(address), loadPlan().catch(() => undefined)]);
      if (mine !== seq) return;
      if (r.matches.length === 0) return replace(out, h('p', { class: 'muted' }, t('ipam.noMatch')));
      const name = (code: string) => plan?.nameOf(code) ?? code;
      const deviceSite = (hostname: string | undefined) => {
        const site = hostname ? plan?.siteOfDevice(hostname) : undefined;
        return site ? ` (${name(site)})` : '';
      };
      const ownerText = (owner: (typeof r.matches)[number]['owner']): string => {
        if (!owner) return '—';
        switch (owner.kind) {
          case 'site':
            return `${name(owner.id)} (${owner.id})`;
          case 'link':
            return `${owner.id}: ${(owner.sites ?? []).map(name).join(' — ')}`;
          case 'interface':
            return `${owner.device ?? ''} ${owner.ifName ?? owner.id}${deviceSite(owner.device ?? undefined)}`;
          case 'device':
            return `${owner.id}${deviceSite(owner.id)}`;
          default: {
            // A kind this page does not know yet (a newer server): said as it comes.
            const other: { kind: string; id: string } = owner;
            return `${other.kind} ${other.id}`;
          }
        }
      };
      replace(
        out,
        h('p', { class: 'lookup-address mono' }, r.address),
        h(
          'table',
          { class: 'grid compact' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('ipam.prefix')),
              h('th', {}, t('ipam.domain')),
              h('th', {}, t('ipam.role')),
              h('th', {}, t('ipam.status')),
              h('th', {}, t('ipam.owner')),
            ),
          ),
          h(
            'tbody',
            {},
            ...r.matches.map((m) =>
              h(
                'tr',
                { 'data-match': m.cidr },
                h(
                  'td',
                  {},
                  h('a', { href: '#', class: 'mono', onclick: (ev: Event) => (ev.preventDefault(), onPrefix(m.vrf, m.cidr)) }, m.cidr),
                ),
                h('td', {}, m.vrf),
                h('td', {}, m.role),
                h('td', {}, m.status),
                h('td', {}, ownerText(m.owner)),
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      if (mine !== seq) return;
      // The API's message is English and exact; a malformed address is also said in the UI's language.
      const code = err instanceof ApiError ? err.code : 'ERROR';
      const hint = err instanceof ApiError && err.hint ? ` — ${err.hint}` : '';
      replace(
        out,
        h(
          'p',
          { class: 'error', 'data-error-code': code },
          code === 'CIDR_INVALID'
            ? [t('ipam.badAddress'), h('div', { class: 'muted small' }, `${(err as Error).message}${hint}`)]
            : `${(err as Error).message}${hint}`,
        ),
      );
    }
  };
  return h(
    'section',
    { class: 'lookup' },
    h('h2', {}, t('ipam.lookup')),
    h(
      'form',
      { class: 'lookup-form', onsubmit: (e: Event) => void run(e) },
      input,
      h('button', { type: 'submit' }, t('ipam.lookupButton')),
    ),
    out,
  );
}
