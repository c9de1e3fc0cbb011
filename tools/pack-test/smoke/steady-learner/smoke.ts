import { type EpochTrajectoryStats, TrajectoryRecorder, type TrajectoryRecorderOptions } from '@lipkit/steady-learner';
import * as tf from '@tensorflow/tfjs-core';

const options: TrajectoryRecorderOptions = { bias: tf.variable(tf.zeros([3])), formulas: 'theory' };
const recorder = new TrajectoryRecorder(options);
recorder.begin();
recorder.beginEpoch(0.1);
export const stats: EpochTrajectoryStats = recorder.endEpoch();
