// Entry of the BullMQ sandboxed training processor. Sandboxes are plain Node processes, so this file
// registers tsx's loader before importing the TypeScript processor.
import { register } from 'tsx/esm/api';

// BullMQ forks this process with an IPC channel. If the worker dies (SIGKILL, crash), nothing else
// stops us: without this we would live on as an orphan, training for nobody.
process.on('disconnect', () => process.exit(0));

register();
const { default: trainSymbol } = await import('./training-processor.ts');

export default trainSymbol;
