#!/usr/bin/env node
import { runCli } from './runCli.js';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// A command that fails while a terminal progress bar is running leaves the bar's redraw timer behind, which would keep
// the process alive after the error message: exit explicitly on failure (stderr is synchronous for files and ttys,
// and for pipes on Linux).
if (code !== 0) process.exit(code);
