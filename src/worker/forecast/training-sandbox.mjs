// Entry of the BullMQ sandboxed training processor. Sandboxes are plain Node processes, so this file
// registers tsx's loader before importing the TypeScript processor.
import { register } from 'tsx/esm/api';

register();
const { default: trainSymbol } = await import('./training-processor.ts');

export default trainSymbol;
