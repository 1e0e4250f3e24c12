/**
 * Writes a platform hand-over (aov rules --target X --out DIR) into its folder: refuses before
 * writing anything when one of the files already exists (unless --force), then writes each
 * file atomically (src/io/output.ts).
 */
import path from 'node:path';
import { assertWritable, writeFileAtomic } from './output.js';

export async function writeTargetFolder(dir: string, files: readonly { path: string; content: string }[], force: boolean): Promise<string[]> {
  const targets = files.map((file) => path.join(dir, file.path));
  assertWritable(targets, force);
  for (const [index, file] of files.entries()) await writeFileAtomic(targets[index], file.content, { force: true });
  return targets;
}
