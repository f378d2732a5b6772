import type { Command } from 'commander';
import { AppError } from '../platform/errors.ts';
import { withRuntime } from './context.ts';
import { print, runCommand } from './output.ts';

const CHANNELS = ['telegram', 'email', 'webhook'] as const;

export function registerNotify(program: Command): void {
  const notify = program.command('notify').description('alerts and notifications (SPEC §11)');
  notify
    .command('test')
    .description('send one test message through a channel and report how it went (exit 1 when it failed)')
    .requiredOption('--channel <channel>', 'telegram, email or webhook')
    .option('--json', 'print one JSON object: {channel, status, attempts, error?}')
    .action(async (o: { channel: string; json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          if (!(CHANNELS as readonly string[]).includes(o.channel)) {
            throw new AppError('invalid', `--channel ${o.channel}: not one of ${CHANNELS.join(', ')}`, [
              { field: '--channel', message: 'unknown channel' },
            ]);
          }
          const { sendTest } = await import('../domains/alerts/targets.service.ts');
          const r = await sendTest(rt, o.channel as (typeof CHANNELS)[number]);
          const { targets, ...summary } = r;
          print(o, o.json ? { ...summary, targets } : summary, () =>
            [
              `${r.channel}: ${r.status} after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}${r.error ? `: ${r.error}` : ''}`,
              ...targets.map((t) => `  ${t.address}: ${t.status}${t.error ? ` (${t.error})` : ''}`),
            ].join('\n'),
          );
          return r.status === 'delivered' ? 0 : 1;
        }),
      );
    });
}
