import cliProgress from 'cli-progress';
import type { EpochRecord, TrainingProgress } from './train-network.js';

/**
 * Training progress on stderr (stdout stays clean for machine-readable output): epoch, batch, running
 * loss and ETA. On a non-TTY (a log file) cli-progress prints a line every few seconds instead.
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): TrainingProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'epoch {epoch}/{epochs} |{bar}| batch {value}/{total} | loss {loss} | ETA {eta_formatted}',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  return {
    startEpoch(epoch, epochs, batches) {
      bar.start(batches, 0, { epoch, epochs, loss: '—' });
      active = true;
    },
    batch(done, loss) {
      bar.update(done, { loss: loss.toFixed(4) });
    },
    endEpoch(record: EpochRecord) {
      bar.stop();
      active = false;
      stream.write(
        `epoch ${record.epoch}: train loss ${record.trainLoss.toFixed(4)}, validation loss ${record.validationLoss.toFixed(4)}, ` +
          `validation accuracy ${record.validationAccuracy.toFixed(4)} (${record.seconds.toFixed(0)} s)\n`,
      );
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
