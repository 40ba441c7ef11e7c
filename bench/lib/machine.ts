import os from 'node:os';

export interface Machine {
  cores: number;
  cpu: string;
  ramGiB: number;
  node: string;
  date: string;
}

/** What the numbers were measured on: cores (nproc), CPU model, RAM, Node version and the date. */
export function describeMachine(): Machine {
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  };
}

export function machineLine(machine = describeMachine()): string {
  return `${machine.date} · ${machine.cores} cores (nproc ${machine.cores}), ${machine.cpu}, ${machine.ramGiB} GiB RAM · Node ${machine.node}`;
}

/** The 1-minute load average, formatted: other engineers' runs share this machine. */
export function loadAverage(): string {
  return os.loadavg()[0]?.toFixed(1) ?? 'n/a';
}

/** Every bench section starts with this line: how to rerun it, where, and how busy the machine was. */
export function provenance(command: string, loadAtStart: string): string {
  return `Command: \`${command}\` · ${machineLine()} · load average ${loadAtStart} at start, ${loadAverage()} at end`;
}

/** Progress goes to stderr; stdout carries only the markdown section the runner collects. */
export function progress(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
