import type { Command } from 'commander';
import { createLogger } from '../platform/logger.ts';
import { startRoles } from '../roles.ts';
import { configWith } from './context.ts';
import { runCommand } from './output.ts';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run AWA: HTTP API, job worker and scheduler (all roles by default)')
    .option('--roles <list>', 'comma-separated subset of api,worker,scheduler (env AWA_ROLES)')
    .option('--port <n>', 'HTTP port (env PORT, default 8000)')
    .option('--host <addr>', 'address to listen on (env HOST, default 127.0.0.1)')
    .action(async (o: { roles?: string; port?: string; host?: string }) => {
      let keepRunning = false;
      await runCommand({}, async () => {
        const config = configWith({ AWA_ROLES: o.roles, PORT: o.port, HOST: o.host });
        const log = createLogger({
          level: config.LOG_LEVEL,
          role: config.AWA_ROLES.join('+'),
          pretty: config.LOG_PRETTY,
        });
        const running = await startRoles(config, log);
        keepRunning = true;
        let signals = 0;
        const onSignal = (sig: NodeJS.Signals) => {
          signals += 1;
          if (signals > 1) {
            log.warn({ signal: sig }, 'second signal: exiting now');
            process.exit(130);
          }
          log.info({ signal: sig }, 'signal received');
          running.stop().then(
            () => process.exit(0),
            (err) => {
              log.error({ err }, 'shutdown failed');
              process.exit(1);
            },
          );
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        return 0;
      });
      if (!keepRunning) process.exit(process.exitCode ?? 1);
    });
}
