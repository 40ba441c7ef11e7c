#!/usr/bin/env node
// Docker HEALTHCHECK: exits 0 when this container's process answers GET /healthz with 200. The process
// is the bot (HTTP_PORT) unless the container's command is `worker` (WORKER_HTTP_PORT); HEALTHCHECK_URL
// overrides both. Plain JavaScript, so a probe never waits for the TypeScript loader.
import { readFileSync } from 'node:fs';

function containerCommand() {
  try {
    return readFileSync('/proc/1/cmdline', 'utf8').split('\0');
  } catch {
    return [];
  }
}

const port = containerCommand().includes('worker') ? process.env.WORKER_HTTP_PORT || '3002' : process.env.HTTP_PORT || '3000';
const url = process.env.HEALTHCHECK_URL || `http://127.0.0.1:${port}/healthz`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (!response.ok) console.error(`${url}: ${response.status} ${await response.text()}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
