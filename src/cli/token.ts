import type { Command } from 'commander';
// principal.ts owns the role list and is light; the token service (database) loads when a command runs
import { ROLES } from '../domains/auth/principal.ts';
import { withRuntime } from './context.ts';
import { print, runCommand, table } from './output.ts';

export function registerToken(program: Command): void {
  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token; the token is printed once and stored hashed')
    .requiredOption('--name <name>', 'unique name, e.g. the person or script using it')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--json', 'print {"name","role","token"}')
    .action(async (o: { name: string; role: string; json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { createToken } = await import('../domains/auth/auth.service.ts');
          const t = await createToken(rt.db, o);
          print(o, t, () => `created ${t.role} token "${t.name}" (shown once, store it now):\n${t.token}`);
          return 0;
        }),
      );
    });
  token
    .command('list')
    .description('list tokens (never their values)')
    .option('--all', 'include revoked tokens')
    .option('--json', 'print one JSON object')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { listTokens } = await import('../domains/auth/auth.service.ts');
          const items = await listTokens(rt.db, o.all);
          print(o, { items }, () => {
            if (items.length === 0)
              return 'no tokens; create one with: awa token create --role admin --name NAME';
            const rows = items.map((t) => [
              t.name,
              t.role,
              `${t.prefix}…`,
              t.created_at,
              t.last_used_at ?? '-',
              t.revoked_at ? 'revoked' : 'active',
            ]);
            return table([['NAME', 'ROLE', 'PREFIX', 'CREATED', 'LAST USED', 'STATE'], ...rows]);
          });
          return 0;
        }),
      );
    });
  token
    .command('revoke')
    .description('revoke a token by name; requests with it fail from then on')
    .argument('<name>', 'token name')
    .option('--json', 'print one JSON object')
    .action(async (name: string, o: { json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { revokeToken } = await import('../domains/auth/auth.service.ts');
          await revokeToken(rt.db, rt.cache, name);
          print(o, { name, revoked: true }, () => `revoked token "${name}"`);
          return 0;
        }),
      );
    });
}
