import nodemailer from 'nodemailer';
import type { SendMail } from './notifier';

/**
 * E-mail over SMTP with nodemailer: `smtp://user:pass@host:587` (STARTTLS
 * when the server offers it) or `smtps://…:465`. One transport, reused.
 */
export function smtpSender(url: string): SendMail {
  const transport = nodemailer.createTransport(url);
  return async (m) => {
    await transport.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text });
  };
}
