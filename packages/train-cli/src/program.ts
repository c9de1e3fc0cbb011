/** The `lipkit` command tree. Each command lives in its own file and registers itself here. */
import { Command } from 'commander';
import { registerBackendCommand } from './backendCommand.js';
import { registerBoundsCommand } from './boundsCommand.js';
import { registerCapacityCommand } from './capacityCommand.js';
import { registerCertifyCommand } from './certifyCommand.js';
import { registerCompareCommand } from './compareCommand.js';
import { registerDatasetsCommand } from './datasetsCommand.js';
import { addGlobalOptions } from './globalOptions.js';
import { registerQuickstartCommand } from './quickstartCommand.js';
import { registerSteadyCommand } from './steadyCommand.js';
import { registerTrainCommand } from './trainCommand.js';

/** Builds the `lipkit` program (all commands and global options); used by the binary and by the docs generator. */
export function createProgram(): Command {
  const program = new Command('lipkit')
    .description(
      'Measure and control the capacity of neural networks: constrained training, Lipschitz bounds, training-trajectory analytics.',
    )
    .showHelpAfterError()
    .exitOverride();
  addGlobalOptions(program);
  registerBackendCommand(program);
  registerDatasetsCommand(program);
  registerQuickstartCommand(program);
  registerBoundsCommand(program);
  registerCertifyCommand(program);
  registerCompareCommand(program);
  registerSteadyCommand(program);
  registerTrainCommand(program);
  registerCapacityCommand(program);
  return program;
}
