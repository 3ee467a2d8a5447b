import { en } from './en';
import { zhCN, type Messages } from './zh-CN';

/**
 * The UI's dictionary: zh-CN first, English second (zh-CN.ts, en.ts). Every
 * string the UI shows comes from here through `t()` (i18n.ts).
 */
export type { MessageKey, Messages } from './zh-CN';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const messages: Record<Lang, Messages> = { 'zh-CN': zhCN, en };
