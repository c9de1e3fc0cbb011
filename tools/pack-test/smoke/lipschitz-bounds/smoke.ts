import type * as lib from '@lipkit/lipschitz-bounds';
export type Lib = typeof lib;
