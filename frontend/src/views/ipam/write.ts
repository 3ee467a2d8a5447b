import { ipamApi, MAX_ALLOCATE_COUNT } from '../../../../topology/src/api';
import { api } from '../../api/client';
import { session } from '../../auth/session';
import { h, replace } from '../../dom';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { hrefOf } from '../../router';
import { errorText } from '../error-text';

/**
 * The address-space write forms of the IPAM page — allocate, reserve, release
 * (`POST /api/ipam/allocate|reserve|release`) — each built only for a role
 * that holds its endpoint's permission; a role that holds none gets no panel
 * at all (not a disabled one). A refusal shows the API's code, message and
 * hint (POOL_EXHAUSTED, PREFIX_OVERLAP, …) under the form; a success says what
 * changed and calls `onChange` so the page re-reads the list.
 */
export interface WritePanel {
  el: HTMLElement;
  /** Fills the domain and the parent from the prefix the page shows (on navigation, not after a write). */
  setContext(ctx: { vrf?: string; cidr?: string }): void;
}

/** The plan's routing domains, offered as suggestions (any other name is accepted). */
const KNOWN_VRFS = ['public', 'backup', 'mgmt'];

export function writePanel(onChange: () => void): WritePanel | undefined {
  const forms: Array<{ el: HTMLElement; setContext: WritePanel['setContext'] }> = [];
  if (session.can(ipamApi.allocate.permission)) forms.push(allocateForm(onChange));
  if (session.can(ipamApi.reserve.permission)) forms.push(reserveForm(onChange));
  if (session.can(ipamApi.release.permission)) forms.push(releaseForm(onChange));
  if (forms.length === 0) return undefined;
  const el = h(
    'section',
    { class: 'ipam-write', 'data-testid': 'ipam-write' },
    h('h2', {}, t('ipam.write')),
    h('datalist', { id: 'ipam-vrfs' }, ...KNOWN_VRFS.map((v) => h('option', { value: v }))),
    h('div', { class: 'write-forms' }, ...forms.map((f) => f.el)),
  );
  return { el, setContext: (ctx) => forms.forEach((f) => f.setContext(ctx)) };
}

type Input = HTMLInputElement;

function input(name: string, attrs: Record<string, string | number | boolean> = {}): Input {
  return h('input', { name, autocomplete: 'off', spellcheck: 'false', ...attrs });
}

function field(label: MessageKey, el: Input): HTMLElement {
  return el.type === 'checkbox'
    ? h('label', { class: 'field field-check' }, el, h('span', {}, t(label)))
    : h('label', { class: 'field' }, h('span', { class: 'field-label' }, t(label)), el);
}

const vrfInput = () => input('vrf', { required: true, list: 'ipam-vrfs', value: 'public', maxlength: 31, class: 'mono' });
const cidrInput = (name: string) => input(name, { required: true, maxlength: 64, class: 'mono', placeholder: '10.64.0.0/17' });
const reasonInput = (required: boolean) => input('reason', { maxlength: 500, required });

/** A prefix as a link to its page. */
const prefixLink = (vrf: string, cidr: string) => h('a', { class: 'mono', href: hrefOf('ipam', { vrf, cidr }) }, cidr);

/**
 * One write form: its fields, a submit button that is off while the request
 * runs, and a result line. `send` does the call and answers the success line.
 */
