/** Which recharge package the dialog starts on. */
export interface PackageChoice {
  crypto_amount: number;
  coin_num: number;
}

/**
 * The smallest package that covers what the viewer is short of (they came from "you need N more
 * diamonds"); the largest when none does; without a shortfall, the middle one (the usual pick).
 */
export function initialPackage<P extends PackageChoice>(packages: readonly P[], shortBy?: number): P | undefined {
  if (packages.length === 0) return undefined;
  if (shortBy !== undefined && shortBy > 0) {
    const covering = packages.filter((pack) => pack.coin_num >= shortBy).sort((a, b) => a.coin_num - b.coin_num);
    return covering[0] ?? [...packages].sort((a, b) => b.coin_num - a.coin_num)[0];
  }
  return packages[Math.min(1, packages.length - 1)];
}
