/** `aov cache list|clear`: what the import cache holds (see src/io/cache.ts), and emptying it. */
import { AovError } from '../errors.js';
import { cacheCap, cacheRoot, clearEntries, formatSize as size, listEntries, listLeftovers } from '../io/cache.js';

/** The lines `aov cache list` or `aov cache clear` prints. */
export async function cacheCommand(action: string): Promise<string> {
  if (action === 'list') {
    const entries = await listEntries();
    const cap = cacheCap();
    const capText = cap === 0 ? 'the cache is off (AOV_CACHE_SIZE=0)' : `cap ${size(cap)}${process.env.AOV_CACHE_SIZE ? ' (AOV_CACHE_SIZE)' : ''}, least recently used removed first`;
    // (the cap counts the folders of writes under way and of killed runs too: so does the total)
    const leftoverBytes = (await listLeftovers()).reduce((a, l) => a + l.bytes, 0);
    const leftoverText = leftoverBytes ? `, ${size(leftoverBytes)} of it in unfinished writes or removals` : '';
    if (entries.length === 0) return `The import cache is empty (${cacheRoot()}${leftoverBytes ? `, ${size(leftoverBytes)} in unfinished writes or removals` : ''}; ${capText}).\n`;
    const lines = [`${entries.length} cached import(s) in ${cacheRoot()}, ${size(entries.reduce((a, e) => a + e.bytes, leftoverBytes))} in all${leftoverText}; ${capText}:`];
    for (const entry of entries) {
      const what = entry.files.length ? entry.files.join(', ') : '(damaged: rebuilt or removed on next use)';
      const orders = entry.orders === null ? '' : `, ${entry.orders.toLocaleString('en-US')} orders`;
      lines.push(`  ${entry.created.slice(0, 16).replace('T', ' ')}  ${size(entry.bytes).padStart(8)}  ${what}${orders}${entry.withLines ? ', with baskets' : ''}`);
    }
    return `${lines.join('\n')}\n`;
  }
  if (action === 'clear') {
    const { entries, bytes } = await clearEntries();
    return `Removed ${entries} cached import(s), ${size(bytes)} (${cacheRoot()}).\n`;
  }
  throw new AovError('E_USAGE', `aov cache: no action "${action}".`, { hint: 'Use aov cache list or aov cache clear.' });
}
