import type { Attachment } from '../../shared/chat/types.js';

/**
 * A Discord attachment as the core sees it. The bytes are fetched from Discord's CDN only when a
 * handler asks, after it has checked the declared size, and never beyond that size.
 */
export function toCoreAttachment(file: { name: string; size: number; url: string }): Attachment {
  return {
    name: file.name,
    size: file.size,
    async download() {
      const response = await fetch(file.url);
      if (!response.ok) throw new Error(`downloading attachment ${file.name} failed: HTTP ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > file.size) {
        throw new Error(`attachment ${file.name} is ${bytes.length} bytes but was announced as ${file.size}`);
      }
      return bytes;
    },
  };
}
