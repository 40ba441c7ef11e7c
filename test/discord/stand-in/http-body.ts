import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface ParsedBody {
  /** The JSON body, or multipart's `payload_json` part (how Discord takes JSON next to files). */
  json: unknown;
  files: UploadedFile[];
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses application/json and multipart/form-data bodies the way Discord's API accepts them. */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (raw.length === 0) return { json: undefined, files: [] };
  if (contentType?.startsWith('application/json')) return { json: JSON.parse(raw.toString('utf8')), files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    // undici's multipart parser (Node's own fetch implementation), not a hand-rolled one.
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let json: unknown;
    const files: UploadedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = JSON.parse(value);
        continue;
      }
      files.push({ field, filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
    return { json, files };
  }
  throw new Error(`unsupported content type ${contentType ?? '(none)'}`);
}
