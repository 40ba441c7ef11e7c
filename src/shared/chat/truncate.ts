/** Cuts text to a platform's field limit, marking the cut so a reader sees something is missing. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
