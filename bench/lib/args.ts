/** `--name N` from the command line, or `fallback` when the option is absent. */
export function numberArgument(name: string, fallback: number, argv = process.argv): number {
  const index = argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(argv[index + 1]);
}
