import type * as lib from '@lipkit/datasets';
export type Lib = typeof lib;
