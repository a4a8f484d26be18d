// The dev mailbox transports: with no provider credentials, messages are stored for /dev/mailbox instead of sent.
import type { Db } from '#db/client.ts';
import { devMailbox } from '#db/schema/index.ts';
import type { EmailChannel, OutgoingEmail, OutgoingSms, SendOutcome, SmsChannel } from './types.ts';

export function devMailboxEmail(db: Db): EmailChannel {
  return {
    name: 'dev-mailbox',
    maxBatch: 100,
    async send(batch: OutgoingEmail[]): Promise<SendOutcome[]> {
      const rows = await db
        .insert(devMailbox)
        .values(
          batch.map((m) => ({
            notificationId: m.notificationId,
            channel: 'email' as const,
            recipient: m.to,
            sender: m.from,
            subject: m.subject,
            text: m.text,
            html: m.html,
            headers: m.headers,
          })),
        )
        .returning({ id: devMailbox.id });
      return rows.map((r) => ({ kind: 'sent', providerId: `dev-${r.id}` }));
    },
  };
}

export function devMailboxSms(db: Db, sender: string): SmsChannel {
  return {
    name: 'dev-mailbox',
    sender,
    async send(sms: OutgoingSms): Promise<SendOutcome> {
      const [row] = await db
        .insert(devMailbox)
        .values({
          notificationId: sms.notificationId,
          channel: 'sms',
          recipient: sms.to,
          sender: sms.from,
          text: sms.body,
          segments: sms.segments,
        })
        .returning({ id: devMailbox.id });
      return { kind: 'sent', providerId: `dev-${row?.id}` };
    },
    async findSent() {
      return null;
    },
  };
}
