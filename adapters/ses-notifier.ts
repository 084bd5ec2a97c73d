import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Notification, Notifier } from '#usecases/ports.ts';
import { rethrowStorageError } from './storage-errors.ts';

/** Sends each notification as one SES e-mail (text, and HTML where given) from a verified sender. */
export class SesNotifier implements Notifier {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
  ) {}

  async send(notification: Notification): Promise<void> {
    if (notification.to.length === 0) return;
    try {
      await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [...notification.to] },
          Content: {
            Simple: {
              Subject: { Data: notification.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: notification.text, Charset: 'UTF-8' },
                ...(notification.html ? { Html: { Data: notification.html, Charset: 'UTF-8' } } : {}),
              },
            },
          },
        }),
      );
    } catch (error) {
      rethrowStorageError(error, 'sending a notification');
    }
  }
}
