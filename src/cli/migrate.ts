import type { Command } from 'commander';
import { withRuntime } from './context.ts';
import { print, runCommand, table } from './output.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start)')
    .option('--status', 'list applied and pending migrations without applying any')
    .option('--json', 'print one JSON object')
    .action(async (o: { status?: boolean; json?: boolean }) => {
      await runCommand(o, async () => {
        const { migrate, migrationStatus } = await import('../platform/db/migrate.ts');
        return withRuntime(
          async (rt) => {
            const applied = o.status ? [] : await migrate(rt.db.pool, { log: rt.log });
            const status = await migrationStatus(rt.db.pool);
            const pending = status.filter((s) => s.state === 'pending').length;
            print(o, { applied, pending, migrations: status }, () => {
              const head = o.status
                ? `${status.length - pending} applied, ${pending} pending`
                : applied.length
                  ? `applied ${applied.length}: ${applied.join(', ')}`
                  : 'database is up to date';
              const rows = status.map((s) => [s.version, s.name, s.state, s.applied_at ?? '']);
              return `${head}\n${table([['VERSION', 'NAME', 'STATE', 'APPLIED AT'], ...rows])}`;
            });
            return 0;
          },
          { migrate: false },
        );
      });
    });
}
