// Records every path this process opens, reads, writes, lists or removes through node:fs while watching, so a
// test can show that no request made pinflow touch a file outside its media store.
import fs = require('node:fs');

const promiseFns = ['open', 'readFile', 'writeFile', 'stat', 'lstat', 'rm', 'unlink', 'rename', 'mkdir', 'readdir', 'copyFile'] as const;
const streamFns = ['createReadStream', 'createWriteStream'] as const;

export interface FsWatch {
  readonly paths: string[];
  stop(): void;
}

export function watchFs(): FsWatch {
  const paths: string[] = [];
  const note = (value: unknown): void => {
    if (typeof value === 'string') paths.push(value);
    else if (value instanceof URL) paths.push(value.pathname);
  };
  const restores: Array<() => void> = [];
  const wrap = <T extends object>(target: T, name: string): void => {
    const record = target as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = record[name];
    if (typeof original !== 'function') return;
    record[name] = function watched(this: unknown, ...args: unknown[]) {
      note(args[0]);
      if (name === 'rename' || name === 'copyFile') note(args[1]);
      return original.apply(this, args);
    };
    restores.push(() => (record[name] = original));
  };
  for (const name of promiseFns) wrap(fs.promises, name);
  for (const name of streamFns) wrap(fs, name);
  return {
    paths,
    stop: () => restores.forEach((restore) => restore()),
  };
}
