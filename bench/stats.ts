/** Small statistics for repeated measurements. */

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** relative spread: (max − min) / median */
export const spread = (values: ReadonlyArray<number>): number => {
  const m = median(values)
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m
}

export const round = (value: number, digits = 0): number => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export const mib = (bytes: number): number => round(bytes / (1024 * 1024), 1)
