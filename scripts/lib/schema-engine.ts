import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { createShadowAdapterFactory, type ShadowAdapterFactory } from './shadow-adapter.js';

/*
 * Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm), loaded the way the Prisma
 * CLI loads it (prisma/prisma, packages/internals/src/WasmSchemaEngineLoader.ts): the package's main
 * entry imports the .wasm as an ES module, which Node 20 cannot, so we instantiate the binary ourselves
 * against the package's wasm-bindgen glue. It stands in for the native engine binary we cannot download.
 */

type SchemaEngineClass = typeof SchemaEngine;

/** The slice of the WebAssembly global we use; @types/node declares its types but not its values. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let loaded: Promise<SchemaEngineClass> | undefined;

/** Once per process: wasm-bindgen keeps module-level state, and a second instantiation breaks it. */
function loadSchemaEngineClass(): Promise<SchemaEngineClass> {
  loaded ??= (async () => {
    // Rust panics report their message through this global before throwing.
    const globals = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
    globals.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(this: { message: string }, message: string) {
        this.message = `RuntimeError: ${message}`;
      },
    };
    const runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const module = new wasmApi.Module(await readFile(wasmPath));
    const instance = new wasmApi.Instance(module, { './schema_engine_bg.js': runtime });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime.SchemaEngine;
  })();
  return loaded;
}

export interface SchemaEngineSession {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/**
 * An engine whose database work (only shadow databases, for diffs from a migrations directory) happens
 * on the Postgres server at `serverUrl`. `datamodels` mirrors what the CLI passes: the schema files.
 */
export async function openSchemaEngine(
  serverUrl: string,
  datamodels: [path: string, content: string][],
): Promise<SchemaEngineSession> {
  const SchemaEngineClass = await loadSchemaEngineClass();
  const factory: ShadowAdapterFactory = createShadowAdapterFactory(serverUrl);
  const debug = process.env.DEBUG?.includes('schema-engine')
    ? (line: string) => process.stderr.write(`schema-engine ${line}\n`)
    : () => undefined;
  try {
    const engine = await SchemaEngineClass.new({ datamodels }, debug, bindMigrationAwareSqlAdapterFactory(factory));
    return {
      engine,
      async close() {
        engine.free();
        await factory.close();
      },
    };
  } catch (error) {
    await factory.close();
    throw error;
  }
}
