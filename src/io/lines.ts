/**
 * Physical line numbers for records, found by scanning the file once with the same quoting
 * rules as the engine (double quotes, "" inside quotes). Used only to point messages at a
 * line: the fast path never scans.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/**
 * Returns, for each wanted accepted-record index (0-based, header excluded), the 1-based
 * line where that record starts. Records starting on a line in `rejectedLines` were dropped
 * by the engine and are not counted as accepted; blank lines are skipped like the engine does.
 */
export async function locateRecords(
  path: string,
  gzip: boolean,
  wanted: readonly number[],
  rejectedLines: ReadonlySet<number>,
): Promise<Map<number, number>> {
  const targets = new Set(wanted);
  const found = new Map<number, number>();
  if (targets.size === 0) return found;
  const maxWanted = Math.max(...wanted);
  let line = 1;
  let quoted = false;
  let recordStart = 1;
  let recordHasContent = false;
  let headerDone = false;
  let accepted = -1;
  let previous = 0;
  const stream = gzip ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  const endRecord = () => {
    if (!headerDone) {
      if (recordHasContent) headerDone = true;
    } else if (recordHasContent && !rejectedLines.has(recordStart)) {
      accepted++;
      if (targets.has(accepted)) found.set(accepted, recordStart);
    }
    recordHasContent = false;
  };
  outer: for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 0x22) {
        quoted = !quoted;
        recordHasContent = true;
      } else if (byte === 0x0a || byte === 0x0d) {
        // CRLF counts once; a lone CR ends a line too.
        const isSecondOfCrlf = byte === 0x0a && previous === 0x0d;
        if (!isSecondOfCrlf) {
          if (!quoted) {
            endRecord();
            if (accepted >= maxWanted) break outer;
            recordStart = line + 1;
          }
          line++;
        }
      } else if (byte !== 0x20 && byte !== 0x09) {
        recordHasContent = true;
      }
      previous = byte;
    }
  }
  if (accepted < maxWanted) endRecord();
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  return found;
}
