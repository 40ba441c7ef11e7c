/**
 * The trained network's forward pass for one text, in plain JS over the model's own weights.
 *
 * Why not model.predict: for a single 200-step sequence tfjs dispatches ~5–15 kernels per step, and
 * that per-kernel overhead (not arithmetic) makes one prediction cost ~10 ms (SimpleRNN) to ~50 ms
 * (GRU) here. The same arithmetic in a loop is well under a millisecond, and two exact shortcuts make
 * it cheaper still:
 * - the input projection (embedding row · kernel + bias) depends only on the token id, so it is
 *   computed once per vocabulary word at load;
 * - texts are front-padded, and the state after k padding steps is the same for every text, so those
 *   states are computed once and a short message only runs its own words.
 * Tests check it against model.predict on the same ids.
 */
import type * as tf from '@tensorflow/tfjs';
import type { RecurrentKind } from './model-config.js';

export interface NetworkWeights {
  kind: RecurrentKind;
  units: number;
  /** Gate non-linearity of GRU/LSTM cells, as the layer was configured. */
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
  vocabularySize: number;
  sequenceLength: number;
  embeddings: Float32Array; // [vocabularySize, embeddingDim]
  embeddingDim: number;
  kernel: Float32Array; // [embeddingDim, gates · units]
  recurrentKernel: Float32Array; // [units, gates · units]
  bias: Float32Array; // [gates · units]
  outputKernel: Float32Array; // [units]
  outputBias: number;
}

const GATES: Record<RecurrentKind, number> = { simpleRNN: 1, gru: 3, lstm: 4 };

function layerWeights(model: tf.LayersModel, name: string): Float32Array[] {
  return model.getLayer(name).getWeights().map((weight) => weight.dataSync() as Float32Array);
}

