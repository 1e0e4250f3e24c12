/**
 * NPS survey files: a customer key (email or id), a 0-10 score and a date per answer,
 * matched to the orders' customer keys. Unmatched and unreadable answers are counted.
 */
import { AovError, columnsFound } from '../errors.js';
import { openEngine, sqlString } from './engine.js';
import { normaliseHeader } from './formats.js';
import { dateSql, detectDateLayout } from './locale.js';
import { makeWorkDir, prepareSource, resolveInputs } from './source.js';

export interface SurveyAnswer {
  customerKey: string;
  score: number;
  /** Wall-clock-as-UTC epoch ms, like OrderTable.placedAt. */
  answeredAt: number;
}

export interface SurveyData {
  file: string;
  rows: number;
  answers: SurveyAnswer[];
  /** Rows whose score is not a whole number 0-10, or whose date or customer is missing. */
  rejected: number;
  columns: { customer: string; score: string; date: string };
}

function pick(header: readonly string[], names: string[], file: string, what: string): number {
  const normalised = header.map(normaliseHeader);
  for (const name of names) {
    const i = normalised.indexOf(name);
    if (i >= 0) return i;
  }
  throw new AovError('E_MISSING_COLUMN', `${file}: no ${what} column in the survey (looked for ${names.join(', ')}).`, {
    hint: columnsFound(header),
    context: { file, column: what },
  });
}

export async function loadSurvey(file: string): Promise<SurveyData> {
  const engine = await openEngine();
  const work = await makeWorkDir();
  try {
    await resolveInputs([file], async () => []);
    const source = await prepareSource(file, work.dir);
    const customer = pick(source.header, ['email', 'customeremail', 'customerid', 'customer', 'userid', 'id'], file, 'customer (email or id)');
    const score = pick(source.header, ['score', 'nps', 'npsscore', 'rating', 'likelihood', 'recommend'], file, 'score (0-10)');
    const date = pick(source.header, ['date', 'answeredat', 'submittedat', 'createdat', 'respondedat', 'timestamp'], file, 'date');
    const columns = `{${source.header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
    await engine.run(
      `CREATE TABLE survey AS SELECT * FROM read_csv(${sqlString(source.readPath)}, auto_detect=false, header=true, delim=${sqlString(source.delimiter)}, ` +
        `quote='"', escape='"', columns=${columns}, compression=${source.gzip ? "'gzip'" : "'none'"}, ignore_errors=true)`,
    );
    const dates = (await engine.rows(`SELECT c${date} AS d FROM survey WHERE c${date} IS NOT NULL LIMIT 500`)).map((r) => String(r.d));
    const layout = detectDateLayout(dates.length ? dates : ['2000-01-01'], source.header[date], file).layout;
    const rows = await engine.rows(`
      SELECT lower(trim(c${customer})) AS k, TRY_CAST(trim(c${score}) AS INTEGER) AS s, epoch_ms(${dateSql(`trim(c${date})`, layout)}) AS t
      FROM survey ORDER BY rowid`);
    const answers: SurveyAnswer[] = [];
    let rejected = 0;
    for (const r of rows) {
      const s = r.s === null ? NaN : Number(r.s);
      if (!r.k || r.t === null || !Number.isInteger(s) || s < 0 || s > 10) {
        rejected++;
        continue;
      }
      answers.push({ customerKey: String(r.k), score: s, answeredAt: Number(r.t) });
    }
    return {
      file,
      rows: rows.length,
      answers,
      rejected,
      columns: { customer: source.header[customer], score: source.header[score], date: source.header[date] },
    };
  } finally {
    engine.close();
    await work.cleanup();
  }
}
