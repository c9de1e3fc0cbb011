/** The `--mean`, `--std` and `--resize` options shared by the commands that take image inputs (bounds, certify). */
import type { Command } from 'commander';
import { CliUsageError } from './cliErrors.js';
import type { ImageNormalisation } from './networkInput.js';

/** Adds `--mean <values>`, `--std <values>` and `--resize` to `command` and returns it. */
export function addImageInputOptions(command: Command): Command {
  return command
    .option(
      '--mean <values>',
      'image inputs: per-channel mean subtracted after scaling to [0,1], one value or C values ' +
        '(MNIST 0.1307; CIFAR-10 0.4914,0.4822,0.4465; ImageNet 0.485,0.456,0.406); default none',
    )
    .option(
      '--std <values>',
      'image inputs: per-channel std divided by, one value or C values ' +
        '(MNIST 0.3081; CIFAR-10 0.2470,0.2435,0.2616; ImageNet 0.229,0.224,0.225); default none',
    )
    .option('--resize', "image inputs: resize bilinearly to the network's H×W instead of rejecting another size");
}

function parseValues(flag: string, text: string): number[] {
  const values = text.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
  if (!values.every(Number.isFinite)) {
    throw new CliUsageError(flag, `"${text}"; allowed: one number or a comma list of one per channel`);
  }
  return values;
}

/** Parses the options added by {@link addImageInputOptions} (values are checked against the network later). */
export function imageNormalisationOf(opts: Record<string, unknown>): ImageNormalisation {
  const out: ImageNormalisation = {};
  if (typeof opts.mean === 'string') out.mean = parseValues('--mean', opts.mean);
  if (typeof opts.std === 'string') out.std = parseValues('--std', opts.std);
  if (opts.resize === true) out.resize = true;
  return out;
}
