export { ConstrainedLayersError } from './constrainedLayersError.js';
export { type GeneralizationBoundInput, generalizationBound } from './generalizationBound.js';
export { hurwitzZeta } from './hurwitzZeta.js';
export { negativeMargins, rampLoss } from './margins.js';
export { PoolingShortcut } from './poolingShortcut.js';
export {
  boundBartlett,
  boundGolowich1inf,
  boundGolowichFro,
  boundGouk1inf,
  boundGoukFro,
  boundLedentFixedConstraints,
  boundLedentMain,
  boundLin,
  boundNeyshabur1inf,
  boundNeyshaburFro,
  boundOursNorms,
  boundOursParams,
  type CapacityLayerQuantities,
  type CapacityQuantities,
  capacityPsi,
  RADEMACHER_BOUND_NAMES,
  type RademacherBoundName,
  rademacherBounds,
} from './rademacherBounds.js';
export { regularSimplexPrototypes, SimplexClassifier, type SimplexClassifierArgs } from './simplexClassifier.js';
export { SymmetricPaddedMaxPool2d, type SymmetricPaddedMaxPool2dArgs } from './symmetricPaddedMaxPool2d.js';
