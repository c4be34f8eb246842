import { TOKEN_USAGE, TokenUsageError, tokenFromArgs } from '../../apps/ledger/src/platform/auth/token-cli';

const args = process.argv.slice(2);
if (args.includes('--help') || args.length === 0) {
  process.stdout.write(`${TOKEN_USAGE}\n`);
  process.exit(args.length === 0 ? 2 : 0);
}
try {
  process.stdout.write(`${tokenFromArgs(args, process.env)}\n`);
} catch (error) {
  if (!(error instanceof TokenUsageError)) throw error;
  process.stderr.write(`${error.message}\n\n${TOKEN_USAGE}\n`);
  process.exit(2);
}
