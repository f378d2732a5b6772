import nodemailer from 'nodemailer';
import { AppError, messageOf } from '../../platform/errors.ts';
import type { Payload, SendOutcome } from './alerts.types.ts';

export interface EmailClient {
  /** Connects and greets the server (and logs in when SMTP_URL has credentials). */
  verify(): Promise<void>;
  send(to: string, payload: Payload, key: string): Promise<SendOutcome>;
  close(): void;
}

/** SMTP_URL without its password, for messages. */
const shown = (url: string) => url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');

export function createEmailClient(opts: { url: string; from: string }): EmailClient {
  const transport = nodemailer.createTransport(opts.url, {
    // nodemailer waits two minutes by default; a dead server should cost a retry, not the run
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as never);
  return {
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw new AppError('config', `SMTP_URL ${shown(opts.url)}: ${messageOf(err)}`, [
          { field: 'SMTP_URL', message: messageOf(err) },
        ]);
      }
    },
    async send(to, payload, key) {
      try {
        await transport.sendMail({
          from: opts.from,
          to,
          subject: payload.subject,
          text: payload.text,
          html: payload.html,
          // the same Message-ID on every attempt: a resend after a crash is recognisably the same mail
          messageId: `<${key}@awa.alerts>`,
          headers: { 'X-AWA-Delivery': key },
        });
        return { ok: true };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        // SMTP 5xx replies are permanent (RFC 5321 §4.2.1); 4xx and broken connections are worth a retry
        const permanent = typeof code === 'number' && code >= 500 && code < 600;
        return { ok: false, permanent, error: `SMTP: ${messageOf(err)}` };
      }
    },
    close: () => transport.close(),
  };
}
