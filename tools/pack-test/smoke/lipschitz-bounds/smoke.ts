import {
  type GlobalBound,
  globalLipschitzBound,
  type LocalBound,
  localLipschitzBound,
  type NetworkDescription,
  type PreparedNetwork,
  prepareNetwork,
} from '@lipkit/lipschitz-bounds';

const description: NetworkDescription = {
  format: 'lipkit-network',
  version: 1,
  inputShape: [1],
  layers: [{ type: 'dense', weight: { shape: [1, 1], data: [2] }, bias: { shape: [1], data: [0] } }, { type: 'relu' }],
};
const net: PreparedNetwork = prepareNetwork(description);
export const global: GlobalBound = globalLipschitzBound(net, { mode: 'certified' });
export const local: LocalBound = localLipschitzBound(net, [1], 0.1);
export const kind: 'upper bound' | 'estimate' = local.kind;
