/**
 * Data never drives the terminal or a report page. An export's product names, segment values,
 * headers and cells can hold control characters: `ESC[2J` clears the screen, OSC 52
 * (`ESC]52;c;...BEL`) writes the clipboard, C1 controls (U+0080-U+009F) are the same commands
 * in one code point on many terminals, and bidi overrides (U+202A-U+202E, U+2066-U+2069) make
 * text read in another order than it is stored ("Trojan Source", CVE-2021-42574).
 *
 * Two layers:
 * - `visible(text)` where a data string is rendered (terminal tables and messages, Markdown and
 *   HTML escaping): line breaks and tabs become a space so a value stays on its line, every other
 *   control or bidi control becomes U+FFFD, so the reader sees that something was there.
 * - a final guard on the whole output: `terminalSafe` on every write to stdout and stderr (see
 *   `guardTerminal`, installed by cli.ts) keeps only the SGR colour sequences chalk emits and the
 *   progress line's `CR ESC[2K`; `documentSafe` on report.md and report.html keeps only tab and
 *   newline. JSON is not touched here: JSON.stringify escapes C0, and `stringify` (analyzeJson.ts)
 *   writes C1 and bidi controls as \u escapes, so the values stay exact.
 * https://en.wikipedia.org/wiki/C0_and_C1_control_codes
 * https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters
 */

/** Characters that break a line: a data value must not start a new one. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** C0 (but tab and newline), DEL, C1, and the bidi embeddings, overrides and isolates. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** A control character or bidi control, or one of aov's own terminal sequences (kept). */
const TERMINAL = /\u001b\[[0-9;]*m|\r\u001b\[2K|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A data string as it may be shown to a person: on one line, with no character a terminal or a
 * browser acts on.
 * @example
 * visible('Tea\u001b[2Jpot\nlarge'); // 'Tea\uFFFD[2Jpot large'
 */
export function visible(text: string): string {
  return String(text).replace(LINE_BREAKS, ' ').replace(CONTROLS, '\uFFFD');
}

/**
 * Like visible, but keeps line breaks and tabs (for escapers whose callers handle them).
 * @example
 * defuse('a\u202eb\nc'); // 'a\uFFFDb\nc'
 */
export function defuse(text: string): string {
  return String(text).replace(CONTROLS, '\uFFFD');
}

/**
 * The last guard before the terminal: drops every control but tab, newline, SGR colour
 * (`ESC [ digits;... m`, what chalk writes) and the progress line's `CR ESC[2K`.
 * @example
 * terminalSafe('\u001b[31mred\u001b[39m \u001b]52;c;SGVsbG8=\u0007'); // '\u001b[31mred\u001b[39m ]52;c;SGVsbG8='
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL, (match) => (match.length > 1 ? match : ''));
}

/**
 * The last guard on report.md and report.html: no control but tab and newline.
 * @example
 * documentSafe('a\u0000b\u202e\n'); // 'ab\n'
 */
export function documentSafe(text: string): string {
  return text.replace(CONTROLS, '');
}

const GUARDED = Symbol.for('aov.terminalGuard');

/**
 * Routes every write to `stream` through terminalSafe (once per stream). Commander's own
 * messages (an unknown option echoes what was typed) and every command's output pass here.
 */
export function guardTerminal(stream: NodeJS.WriteStream): void {
  const marked = stream as NodeJS.WriteStream & { [GUARDED]?: true };
  if (marked[GUARDED]) return;
  marked[GUARDED] = true;
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : chunk;
    return write(typeof text === 'string' ? terminalSafe(text) : text, ...rest);
  }) as NodeJS.WriteStream['write'];
}

/** C1 and bidi controls as \u escapes in JSON text: the same value once parsed, inert on a terminal. */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
