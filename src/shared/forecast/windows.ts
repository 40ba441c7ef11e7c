/** Inputs and targets of a sliding window: inputs[i] = values[t-window..t-1], targets[i] = values[t]. */
export interface Windows {
  inputs: number[][];
  targets: number[];
  /** The index t in `values` that each target comes from. */
  targetIndex: number[];
}

/**
 * The seed's recipe, "X = past `window` days, y = next day", for every target index t in [from, to).
 * `from` defaults to the first t with a full window; `to` defaults to values.length.
 */
export function slidingWindows(
  values: readonly number[],
  window: number,
  range: { from?: number; to?: number } = {},
): Windows {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  const from = Math.max(range.from ?? window, window);
  const to = Math.min(range.to ?? values.length, values.length);
  const windows: Windows = { inputs: [], targets: [], targetIndex: [] };
  for (let t = from; t < to; t++) {
    windows.inputs.push(values.slice(t - window, t) as number[]);
    windows.targets.push(values[t] as number);
    windows.targetIndex.push(t);
  }
  return windows;
}

/**
 * Just the inputs, values[t-window..t-1], for chosen target indices; t may be values.length (tomorrow).
 * Throws when a window would reach before the start or past t-1, so no caller can leak the target in.
 */
export function windowInputs(values: readonly number[], window: number, targetIndices: readonly number[]): number[][] {
  return targetIndices.map((t) => {
    if (t < window || t > values.length) throw new RangeError(`no full window of ${window} before index ${t}`);
    return values.slice(t - window, t) as number[];
  });
}
