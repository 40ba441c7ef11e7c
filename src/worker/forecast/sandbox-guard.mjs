// Imported first by every BullMQ sandbox entry we ship.
//
// BullMQ's sandbox child (bullmq 5, classes/main-base.js) reports an uncaught error by sending it to its
// parent. With the parent gone (the worker SIGKILLed or crashed mid-job) that send fails, and the failure
// is uncaught too: an endless loop, all in microtasks, so the child never even reaches the event-loop
// turn that would deliver IPC 'disconnect'. Seen in a benchmark as an orphan at 100% CPU and 1 GB,
// growing. Exit instead: the job's lock expires and another worker re-runs it.

const parentGone = (error) =>
  !process.connected || error?.code === 'ERR_IPC_CHANNEL_CLOSED' || error?.code === 'EPIPE';

process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  if (parentGone(error)) process.exit(0);
});
