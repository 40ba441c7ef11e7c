/**
 * A tfjs IOHandler that saves and loads a LayersModel as `model.json` + `weights.bin` in a directory
 * (the same layout as tfjs-node's `file://` handler, which we cannot rely on being installed).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string()),
        weights: z.array(
          z.object({
            name: z.string(),
            shape: z.array(z.number().int().nonnegative()),
            dtype: z.enum(['float32', 'int32', 'bool']),
          }),
        ),
      }),
    )
    .length(1),
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
});

function concatWeights(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

export function fileSystemIOHandler(directory: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer || !artifacts.modelTopology) {
        throw new Error('fileSystemIOHandler saves JSON (layers) topologies only');
      }
      const weights = concatWeights(artifacts.weightData ?? new ArrayBuffer(0));
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
      };
      await mkdir(directory, { recursive: true });
      const topologyText = `${JSON.stringify(modelJson)}\n`;
      await writeFile(path.join(directory, MODEL_FILE), topologyText);
      await writeFile(path.join(directory, WEIGHTS_FILE), new Uint8Array(weights));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: Buffer.byteLength(topologyText),
          weightSpecsBytes: Buffer.byteLength(JSON.stringify(modelJson.weightsManifest)),
          weightDataBytes: weights.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJson = modelJsonSchema.parse(JSON.parse(await readFile(path.join(directory, MODEL_FILE), 'utf8')));
      const manifest = modelJson.weightsManifest[0] as (typeof modelJson.weightsManifest)[number];
      const buffers = await Promise.all(manifest.paths.map((file) => readFile(path.join(directory, file))));
      const bytes = Buffer.concat(buffers);
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs: manifest.weights,
        // Copy into a fresh ArrayBuffer: a Buffer may be a view into a larger pooled one.
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy ?? null,
      };
    },
  };
}
