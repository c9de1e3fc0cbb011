import { loadDataset, normaliseImages } from '@lipkit/datasets';

// The embedded subset must be inside the tarball and load with no network and no cache.
const ds = await loadDataset('fashion-mnist-embedded', { dataDir: '/nonexistent/lipkit-smoke' });
if (ds.train.count !== 2000 || ds.test.count !== 500)
  throw new Error(`embedded subset: ${ds.train.count}/${ds.test.count}`);
const x = normaliseImages(ds.train, ds.normalisation, 0, 1);
if (x.length !== 784 || !x.every(Number.isFinite)) throw new Error('normaliseImages');
console.log('smoke ok');
