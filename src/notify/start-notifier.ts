// Builds the notifier for a process from its configuration (server.mjs and `npm run worker` share this).
import type { Db } from '#db/client.ts';
import type { Config } from '#src/config/config.ts';
import { channelsFromConfig } from './channels/from-config.ts';
import { createNotifier, type Notifier } from './worker.ts';

export function notifierFromConfig(
  db: Db,
  cfg: Config,
  log: (m: string) => void = console.error,
): { notifier: Notifier; transport: string } {
  const { email, sms, kind } = channelsFromConfig(db, cfg);
  const notifier = createNotifier({
    db,
    email,
    sms,
    publicUrl: cfg.PUBLIC_URL,
    emailFrom: cfg.EMAIL_FROM ?? null,
    rates: { emailRequestsPerSecond: cfg.RESEND_REQUESTS_PER_SECOND, smsSegmentsPerSecond: cfg.TWILIO_SEGMENTS_PER_SECOND },
    log,
  });
  return { notifier, transport: kind };
}
