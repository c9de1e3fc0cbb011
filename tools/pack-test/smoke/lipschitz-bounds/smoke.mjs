import * as lib from '@lipkit/lipschitz-bounds';

// Replaced by a real use of the package's API once it has one.
if (typeof lib !== 'object') throw new Error('import failed');
console.log('smoke ok');
