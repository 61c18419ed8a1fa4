import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Folders made by the test file that imports this module, removed when its tests are done.
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A new, empty folder under the system's temporary folder, removed after the test file's last test. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
