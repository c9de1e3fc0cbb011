/**
 * Which formulas the trajectory metrics use (spec §4, §10).
 *
 * - `'faithful'` (default, reproduces the paper's figures): the update of step k+1 is divided by η·ε of step k
 *   (spec §10.4, the off-by-one pairing); the distance to initialisation is measured from the bias **after the first
 *   SGD step** (§10.7); the CNN/MNIST normaliser is the code's ε = 1 − |p − y| (§10.8).
 * - `'theory'` (Theorem-1-consistent): each update is divided by its own step's η·|∂ℓ/∂output| (so one bs-1 step gives
 *   exactly ‖∇_x f(x_t)‖), the distance is measured from the true initial bias, and the classifiers use
 *   |∂ℓ/∂z| of the logit z (= ½|p − y| for ½·BCE). Steps whose normaliser is below 1e−12 carry no information
 *   (their update is 0) and are left out of epoch means instead of dividing by zero (§10.15).
 */
export type TrajectoryFormulas = 'faithful' | 'theory';

/** Normalisers below this count as zero (spec §4.1 item 5). */
export const DEGENERATE_NORMALISER = 1e-12;
