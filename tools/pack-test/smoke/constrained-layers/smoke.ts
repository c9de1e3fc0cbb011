import type * as lib from '@lipkit/constrained-layers';
export type Lib = typeof lib;
