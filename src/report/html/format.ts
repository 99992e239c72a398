// Number and simulated-time formatting for labels and tables. Pure and locale-free, so output is identical on
// every machine (Intl/toLocaleString would follow the host's locale).

/** Simulated seconds as hh:mm:ss (hours keep growing past 24; fractions of a second are dropped). */
export function formatSimTime(seconds: number): string {
  const negative = seconds < 0;
  const total = Math.floor(Math.abs(seconds) + 1e-9);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const text = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}

/** A duration in seconds for prose: "45.0 s", "12 min 30 s", "3 h 05 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${formatFixed(seconds, 1)} s`;
  const total = Math.round(seconds);
  if (total < 3600) return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, "0")} s`;
  const minutes = Math.round(total / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Thousands separated by commas, whatever the host locale: "1234567" → "1,234,567". */
function groupThousands(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Fixed decimals with grouped thousands; "−0.0" normalised to "0.0". */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return "—";
  let text = value.toFixed(decimals);
  if (/^-0(\.0*)?$/.test(text)) text = text.slice(1);
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf(".");
  const intPart = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? "" : body.slice(dot);
  return `${negative ? "-" : ""}${groupThousands(intPart)}${frac}`;
}

/** About three significant figures, trailing zeros dropped: 0.00123, 12.3, 30, 1,234. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const magnitude = Math.abs(value);
  if (magnitude === 0) return "0";
  let decimals = 0;
  if (magnitude < 1) decimals = Math.min(6, 2 - Math.floor(Math.log10(magnitude)));
  else if (magnitude < 10) decimals = 2;
  else if (magnitude < 100) decimals = 1;
  const text = formatFixed(value, decimals);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A fraction in [0, 1] as a percentage with one decimal: 0.9834 → "98.3%". */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "—";
  return `${formatFixed(fraction * 100, 1)}%`;
}

/** Axis tick label: short, no trailing zeros, k/M suffixes above 10 000. */
export function formatAxisValue(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6) return `${trimZeros((value / 1e6).toFixed(2))}M`;
  if (magnitude >= 1e4) return `${trimZeros((value / 1e3).toFixed(1))}k`;
  if (magnitude === 0) return "0";
  if (magnitude >= 1) return trimZeros(value.toFixed(2));
  return trimZeros(value.toPrecision(3));
}

function trimZeros(text: string): string {
  return text.includes(".") && !text.includes("e") ? text.replace(/\.?0+$/, "") : text;
}
