/**
 * Progress for long runs: on a terminal, after two seconds, one line on stderr saying what
 * the import is doing ("classifying 541,909 rows"); nothing when stderr is piped or --quiet.
 */
export type Progress = (phase: string) => void;

export function progressReporter(options: { quiet?: boolean }, stream: NodeJS.WriteStream = process.stderr): { report: Progress; done: () => void } {
  if (options.quiet || !stream.isTTY) return { report: () => undefined, done: () => undefined };
  const started = Date.now();
  let shown = false;
  let last = '';
  let timer: NodeJS.Timeout | undefined;
  let ticker: NodeJS.Timeout | undefined;
  const draw = () => {
    shown = true;
    stream.write(`\r\u001b[2K${last} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    if (!ticker) {
      // Redraw every second so the elapsed time moves while DuckDB works.
      ticker = setInterval(draw, 1000);
      ticker.unref();
    }
  };
  const stop = () => {
    if (timer) clearTimeout(timer);
    if (ticker) clearInterval(ticker);
    timer = undefined;
    ticker = undefined;
    if (shown) stream.write('\r\u001b[2K');
    shown = false;
  };
  return {
    report(phase) {
      // An empty phase: the long part is over, clear the line before results are printed.
      if (phase === '') return stop();
      last = phase;
      if (shown) draw();
      else if (!timer) {
        timer = setTimeout(draw, Math.max(0, 2000 - (Date.now() - started)));
        timer.unref();
      }
    },
    done: stop,
  };
}
