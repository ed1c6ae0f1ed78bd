import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Folders of one test's own under the system's temporary folder, all removed at once when it ends. */
export class TempFolders {
  readonly #paths: string[] = [];

  /** A new empty folder whose name starts with `prefix`. */
  make(prefix: string): string {
    const path = mkdtempSync(join(tmpdir(), prefix));
    this.#paths.push(path);
    return path;
  }

  removeAll(): void {
    for (const path of this.#paths.splice(0)) rmSync(path, { recursive: true, force: true });
  }
}
