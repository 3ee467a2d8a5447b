import type { AlertRecord } from './types';

/**
 * One line per alert for people and notifications, Chinese first, then English
 * (the UI has its own strings; this is for Alertmanager, webhooks and e-mail).
 * @example describeAlert(linkDown, names) // '链路中断 L-4413-441303，切断 3 个站点：惠阳区、… / link L-4413-441303 down, cuts off 3 sites: …'
 */
export function describeAlert(a: AlertRecord, siteName: (code: string) => string = (c) => c): string {
  const id = a.subject.id;
  const v = a.value === undefined ? '' : String(Math.round(a.value * 10) / 10);
  const [zh, en] = ((): [string, string] => {
    switch (a.kind) {
      case 'link-down':
        return [`链路中断 ${id}`, `link ${id} down`];
      case 'link-below-target':
        return [`链路 ${id} 带宽 ${v} Mbps 低于目标`, `link ${id} at ${v} Mbps, below its target`];
      case 'link-utilization':
        return [`链路 ${id} 利用率 ${v}%`, `link ${id} utilization ${v}%`];
      case 'link-errors':
        return [`链路 ${id} 错包丢包 ${v} 个/秒`, `link ${id} errors and discards ${v}/s`];
      case 'device-unreachable':
        return [`设备不可达 ${id}`, `device ${id} unreachable`];
      case 'site-backup-lost':
        return [`站点 ${siteName(id)} 失去备份路径`, `site ${siteName(id)} (${id}) lost its backup path`];
      case 'flapping':
        return [`${a.labels.flapping ?? ''} ${id} 状态频繁变化（抖动）`, `${a.labels.flapping ?? ''} on ${id} is flapping`];
    }
  })();
  const list = (codes: string[]) => codes.map(siteName).join('、');
  const cut = a.cutOff.length
    ? [`，切断 ${a.cutOff.length} 个站点：${list(a.cutOff)}`, `, cuts off ${a.cutOff.length} sites: ${a.cutOff.join(', ')}`]
    : ['', ''];
  const deg = a.degraded.length
    ? [`；${a.degraded.length} 个站点失去备份路径`, `; ${a.degraded.length} sites lost their backup path`]
    : ['', ''];
  return `${zh}${cut[0]}${deg[0]} / ${en}${cut[1]}${deg[1]}`;
}
