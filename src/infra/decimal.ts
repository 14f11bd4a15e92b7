/**
 * Exact decimal amounts. Crypto amounts arrive as JSON numbers or strings (19.916393, "20"); they
 * are kept as normalised decimal strings and compared as scaled integers, never as floats.
 */
export interface Decimal {
  /** value = units / 10^scale */
  units: bigint;
  scale: number;
}

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const MAX_DIGITS = 60;

/** Parses a finite number or a plain/exponent decimal string; null for anything else. */
export function parseDecimal(value: unknown): Decimal | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // String() gives the shortest representation that round-trips, i.e. the digits that were sent.
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return null;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  const exponent = exponentText ? Number(exponentText) : 0;
  if (whole.length + fraction.length > MAX_DIGITS || Math.abs(exponent) > MAX_DIGITS) return null;
  let units = BigInt(whole + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  if (sign === '-') units = -units;
  return trim({ units, scale });
}

function trim(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale)];
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Canonical text: no exponent, no trailing zeros ("20", "19.916393"). */
export function formatDecimal(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const whole = digits.slice(0, digits.length - d.scale);
  const fraction = digits.slice(digits.length - d.scale);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Canonical text of a value that is already known to be a valid decimal. */
export function normaliseDecimal(value: string | number): string {
  const parsed = parseDecimal(value);
  if (!parsed) throw new Error(`Not a decimal amount: ${String(value)}`);
  return formatDecimal(parsed);
}

export function sameAmount(a: string | number, b: string | number): boolean {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return x !== null && y !== null && compareDecimal(x, y) === 0;
}

/** floor(whole * numerator / denominator), exactly; the pro-rata share of an integer amount. */
export function proRataFloor(whole: number, numerator: Decimal, denominator: Decimal): number {
  if (denominator.units <= 0n) throw new Error('Pro rata over a non-positive amount');
  const [num, den] = align(numerator, denominator);
  if (num <= 0n) return 0;
  return Number((BigInt(whole) * num) / den);
}
