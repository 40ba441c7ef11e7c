import { z } from 'zod';

declare const trainingPartBrand: unique symbol;

/**
 * The values a scaler may be fit on. Only `trainingPart` makes one, and it copies the values before the
 * cut, so a scaler cannot be fit on data after the cut by passing the whole series by mistake.
 */
export interface TrainingPart {
  readonly values: readonly number[];
  readonly cut: number;
  readonly [trainingPartBrand]: true;
}

export function trainingPart(values: readonly number[], cut: number): TrainingPart {
  if (!Number.isInteger(cut) || cut < 1 || cut > values.length) {
    throw new RangeError(`cut must be in 1..${values.length}, got ${cut}`);
  }
  const part: number[] = [];
  for (let i = 0; i < cut; i++) part.push(values[i] as number);
  return { values: part, cut } as unknown as TrainingPart;
}

export const minMaxScalerSchema = z.object({ min: z.number(), max: z.number() });
export type MinMaxScaler = z.infer<typeof minMaxScalerSchema>;

export function fitMinMaxScaler(part: TrainingPart): MinMaxScaler {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of part.values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (!Number.isFinite(min)) throw new RangeError('cannot fit a scaler on no finite values');
  return { min, max };
}

/** Maps the training range to [0, 1]; later values may fall outside it, which is the honest outcome. */
export function scale(scaler: MinMaxScaler, value: number): number {
  const span = scaler.max - scaler.min;
  return span === 0 ? 0 : (value - scaler.min) / span;
}

export function unscale(scaler: MinMaxScaler, scaled: number): number {
  return scaler.min + scaled * (scaler.max - scaler.min);
}
