import { type ImageDataset, loadEmbeddedFashionMnist } from '@lipkit/datasets';

export const dataset: ImageDataset = loadEmbeddedFashionMnist();
