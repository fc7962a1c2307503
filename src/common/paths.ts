import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** The project's root folder (where package.json is), whether running from src/ under Jest or from dist/. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = parent;
  }
  return (cached = dir);
}

export function readSeedJson<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(projectRoot(), 'seeds', name), 'utf8')) as T;
}
