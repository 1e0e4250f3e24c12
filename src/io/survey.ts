/**
 * NPS survey files: a customer key (email or id), a 0-10 score and a date per answer,
 * matched to the orders' customer keys. Unmatched and unreadable answers are counted.
 */
import { AovError, columnsFound } from '../errors.js';
import { openEngine, sqlString } from './engine.js';
import { normaliseHeader } from './formats.js';
import { locateRecords } from './lines.js';
import { dateSql, detectDateLayout } from './locale.js';
import { makeWorkDir, prepareSource, resolveInputs } from './source.js';

/** Survey rows named in messages, like the order import's first rejected rows (MAX_PROBLEMS). */
const MAX_SURVEY_PROBLEMS = 10;

/** Why a survey row could not be used. */
export type SurveyRejection = 'malformedRow' | 'missingCustomer' | 'missingScore' | 'badScore' | 'missingDate' | 'badDate';

/** One unusable survey row: the physical line (1-based, the header is line 1), the column and the cell. */
export interface SurveyProblem {
  reason: SurveyRejection;
  file: string;
  line?: number;
  column?: string;
  value?: string;
  /** "survey.csv:5, column "Score": "eleven" is not a whole number from 0 to 10". */
  message: string;
}

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
  /** Rows whose score is not a whole number 0-10, whose date is missing or unreadable, whose customer is missing, or that the CSV reader refused. */
  rejected: number;
  rejectedByReason: Partial<Record<SurveyRejection, number>>;
  /** The first rejected rows, in file order, each naming its line and column. */
  problems: SurveyProblem[];
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
    // Rows the reader refuses (a wrong number of cells, a quote never closed) are stored, counted and named, not skipped.
    await engine.run(
      `CREATE TABLE survey AS SELECT * FROM read_csv(${sqlString(source.readPath)}, auto_detect=false, header=true, delim=${sqlString(source.delimiter)}, ` +
        `quote='"', escape='"', columns=${columns}, compression=${source.gzip ? "'gzip'" : "'none'"}, ` +
        `store_rejects=true, rejects_table='survey_rejects', rejects_scan='survey_rejects_scan', strict_mode=true, null_padding=false)`,
    );
    const refused = await engine.rows(`SELECT line, min(error_type) AS error_type FROM survey_rejects GROUP BY line ORDER BY line`);
    const dates = (await engine.rows(`SELECT c${date} AS d FROM survey WHERE nullif(trim(c${date}), '') IS NOT NULL LIMIT 500`)).map((r) => String(r.d));
    const layout = detectDateLayout(dates.length ? dates : ['2000-01-01'], source.header[date], file).layout;
    // k: the customer key; score_text and date_text: the cells as written; t: the date, or NULL when unreadable.
    const rows = await engine.rows(`
      SELECT lower(trim(c${customer})) AS k, trim(c${score}) AS score_text, trim(c${date}) AS date_text, epoch_ms(${dateSql(`trim(c${date})`, layout)}) AS t
      FROM survey ORDER BY rowid`);
    const answers: SurveyAnswer[] = [];
    const rejectedByReason: Partial<Record<SurveyRejection, number>> = {};
    // record: the accepted-record index (0-based, header excluded), turned into a line below.
    const bad: { record: number; reason: SurveyRejection; column: string; value?: string; expected: string }[] = [];
    rows.forEach((r, record) => {
      const scoreText = r.score_text === null ? '' : String(r.score_text);
      const dateText = r.date_text === null ? '' : String(r.date_text);
      // A whole number 0-10 as written: "7.5" or "7,0" is not read as 8 or 7.
      const problem: Omit<(typeof bad)[number], 'record'> | undefined = !r.k
        ? { reason: 'missingCustomer', column: source.header[customer], expected: 'a customer email or id' }
        : scoreText === ''
          ? { reason: 'missingScore', column: source.header[score], expected: 'a score from 0 to 10' }
          : !/^(10|[0-9])$/.test(scoreText)
            ? { reason: 'badScore', column: source.header[score], value: scoreText, expected: 'a whole number from 0 to 10' }
            : dateText === ''
              ? { reason: 'missingDate', column: source.header[date], expected: 'a date' }
              : r.t === null
                ? { reason: 'badDate', column: source.header[date], value: dateText, expected: `a date in the file's layout (${layout.name})` }
                : undefined;
      if (problem) {
        rejectedByReason[problem.reason] = (rejectedByReason[problem.reason] ?? 0) + 1;
        if (bad.length < MAX_SURVEY_PROBLEMS) bad.push({ record, ...problem });
        return;
      }
      answers.push({ customerKey: String(r.k), score: Number(scoreText), answeredAt: Number(r.t) });
    });
    if (refused.length) rejectedByReason.malformedRow = refused.length;
    const refusedLines = new Set(refused.map((r) => Number(r.line)));
    const lines = bad.length ? await locateRecords(source.readPath, source.gzip, bad.map((b) => b.record), refusedLines) : new Map<number, number>();
    const problems: SurveyProblem[] = [
      ...refused.slice(0, MAX_SURVEY_PROBLEMS).map((r): SurveyProblem => ({
        reason: 'malformedRow',
        file,
        line: Number(r.line),
        message: `${file}:${Number(r.line)}: ${String(r.error_type).toLowerCase()} (expected ${source.header.length} cells: ${source.header.join(', ')})`,
      })),
      ...bad.map((b): SurveyProblem => {
        const line = lines.get(b.record);
        return {
          reason: b.reason,
          file,
          line,
          column: b.column,
          value: b.value,
          message: `${file}:${line ?? '?'}, column "${b.column}": ` +
            (b.value === undefined ? `the cell is empty (expected ${b.expected})` : `"${b.value.slice(0, 40)}" is not ${b.expected}`),
        };
      }),
    ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).slice(0, MAX_SURVEY_PROBLEMS);
    return {
      file,
      rows: rows.length + refused.length,
      answers,
      rejected: Object.values(rejectedByReason).reduce((a, n) => a + (n ?? 0), 0),
      rejectedByReason,
      problems,
      columns: { customer: source.header[customer], score: source.header[score], date: source.header[date] },
    };
  } finally {
    engine.close();
    await work.cleanup();
  }
}
