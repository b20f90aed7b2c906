// Human-readable times and durations for run lists and timelines.
type DateLike = Date | string | number | null | undefined;

function toDate(value: DateLike): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** The time between two instants, or null while the second is unknown. */
export function durationBetween(start: DateLike, end: DateLike): string | null {
  const from = toDate(start);
  const to = toDate(end);
  return from && to ? formatDuration(to.getTime() - from.getTime()) : null;
}

export function formatRelative(value: DateLike, now: number = Date.now()): string {
  const date = toDate(value);
  if (!date) return "Never";
  const seconds = Math.round((now - date.getTime()) / 1000);
  if (seconds < 0) return `in ${formatDuration(-seconds * 1000)}`;
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 7 * 86_400) return `${Math.round(seconds / 86_400)} d ago`;
  return date.toLocaleDateString();
}

export function formatDateTime(value: DateLike): string {
  const date = toDate(value);
  return date ? date.toLocaleString() : "—";
}
