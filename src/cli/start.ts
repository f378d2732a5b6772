import type { Command } from 'commander';
import type { Logger } from '../platform/logger.ts';
import type { Running } from '../roles.ts';
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
      let running: Running | undefined;
      let stopping = false;
      let signals = 0;
      let log: Logger | undefined;
      const shutdown = () => {
        if (stopping || !running) return;
        stopping = true;
        running.stop().then(
          () => process.exit(0),
          (err) => {
            log?.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      // Installed before start-up so a Ctrl-C during it (e.g. while initdb runs) still ends in a clean
      // stop once start-up finishes, instead of killing Node and orphaning the database server.
      process.removeAllListeners('SIGINT').removeAllListeners('SIGTERM');
      const onSignal = (sig: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) {
          log?.warn({ signal: sig }, 'second signal: exiting now');
          process.exit(130); // exit hooks still ask the embedded server to stop
        }
        log?.info({ signal: sig }, 'signal received');
        shutdown();
      };
      process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
      await runCommand({}, async () => {
        const config = await configWith({ AWA_ROLES: o.roles, PORT: o.port, HOST: o.host });
        const [{ createLogger }, { startRoles }] = await Promise.all([
          import('../platform/logger.ts'),
          import('../roles.ts'),
        ]);
        log = createLogger({
          level: config.LOG_LEVEL,
          role: config.AWA_ROLES.join('+'),
          pretty: config.LOG_PRETTY,
        });
        running = await startRoles(config, log);
        if (signals > 0) shutdown();
        return 0;
      });
      if (!running) process.exit(process.exitCode ?? 1);
    });
}
