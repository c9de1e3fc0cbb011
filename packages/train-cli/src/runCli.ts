/** Runs the CLI and maps errors to messages and exit codes. */
import { CommanderError } from 'commander';
import { createProgram } from './program.js';

/**
 * Parses `argv` (user arguments only, without `node` and the script) and runs the command.
 * Resolves to the exit code: 0 on success, 2 for usage errors (an error with an `argument` field, or a
 * commander parse error), 1 otherwise. Errors are printed as one line on stderr.
 */
export async function runCli(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    const e = err as Error & { argument?: unknown };
    process.stderr.write(`lipkit: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}\n`);
    return typeof e.argument === 'string' ? 2 : 1;
  }
}