function writeForm(
  kind: 'allocate' | 'reserve' | 'release',
  help: MessageKey,
  fields: HTMLElement[],
  send: () => Promise<Array<Node | string>>,
  onChange: () => void,
): HTMLElement {
  const title: MessageKey = `ipam.${kind}`;
  const submit = h(
    'button',
    { type: 'submit', class: kind === 'release' ? 'danger' : 'primary', 'data-testid': `${kind}-submit` },
    t(title),
  );
  const out = h('div', { class: 'form-result', 'data-testid': `${kind}-result`, 'aria-live': 'polite' });
  const run = async (e: Event) => {
    e.preventDefault();
    submit.disabled = true;
    replace(submit, t('ipam.busy'));
    replace(out);
    try {
      const done = await send();
      replace(out, h('p', { class: 'good', 'data-outcome': 'ok' }, ...done));
      onChange();
    } catch (err) {
      replace(out, errorText(err));
    } finally {
      submit.disabled = false;
      replace(submit, t(title));
    }
  };
  return h(
    'form',
    { class: `write-form stack-form ${kind}-form`, 'data-testid': `${kind}-form`, onsubmit: (e: Event) => void run(e) },
    h('h3', {}, t(title)),
    h('p', { class: 'muted small' }, t(help)),
    ...fields,
    h('div', { class: 'form-actions' }, submit),
    out,
  );
}

/** Joins nodes with ", ". */
const list = (nodes: Node[]) => nodes.flatMap((n, i) => (i === 0 ? [n] : [', ', n]));

function allocateForm(onChange: () => void) {
  const vrf = vrfInput();
  const parent = cidrInput('parent');
  const length = input('length', { type: 'number', required: true, min: 0, max: 128, step: 1, class: 'num' });
  const count = input('count', { type: 'number', required: true, min: 1, max: MAX_ALLOCATE_COUNT, step: 1, value: 1, class: 'num' });
  const reason = reasonInput(false);
  const el = writeForm(
    'allocate',
    'ipam.allocateHelp',
    [
      field('ipam.domain', vrf),
      field('ipam.parent', parent),
      h('div', { class: 'field-row' }, field('ipam.length', length), field('ipam.count', count)),
      field('ipam.reason', reason),
    ],
    async () => {
      const r = await api.allocate({
        vrf: vrf.value.trim(),
        parent: parent.value.trim(),
        length: length.valueAsNumber,
        count: count.valueAsNumber,
        reason: reason.value,
      });
      return [t('ipam.allocated'), ...list(r.items.map((p) => prefixLink(p.vrf, p.cidr)))];
    },
    onChange,
  );
  return {
    el,
    setContext: (ctx: { vrf?: string; cidr?: string }) => {
      if (ctx.vrf) vrf.value = ctx.vrf;
      if (ctx.cidr) parent.value = ctx.cidr;
    },
  };
}

function reserveForm(onChange: () => void) {
  const vrf = vrfInput();
  const cidr = cidrInput('cidr');
  const description = input('description', { maxlength: 500 });
  const reason = reasonInput(false);
  const el = writeForm(
    'reserve',
    'ipam.reserveHelp',
    [field('ipam.domain', vrf), field('ipam.prefix', cidr), field('ipam.description', description), field('ipam.reason', reason)],
    async () => {
      const p = await api.reserve({ vrf: vrf.value.trim(), cidr: cidr.value.trim(), description: description.value, reason: reason.value });
      return [t('ipam.reserved'), prefixLink(p.vrf, p.cidr)];
    },
    onChange,
  );
  return { el, setContext: (ctx: { vrf?: string }) => void (ctx.vrf && (vrf.value = ctx.vrf)) };
}

function releaseForm(onChange: () => void) {
  const vrf = vrfInput();
  const cidr = cidrInput('cidr');
  const reason = reasonInput(true);
  const recursive = input('recursive', { type: 'checkbox' });
  const el = writeForm(
    'release',
    'ipam.releaseHelp',
    [field('ipam.domain', vrf), field('ipam.prefix', cidr), field('ipam.reason', reason), field('ipam.recursive', recursive)],
    async () => {
      const r = await api.release({ vrf: vrf.value.trim(), cidr: cidr.value.trim(), reason: reason.value, recursive: recursive.checked });
      return [t('ipam.released'), ...list(r.released.map((c) => h('span', { class: 'mono' }, c)))];
    },
    onChange,
  );
  return { el, setContext: (ctx: { vrf?: string }) => void (ctx.vrf && (vrf.value = ctx.vrf)) };
}