/** Reads the weights of a model built by buildSentimentModel (layers "embedding", "recurrent", "output"). */
export function extractNetworkWeights(model: tf.LayersModel, kind: RecurrentKind, sequenceLength: number): NetworkWeights {
  const [embeddings] = layerWeights(model, 'embedding');
  const [kernel, recurrentKernel, bias] = layerWeights(model, 'recurrent');
  const [outputKernel, outputBias] = layerWeights(model, 'output');
  if (!embeddings || !kernel || !recurrentKernel || !bias || !outputKernel || !outputBias) {
    throw new Error('sentiment network is missing weights (expected embedding, recurrent with bias, output)');
  }
  const recurrentConfig = model.getLayer('recurrent').getConfig();
  const units = recurrentConfig.units as number;
  const embeddingDim = kernel.length / (GATES[kind] * units);
  const activation = recurrentConfig.recurrentActivation;
  return {
    kind,
    units,
    recurrentActivation: activation === 'hardSigmoid' ? 'hardSigmoid' : 'sigmoid',
    vocabularySize: embeddings.length / embeddingDim,
    sequenceLength,
    embeddings,
    embeddingDim,
    kernel,
    recurrentKernel,
    bias,
    outputKernel,
    outputBias: outputBias[0] as number,
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const hardSigmoid = (x: number) => Math.min(1, Math.max(0, 0.2 * x + 0.5));

interface State {
  h: Float64Array;
  c: Float64Array; // LSTM cell state; unused otherwise
}

export class RecurrentForward {
  private readonly width: number;
  /** Input projection per vocabulary id: [vocabularySize, gates · units]. */
  private readonly projected: Float64Array;
  /** paddingStates[k] = state after k padding steps from the zero state. */
  private readonly paddingStates: State[];
  private readonly gate: (x: number) => number;
  private readonly scratch: Float64Array;
  private readonly resetHidden: Float64Array;

  constructor(private readonly weights: NetworkWeights) {
    const { units, embeddingDim, vocabularySize, kernel, bias, embeddings } = weights;
    this.width = GATES[weights.kind] * units;
    this.gate = weights.recurrentActivation === 'hardSigmoid' ? hardSigmoid : sigmoid;
    this.scratch = new Float64Array(this.width);
    this.resetHidden = new Float64Array(units);
    this.projected = new Float64Array(vocabularySize * this.width);
    for (let id = 0; id < vocabularySize; id++) {
      const row = id * this.width;
      for (let j = 0; j < this.width; j++) this.projected[row + j] = bias[j] as number;
      for (let e = 0; e < embeddingDim; e++) {
        const x = embeddings[id * embeddingDim + e] as number;
        const kRow = e * this.width;
        for (let j = 0; j < this.width; j++) this.projected[row + j] = (this.projected[row + j] as number) + x * (kernel[kRow + j] as number);
      }
    }
    let state: State = { h: new Float64Array(units), c: new Float64Array(units) };
    this.paddingStates = [state];
    for (let k = 1; k <= weights.sequenceLength; k++) {
      state = this.nextState(state, 0);
      this.paddingStates.push(state);
    }
  }

  /** P(positive) for one front-padded id sequence of length sequenceLength. */
  probability(ids: Int32Array): number {
    let leading = 0;
    while (leading < ids.length && ids[leading] === 0) leading++;
    const start = this.paddingStates[Math.min(leading, this.weights.sequenceLength)] as State;
    // Two buffers used alternately: no allocation per step, so no GC pauses in the tail latency.
    let state: State = { h: Float64Array.from(start.h), c: Float64Array.from(start.c) };
    let spare: State = { h: new Float64Array(this.weights.units), c: new Float64Array(this.weights.units) };
    for (let t = leading; t < ids.length; t++) {
      this.step(state, ids[t] as number, spare);
      [state, spare] = [spare, state];
    }
    let logit = this.weights.outputBias;
    for (let u = 0; u < this.weights.units; u++) logit += (state.h[u] as number) * (this.weights.outputKernel[u] as number);
    return sigmoid(logit);
  }

  private nextState(prev: State, id: number): State {
    const next = { h: new Float64Array(this.weights.units), c: new Float64Array(this.weights.units) };
    this.step(prev, id, next);
    return next;
  }

  /** Writes the state after reading `id` from `prev` into `out` (which must not alias `prev`). */
  private step(prev: State, id: number, out: State): void {
    const { units, recurrentKernel } = this.weights;
    const width = this.width;
    const base = (id < this.weights.vocabularySize ? id : 1) * width;
    const { h, c } = out;
    const pre = this.scratch;
    if (this.weights.kind === 'gru') {
      // z, r from x·W + b + h·U[:, :2u]; candidate from x·W + b + (r ⊙ h)·U[:, 2u:] (tfjs GRUCell).
      for (let j = 0; j < 2 * units; j++) pre[j] = this.projected[base + j] as number;
      for (let i = 0; i < units; i++) {
        const hi = prev.h[i] as number;
        const uRow = i * width;
        for (let j = 0; j < 2 * units; j++) pre[j] = (pre[j] as number) + hi * (recurrentKernel[uRow + j] as number);
      }
      const rh = this.resetHidden;
      for (let i = 0; i < units; i++) rh[i] = this.gate(pre[units + i] as number) * (prev.h[i] as number);
      for (let j = 0; j < units; j++) {
        let candidate = this.projected[base + 2 * units + j] as number;
        for (let i = 0; i < units; i++) candidate += (rh[i] as number) * (recurrentKernel[i * width + 2 * units + j] as number);
        const z = this.gate(pre[j] as number);
        h[j] = z * (prev.h[j] as number) + (1 - z) * Math.tanh(candidate);
      }
      return;
    }
    for (let j = 0; j < width; j++) pre[j] = this.projected[base + j] as number;
    for (let i = 0; i < units; i++) {
      const hi = prev.h[i] as number;
      if (hi === 0) continue;
      const uRow = i * width;
      for (let j = 0; j < width; j++) pre[j] = (pre[j] as number) + hi * (recurrentKernel[uRow + j] as number);
    }
    if (this.weights.kind === 'simpleRNN') {
      for (let j = 0; j < units; j++) h[j] = Math.tanh(pre[j] as number);
      return;
    }
    // LSTM gates in tfjs order: input, forget, cell candidate, output.
    for (let j = 0; j < units; j++) {
      const input = this.gate(pre[j] as number);
      const forget = this.gate(pre[units + j] as number);
      c[j] = forget * (prev.c[j] as number) + input * Math.tanh(pre[2 * units + j] as number);
      h[j] = this.gate(pre[3 * units + j] as number) * Math.tanh(c[j] as number);
    }
  }
}
