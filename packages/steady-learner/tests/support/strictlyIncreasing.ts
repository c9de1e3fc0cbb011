/** Whether every value is larger than the one before it (the orderings the paper's claims state). */
export function strictlyIncreasing(values: readonly number[]): boolean {
  return values.every((x, i) => i === 0 || x > (values[i - 1] as number));
}
