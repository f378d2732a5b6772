import { Command } from 'commander';
import { registerAgent } from './cli/agent.ts';
import { registerDemo } from './cli/demo.ts';
import { registerImportPrices } from './cli/import-prices.ts';
import { registerIngest } from './cli/ingest.ts';
import { registerMigrate } from './cli/migrate.ts';
import { registerNotify } from './cli/notify.ts';
import { registerOffers } from './cli/offers.ts';
import { registerRepricer } from './cli/repricer.ts';
import { registerRoi } from './cli/roi.ts';
import { registerStart } from './cli/start.ts';
import { registerSync } from './cli/sync.ts';
import { registerTasks } from './cli/tasks.ts';
import { registerToken } from './cli/token.ts';
import { registerUser } from './cli/user.ts';
import { registerVat } from './cli/vat.ts';

const program = new Command('awa')
  .description('AWA — operations platform for Amazon FBA wholesale sellers')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .configureHelp({ sortSubcommands: true });

registerStart(program);
registerTasks(program);
registerMigrate(program);
registerToken(program);
registerUser(program);
registerAgent(program);
registerImportPrices(program);
registerRepricer(program);
registerOffers(program);
registerIngest(program);
registerDemo(program);
registerVat(program);
registerRoi(program);
registerNotify(program);
registerSync(program);

// A command interrupted by Ctrl-C exits through process.exit, whose exit hooks stop an embedded
// database server the command started (`awa start` replaces these with its graceful shutdown).
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

await program.parseAsync(process.argv);
