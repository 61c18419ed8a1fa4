import * as fs from 'fs';
import * as path from 'path';

/** Every file under `dir`, by path relative to it, with its content. */
export function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else {
        out[path.relative(dir, p)] = fs.readFileSync(p, 'utf-8');
      }
    }
  };
  walk(dir);
  return out;
}
