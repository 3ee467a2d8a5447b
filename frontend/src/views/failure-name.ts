import type { FailureElement } from '../api/types';
import { t } from '../i18n/i18n';

/** A single point of failure, named for people: "链路 L-4413-441302" / "设备 hz-441302-agg-01". */
export function failureName(f: FailureElement): string {
  return f.kind === 'link' ? t('spof.link', { id: f.id }) : t('spof.device', { id: f.hostname });
}
