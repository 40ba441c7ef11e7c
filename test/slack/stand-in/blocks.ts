import { BLOCK_LIMITS } from './wire.js';

/**
 * The subset of Slack's Block Kit validation that our renderer could violate. Slack answers a bad
 * message with `invalid_blocks` and messages like "[ERROR] must be less than 3001 characters
 * [json-pointer:/blocks/0/text/text]"; so does this.
 */
export function validateBlocks(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return ['[ERROR] must be an array [json-pointer:/blocks]'];
  const errors: string[] = [];
  const tooLong = (value: unknown, max: number, pointer: string) => {
    if (typeof value !== 'string' || value.length === 0) errors.push(`[ERROR] must be a non-empty string [json-pointer:${pointer}]`);
    else if (value.length > max) errors.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`);
  };
  const actionIds = new Set<string>();
  if (blocks.length > BLOCK_LIMITS.blocks) errors.push(`[ERROR] no more than ${BLOCK_LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  blocks.forEach((block: Record<string, unknown>, index) => {
    const at = `/blocks/${index}`;
    const text = block.text as Record<string, unknown> | undefined;
    switch (block.type) {
      case 'section':
        tooLong(text?.text, BLOCK_LIMITS.sectionText, `${at}/text/text`);
        break;
      case 'header':
        if (text?.type !== 'plain_text') errors.push(`[ERROR] must be plain_text [json-pointer:${at}/text/type]`);
        tooLong(text?.text, BLOCK_LIMITS.headerText, `${at}/text/text`);
        break;
      case 'actions': {
        const elements = block.elements as Record<string, unknown>[] | undefined;
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > BLOCK_LIMITS.actionsElements) {
          errors.push(`[ERROR] must have 1 to ${BLOCK_LIMITS.actionsElements} elements [json-pointer:${at}/elements]`);
          break;
        }
        elements.forEach((element, position) => {
          const where = `${at}/elements/${position}`;
          if (element.type !== 'button') return;
          tooLong((element.text as Record<string, unknown> | undefined)?.text, BLOCK_LIMITS.buttonText, `${where}/text/text`);
          tooLong(element.action_id, BLOCK_LIMITS.actionId, `${where}/action_id`);
          if (actionIds.has(String(element.action_id))) errors.push(`[ERROR] action_id must be unique [json-pointer:${where}/action_id]`);
          actionIds.add(String(element.action_id));
          if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
            errors.push(`[ERROR] must be one of primary, danger [json-pointer:${where}/style]`);
          }
        });
        break;
      }
      case 'context':
      case 'divider':
      case 'image':
        break;
      default:
        errors.push(`[ERROR] unsupported type: ${String(block.type)} [json-pointer:${at}/type]`);
    }
  });
  return errors;
}
