import type { Logger } from 'pino';
import { log as rootLog } from '../log';
import type { Store } from '../neo4j/store';
import type { Poller } from '../poller/poller';
import { loadAlertConfig } from './config';
import { smtpSender } from './notify/email';
import { loadAlertRules } from './rules-file';
import { AlertService } from './service';

/**
 * `serve`'s alerting: the rules beside the plan (PLAN_DIR/alerts.yaml, else the
 * defaults), the destinations from the environment, one evaluation after each
 * stored poll cycle (by the one process holding the `alerts` lease), and the
 * Alertmanager re-send timer.
 * @throws DomainError PLAN_INVALID for a bad rules file, Error for a bad variable
 */
export async function startAlerting(
  store: Store,
  planDir: string,
  poller: Poller,
  opts: { env?: NodeJS.ProcessEnv; log?: Logger } = {},
): Promise<{ service: AlertService; stop(): Promise<void> }> {
  const log = opts.log ?? rootLog;
  const config = loadAlertConfig(opts.env ?? process.env);
  const { rules, source } = await loadAlertRules(planDir);
  const service = new AlertService({
    store,
    rules,
    source,
    config,
    clock: poller.clock,
    maxAgeMs: poller.maxAgeMs,
    log,
    ...(config.SMTP_URL && { sendMail: smtpSender(config.SMTP_URL) }),
  });
  const detach = service.attach(poller);
  service.start();
  log.info(
    {
      rules: rules.rules.length,
      source,
      destinations: (['alertmanager', 'webhook', 'email'] as const).filter((d) => service.notifier.configured(d)),
    },
    'alerting: evaluated after each poll cycle',
  );
  return {
    service,
    async stop() {
      detach();
      service.stop();
      await service.idle();
      await service.release().catch(() => undefined); // Neo4j away: the lease runs out by itself
    },
  };
}
