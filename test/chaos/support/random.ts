// A seeded random source, so a chaos run that fails can be repeated with its seed (CHAOS_SEED).
export interface Random {
  seed: number;
  next(): number;
  between(min: number, max: number): number;
}

export function seededRandom(seed: number = Number(process.env.CHAOS_SEED) || Math.floor(Math.random() * 2 ** 31)): Random {
  let a = seed >>> 0;
  const next = (): number => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, next, between: (min, max) => min + next() * (max - min) };
}

/** A size from the environment (to try a run smaller or larger), else the default. */
export function sizeFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
