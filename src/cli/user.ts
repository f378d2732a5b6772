import { userInfo } from 'node:os';
import type { Command } from 'commander';
// principal.ts owns the role list and is light; the user service (argon2, database) loads when a
// command runs
import { parseRole, ROLES } from '../domains/auth/principal.ts';
import { AppError } from '../platform/errors.ts';
import { withRuntime } from './context.ts';
import { print, runCommand, table } from './output.ts';

/** Who ran the command, for the audit log. */
function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** The whole of stdin, less one trailing newline (`echo pw | awa user create … --password-stdin`). */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (end with Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const pw = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (pw === '') throw new AppError('invalid', '--password-stdin: no password on stdin');
  return pw;
}

const oneTime = (pw: string) => `one-time password (shown once; it must be changed at first sign-in):\n${pw}`;

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage people who sign in to the web app');
  user
    .command('create')
    .description('create a user; prints a generated one-time password unless --password-stdin')
    .requiredOption('--email <email>', 'the e-mail they sign in with (unique)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'display name (default: the e-mail)')
    .option('--password-stdin', 'read the password from stdin instead of generating one')
    .option('--json', 'print {"email","role","password"?}')
    .action(
      async (o: { email: string; role: string; name?: string; passwordStdin?: boolean; json?: boolean }) => {
        await runCommand(o, async () => {
          const { createUser, parseEmail } = await import('../domains/auth/users.service.ts');
          parseEmail(o.email);
          parseRole(o.role); // bad input fails before a database is opened
          const password = o.passwordStdin ? await passwordFromStdin() : undefined;
          return withRuntime(async (rt) => {
            const u = await createUser(
              rt.db,
              { email: o.email, role: o.role, name: o.name, password },
              { actor: actor(), clock: rt.clock },
            );
            print(o, { email: u.email, role: u.role, ...(u.password ? { password: u.password } : {}) }, () =>
              [
                `created ${u.role} user ${u.email}${u.name !== u.email ? ` (${u.name})` : ''}`,
                u.password ? oneTime(u.password) : 'with the password given on stdin',
              ].join('\n'),
            );
            return 0;
          });
        });
      },
    );
  user
    .command('list')
    .description('list users (never their passwords)')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { listUsers } = await import('../domains/auth/users.service.ts');
          const items = await listUsers(rt.db);
          print(o, { items }, () => {
            if (items.length === 0)
              return 'no users; create one with: awa user create --email E --role admin';
            const rows = items.map((u) => [
              u.email,
              u.name,
              u.role,
              u.disabled_at ? 'disabled' : u.must_change_password ? 'must change password' : 'active',
              u.last_login_at ?? '-',
            ]);
            return table([['EMAIL', 'NAME', 'ROLE', 'STATE', 'LAST LOGIN'], ...rows]);
          });
          return 0;
        }),
      );
    });
  user
    .command('disable')
    .description('stop a user signing in; their sessions end at once')
    .requiredOption('--email <email>', "the user's e-mail")
    .option('--json', 'print one JSON object')
    .action(async (o: { email: string; json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { disableUser } = await import('../domains/auth/users.service.ts');
          const r = await disableUser(rt.db, rt.cache, o.email, { actor: actor(), clock: rt.clock });
          print(o, r, () => `disabled ${r.email}; ended ${r.sessions_revoked} session(s)`);
          return 0;
        }),
      );
    });
  user
    .command('reset-password')
    .description(
      "set a new password (generated, one-time, unless --password-stdin); ends the user's sessions",
    )
    .requiredOption('--email <email>', "the user's e-mail")
    .option('--password-stdin', 'read the new password from stdin instead of generating one')
    .option('--json', 'print {"email","role","password"?,"sessions_revoked"}')
    .action(async (o: { email: string; passwordStdin?: boolean; json?: boolean }) => {
      await runCommand(o, async () => {
        const { resetPassword } = await import('../domains/auth/users.service.ts');
        const password = o.passwordStdin ? await passwordFromStdin() : undefined;
        return withRuntime(async (rt) => {
          const r = await resetPassword(
            rt.db,
            rt.cache,
            { email: o.email, password },
            { actor: actor(), clock: rt.clock },
          );
          const out = {
            email: r.email,
            role: r.role,
            ...(r.password ? { password: r.password } : {}),
            sessions_revoked: r.sessions_revoked,
          };
          print(o, out, () =>
            [
              `reset the password of ${r.email}; ended ${r.sessions_revoked} session(s)`,
              r.password ? oneTime(r.password) : 'the new password is the one given on stdin',
            ].join('\n'),
          );
          return 0;
        });
      });
    });
}
