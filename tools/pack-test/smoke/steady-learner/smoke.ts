import type * as lib from '@lipkit/steady-learner';
export type Lib = typeof lib;
