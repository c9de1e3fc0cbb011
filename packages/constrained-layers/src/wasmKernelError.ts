/**
 * Typed error of the wasm training kernels and the circular convolution: `argument` names the offending
 * argument (the CLI maps any error with a string `argument` to exit code 2).
 */
export class WasmKernelError extends Error {
  /** The argument (or backend) that was wrong. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = 'WasmKernelError';
    this.argument = argument;
  }
}
