import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback (smtp-server), every accepted mail parsed with mailparser. Tests
 * make it refuse the next mails with a temporary (451) or permanent (550) reply.
 */
export async function startFakeSmtp(opts: { user?: string; pass?: string } = {}) {
  const mails: ParsedMail[] = [];
  const refusals: number[] = [];
  const server = new SMTPServer({
    authOptional: !opts.user,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass)
        return cb(null, { user: auth.username });
      cb(new Error('Invalid username or password'));
    },
    onData(stream, _session, cb) {
      const code = refusals.shift();
      simpleParser(stream)
        .then((mail) => {
          if (code) {
            const err = Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), {
              responseCode: code,
            });
            return cb(err);
          }
          mails.push(mail);
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const auth = opts.user ? `${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.pass ?? '')}@` : '';
  return {
    url: `smtp://${auth}127.0.0.1:${port}`,
    port,
    mails,
    /** Reply to the next mails with these SMTP codes (451 temporary, 550 permanent). */
    refuseNext: (...codes: number[]) => refusals.push(...codes),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
