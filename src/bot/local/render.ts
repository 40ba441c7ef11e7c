import type { OutgoingMessage } from '../../shared/chat/types.js';
import type { LocalMessage } from './message-store.js';

type Draft = Omit<LocalMessage, 'id' | 'createdAt' | 'reactions' | 'conversation' | 'author'>;

/** Core message → what the local page shows; an image is stored by `putImage` and shown by its URL. */
export async function renderLocalMessage(message: OutgoingMessage, putImage: (png: Buffer) => Promise<string>): Promise<Draft> {
  switch (message.kind) {
    case 'text':
      return { kind: 'text', text: message.markdown, buttons: [] };
    case 'card':
      return {
        kind: 'card',
        text: message.body,
        buttons: message.buttons.map((button) => ({ id: button.id, label: button.label })),
        ...(message.title ? { title: message.title } : {}),
      };
    case 'image':
      return {
        kind: 'image',
        text: message.caption ?? message.alt,
        buttons: [],
        image: await putImage(message.png),
      };
  }
}
