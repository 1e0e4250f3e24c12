/** Item costs from a file (`--costs costs.csv`: an item column such as sku and a cost column). */
import { AovError, columnsFound } from '../errors.js';
import { openEngine, sqlString } from './engine.js';
import { normaliseHeader } from './formats.js';
import { amountSql, detectDecimalMark } from './locale.js';
import { makeWorkDir, prepareSource, resolveInputs } from './source.js';

export interface CostFile {
  file: string;
  /** Item label -> unit cost in major units. */
  costs: Map<string, number>;
  rows: number;
  rejected: number;
}

export async function loadCosts(file: string): Promise<CostFile> {
  const engine = await openEngine();
  const work = await makeWorkDir();
  try {
    await resolveInputs([file], async () => []);
    const source = await prepareSource(file, work.dir);
    const normalised = source.header.map(normaliseHeader);
    const itemIndex = ['sku', 'item', 'stockcode', 'productid', 'itemid', 'product', 'lineitemsku'].map((h) => normalised.indexOf(h)).find((i) => i >= 0);
    const costIndex = ['cost', 'unitcost', 'costprice', 'costperitem', 'cogs'].map((h) => normalised.indexOf(h)).find((i) => i >= 0);
    if (itemIndex === undefined || costIndex === undefined) {
      throw new AovError('E_MISSING_COLUMN', `${file}: a costs file needs an item column (sku, item, product_id) and a cost column (cost, unit_cost).`, {
        hint: columnsFound(source.header),
        context: { file },
      });
    }
    const columns = `{${source.header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
    await engine.run(
      `CREATE TABLE costs AS SELECT * FROM read_csv(${sqlString(source.readPath)}, auto_detect=false, header=true, delim=${sqlString(source.delimiter)}, ` +
        `quote='"', escape='"', columns=${columns}, compression=${source.gzip ? "'gzip'" : "'none'"}, ignore_errors=true)`,
    );
    const sample = (await engine.rows(`SELECT c${costIndex} AS v FROM costs WHERE c${costIndex} IS NOT NULL LIMIT 500`)).map((r) => String(r.v));
    const mark = detectDecimalMark(sample, source.delimiter === ';' ? ',' : '.');
    const rows = await engine.rows(`SELECT trim(c${itemIndex}) AS item, CAST(${amountSql(`trim(c${costIndex})`, mark)} AS DOUBLE) AS cost FROM costs`);
    const costs = new Map<string, number>();
    let rejected = 0;
    for (const r of rows) {
      if (!r.item || r.cost === null || Number(r.cost) < 0) rejected++;
      else costs.set(String(r.item), Number(r.cost));
    }
    return { file, costs, rows: rows.length, rejected };
  } finally {
    engine.close();
    await work.cleanup();
  }
}
