import './styles.css';
import { api } from './api/client';
import { session } from './auth/session';
import { userMenu } from './auth/user-menu';
import { monitoring } from './data/monitoring';
import { h, replace } from './dom';
import { lang, loadLang, onLangChange, setLang, t, translate } from './i18n/i18n';
import { messages, type MessageKey } from './i18n/messages';
import { hrefOf, parseHash, VIEWS, type Route, type ViewName } from './router';
import { alertsView } from './views/alerts/view';
import { auditView } from './views/audit/view';
import { coverageView } from './views/coverage/view';
import { opsView } from './views/ops/view';
import { ipamView } from './views/ipam/view';
import { mountLogin, type LoginReason } from './views/login/view';
import { topologyView } from './views/topology/view';
import type { MountedView, View } from './views/view';

/**
 * The single-page app: a header (title, the three views, live status, language
 * switch, the user) and the current view, chosen by the URL hash (router.ts).
 * A language switch re-renders the header and the view. Without a session (at
 * start, after logout, after any 401) the login page stands in for the view and
 * the hash is kept, so the login leads back to it; monitoring runs only while
 * someone is logged in. Tabs and views follow the permission the role holds.
 * In lab mode (`GET /api/health` says `lab: true`, asked once at start) a
 * banner above the header says on every page that the network is simulated.
 */
const views: Record<ViewName, View> = {
  topology: topologyView,
  coverage: coverageView,
  ops: opsView,
  alerts: alertsView,
  ipam: ipamView,
  audit: auditView,
};
const navKeys: Record<ViewName, MessageKey> = {
  topology: 'nav.topology',
  coverage: 'nav.coverage',
  ops: 'ops.nav',
  alerts: 'nav.alerts',
  ipam: 'nav.ipam',
  audit: 'nav.audit',
};
const titleKeys: Record<ViewName, MessageKey> = {
  topology: 'topo.title',
  coverage: 'cov.title',
  ops: 'ops.title',
  alerts: 'alerts.title',
  ipam: 'ipam.title',
  audit: 'audit.title',
};

const header = h('header', { class: 'app-header' });
const main = h('main', { class: 'app-main' });
document.body.replaceChildren(header, main);

let route: Route = parseHash(location.hash);
let mounted: MountedView | undefined;
let mountedView: ViewName | 'login' | undefined;
/** Why the login page shows, and what went wrong asking the server at start (it could not be reached). */
let loginReason: LoginReason = 'start';
let startProblem: unknown;

/** Whether the user's role may see a view (and its tab). */
const allowed = (v: ViewName) => session.can(views[v].permission ?? 'read');

function liveIndicator(): HTMLElement {
  const s = monitoring.status();
  const [key, title]: [MessageKey, MessageKey] =
    s === 'live'
      ? ['live.on', 'live.onTitle']
      : s === 'rest'
        ? ['live.rest', 'live.restTitle']
        : s === 'plan-only'
          ? ['live.off', 'live.offTitle']
          : ['live.connecting', 'live.onTitle'];
  return h(
    'span',
    { class: `live live-${s}`, 'data-testid': 'live', 'data-status': s, title: t(title) },
    h('span', { class: 'live-dot' }),
    t(key),
  );
}

function renderHeader(): void {
  const me = session.me();
  replace(
    header,
    h(
      'div',
      { class: 'brand' },
      h('span', { class: 'brand-title', 'data-testid': 'app-title' }, t('app.title')),
      h('span', { class: 'brand-sub', 'data-testid': 'plan-name' }, planName ?? t('app.subtitle')),
    ),
    me &&
      h(
        'nav',
        { class: 'tabs' },
        ...VIEWS.filter(allowed).map((v) =>
          h(
            'a',
            {
              href: hrefOf(v),
              class: v === route.view ? 'tab active' : 'tab',
              'data-view': v,
              'aria-current': v === route.view ? 'page' : null,
            },
            t(navKeys[v]),
          ),
        ),
      ),
    h(
      'div',
      { class: 'header-end' },
      me && liveIndicator(),
      me && userMenu(me),
      h(
        'button',
        {
          type: 'button',
          class: 'lang-switch',
          'data-testid': 'lang-switch',
          title: t('lang.switchTitle'),
          onclick: () => setLang(lang() === 'zh-CN' ? 'en' : 'zh-CN'),
        },
        t('lang.switch'),
      ),
    ),
  );
  document.title = `${t(me ? titleKeys[route.view] : 'login.title')} · ${t('app.title')}`;
}

/**
 * The lab-mode banner: zh-CN first, English second whatever the UI language (an
 * engineer or a visitor must not take demo data for the network), no close
 * button. Its tooltip follows the UI language.
 */
function showLabBanner(): void {
  const banner = h('div', { class: 'lab-banner', role: 'status', 'data-testid': 'lab-banner' });
  const render = () => {
    banner.title = t('lab.bannerTitle');
    replace(
      banner,
      h('span', { lang: 'zh-CN' }, translate(messages['zh-CN'], 'lab.banner')),
      h('span', { class: 'lab-banner-sep', 'aria-hidden': 'true' }, ' / '),
      h('span', { lang: 'en' }, translate(messages.en, 'lab.banner')),
    );
  };
  render();
  onLangChange(render);
  document.body.prepend(banner);
}

function show(next: Route, force = false): void {
  const signedIn = session.me() !== undefined;
  const target = signedIn ? next.view : 'login';
  const same = target === mountedView && !force;
  route = next;
  renderHeader();
  if (same && mounted) return mounted.update(next.params);
  mounted?.unmount();
  main.replaceChildren();
  main.dataset.view = target;
  mountedView = target;
  const idle = { update: () => undefined, unmount: () => undefined };
  if (!signedIn) mounted = { ...idle, ...mountLogin(main, loginReason, startProblem) };
  else if (!allowed(next.view))
    mounted = (replace(main, h('p', { class: 'notice forbidden', 'data-testid': 'forbidden' }, t('common.forbidden'))), idle);
  else
    mounted = views[next.view].mount(main, next.params, (params) => {
      location.hash = hrefOf(route.view, params);
    });
}

/** The loaded plan's name (GET /api/plan), shown under the title once known; the generic subtitle until then. */
let planName: string | undefined;

function startMonitoring(): void {
  void api
    .plan()
    .then((info) => {
      planName = info.name ?? undefined;
      renderHeader();
    })
    .catch(() => undefined);
  void monitoring
    .ready()
    .catch(() => undefined)
    .then(renderHeader);
}

loadLang();
window.addEventListener('hashchange', () => show(parseHash(location.hash)));
onLangChange(() => show(route, true));
monitoring.on((e) => e.kind === 'status' && renderHeader());
session.on((change) => {
  if (change === 'login') {
    startProblem = undefined;
    startMonitoring();
    return show(parseHash(location.hash), true);
  }
  // Logged out, or a 401: the login page in place of the view; the hash stays to come back to.
  loginReason = change;
  monitoring.stop();
  show(route, true);
});
renderHeader();
void session
  .resume()
  .catch((e: unknown) => void (startProblem = e))
  .then(() => {
    show(route, true);
    if (session.me()) startMonitoring();
  });
// Once per page: the server's mode does not change while it runs. No answer (server down), no banner to show.
void api.health().then(
  (health) => health.lab && showLabBanner(),
  () => undefined,
);
