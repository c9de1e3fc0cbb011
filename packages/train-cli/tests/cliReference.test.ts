import { describe, expect, it } from 'vitest';
import { createProgram, renderCliReference } from '../src/index.js';

describe('renderCliReference', () => {
  it('lists every registered command with its options, and the global options', () => {
    const program = createProgram();
    const md = renderCliReference(program);
    expect(md).toContain('| `--backend <name>` |');
    for (const cmd of program.commands) {
      expect(md).toContain(`## \`lipkit ${cmd.name()}\``);
      for (const o of cmd.options) expect(md).toContain(`\`${o.flags}\``);
    }
  });
});
