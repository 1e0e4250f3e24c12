/**
 * Writing files safely: never overwrite a user's file unless asked (--force), and never
 * leave half a file behind (write a temporary file in the same folder, then rename it over
 * the target, which is atomic on one file system).
 */
import { lstatSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AovError } from '../errors.js';

/**
 * Whether anything sits at this path. lstat, not stat: a symlink counts, dangling or not, so
 * it is never silently replaced (existsSync follows the link and calls a dangling one absent).
 */
export function pathExists(target: string): boolean {
  try {
    lstatSync(target);
    return true;
  } catch {
    return false;
  }
}

export interface WriteOptions {
  /** Replace an existing file. */
  force?: boolean;
}

export async function writeFileAtomic(target: string, content: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  if (pathExists(target) && !options.force) {
    throw new AovError('E_OUTPUT_EXISTS', `${target} already exists; it is left untouched.`, {
      hint: 'Add --force to replace it, or write somewhere else.',
      context: { file: target },
    });
  }
  const dir = path.dirname(path.resolve(target));
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new AovError('E_WRITE', `Cannot create the folder ${dir} (${(error as Error).message}).`, { context: { file: target }, cause: error });
  }
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw new AovError('E_WRITE', `Cannot write ${target} (${(error as Error).message}).`, {
      hint: 'Check that the folder exists and is writable, and that the disk is not full.',
      context: { file: target },
      cause: error,
    });
  }
}

/** Refuses before any work starts when one of the files exists (so a report is never half replaced). */
export function assertWritable(targets: readonly string[], force: boolean | undefined): void {
  if (force) return;
  const existing = targets.filter(pathExists);
  if (existing.length) {
    throw new AovError('E_OUTPUT_EXISTS', `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written.`, {
      hint: 'Add --force to replace them, or choose another --out folder.',
      context: { file: existing[0] },
    });
  }
}
