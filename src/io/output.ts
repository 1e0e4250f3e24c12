/**
 * Writing files safely: never overwrite a user's file unless asked (--force), and never
 * leave half a file behind (write a temporary file in the same folder, then rename it over
 * the target, which is atomic on one file system).
 */
import { lstatSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
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

/**
 * A folder of files written as one set (aov report's four files). One run at a time holds the
 * folder through a lock file created with O_EXCL that holds its pid; the files are staged in a
 * hidden folder inside it and renamed into place only once all of them are written, so a
 * reader (or a run killed with -9) never sees a new report.md beside an old report.json.
 *
 * Left behind by a run that was killed, and cleaned up by the next one (with a note): the lock
 * of a pid that no longer runs; its staging folder (removed, or, when it was already complete,
 * moved into place so the folder holds one whole set); and the hidden temporary files of
 * writeFileAtomic from older versions.
 */
export const LOCK_FILE = '.aov-report.lock';
const STAGING = /^\.aov-report-(\d+)\.staging$/;
const OLD_TEMP = /^\.(?:report\.md|report\.html|report\.json|rules\.json)\.(\d+)\.[0-9a-z]+\.tmp$/;
/** Written last into a staging folder: every file of the set is there. */
const READY = '.ready';
/** A lock file still empty this long after it was made belongs to a run that died before writing its pid. */
const EMPTY_LOCK_GRACE_MS = 10_000;

export interface FileSet {
  /** The folder, created when missing. */
  readonly dir: string;
  /** Writes every file into staging, then renames them into place; nothing is replaced if one cannot be. */
  replace(files: readonly { name: string; content: string | Uint8Array }[]): Promise<void>;
  /** Gives the folder back: removes the lock, and the folder itself if this run created it and left it empty. */
  release(): Promise<void>;
}

/** Whether a process with this pid runs (EPERM: it runs as another user). */
function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeError(target: string, error: unknown, hint = 'Check that the folder exists and is writable, and that the disk is not full.'): AovError {
  return new AovError('E_WRITE', `Cannot write ${target} (${(error as Error).message}).`, { hint, context: { file: target }, cause: error });
}

/** Takes the lock on `dir` for this run, cleaning up after killed runs; `note` hears what was cleaned. */
export async function lockFileSet(dir: string, note: (text: string) => void): Promise<FileSet> {
  let created: string | undefined;
  try {
    created = await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new AovError('E_WRITE', `Cannot create the folder ${dir} (${(error as Error).message}).`, { context: { file: dir }, cause: error });
  }
  const lock = path.join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw writeError(lock, error);
    }
    const text = await readFile(lock, 'utf8').catch(() => '');
    const pid = Number.parseInt(text, 10);
    const age = Date.now() - ((await lstat(lock).catch(() => undefined))?.mtimeMs ?? 0);
    if (isRunning(pid) || (text.trim() === '' && age < EMPTY_LOCK_GRACE_MS)) {
      throw new AovError('E_OUTPUT_LOCKED', `another aov report (pid ${Number.isNaN(pid) ? 'unknown' : pid}) is writing into ${dir}; nothing was written.`, {
        hint: `Let it finish, or write elsewhere with --out. If no such run exists, delete ${lock}.`,
      });
    }
    await unlink(lock).catch(() => undefined);
    note(`removed a stale lock of pid ${Number.isNaN(pid) ? 'unknown' : pid} in ${dir} (that run ended without cleaning up).`);
  }
  await cleanUpAfterKilledRuns(dir, note);

  const staging = path.join(dir, `.aov-report-${process.pid}.staging`);
  return {
    dir,
    async replace(files) {
      // Stage every file; a failure here leaves the folder as it was.
      try {
        await rm(staging, { recursive: true, force: true });
        await mkdir(staging);
        for (const f of files) await writeFile(path.join(staging, f.name), f.content, { flag: 'wx' });
      } catch (error) {
        await rm(staging, { recursive: true, force: true });
        throw writeError(dir, error);
      }
      // What rename cannot replace (a folder) is found before any file is replaced.
      for (const f of files) {
        const target = path.join(dir, f.name);
        const found = await lstat(target).catch(() => undefined);
        if (found?.isDirectory()) {
          await rm(staging, { recursive: true, force: true });
          throw new AovError('E_WRITE', `${target} is a folder, so the report files cannot be replaced; nothing was written.`, {
            hint: 'Move that folder away, or choose another --out folder.',
            context: { file: target },
          });
        }
      }
      await writeFile(path.join(staging, READY), '');
      await commitStaged(staging, dir, files.map((f) => f.name));
    },
    async release() {
      const text = await readFile(lock, 'utf8').catch(() => '');
      if (Number.parseInt(text, 10) === process.pid) await unlink(lock).catch(() => undefined);
      // A run that failed before writing leaves no empty folder it made itself.
      if (created && (await readdir(created).catch(() => ['?'])).length === 0) await rmdir(created).catch(() => undefined);
    },
  };
}

/** Renames staged files into place, then removes the staging folder. */
async function commitStaged(staging: string, dir: string, names: readonly string[]): Promise<void> {
  let replaced = 0;
  for (const name of names) {
    try {
      await rename(path.join(staging, name), path.join(dir, name));
      replaced++;
    } catch (error) {
      throw writeError(path.join(dir, name), error, `${replaced} of ${names.length} files were replaced; the next aov report into ${dir} puts the rest of this set in place.`);
    }
  }
  await rm(staging, { recursive: true, force: true });
}

/** Under the lock, nothing else writes here: every staging folder and old temporary file is a killed run's. */
async function cleanUpAfterKilledRuns(dir: string, note: (text: string) => void): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const staged = STAGING.exec(name);
    const full = path.join(dir, name);
    if (staged) {
      const files = (await readdir(full).catch(() => [] as string[])).filter((f) => f !== READY);
      if (pathExists(path.join(full, READY))) {
        // Every file was written and some may be in place already: finish, so the folder holds one whole set.
        await commitStaged(full, dir, files);
        note(`finished putting in place the report files of an interrupted run (pid ${staged[1]}).`);
      } else {
        await rm(full, { recursive: true, force: true });
        note(`removed the unfinished files of an interrupted run (pid ${staged[1]}).`);
      }
    } else {
      const temp = OLD_TEMP.exec(name);
      if (temp && !isRunning(Number(temp[1]))) {
        await rm(full, { force: true });
        note(`removed ${name}, a temporary file of an interrupted run (pid ${temp[1]}).`);
      }
    }
  }
}

