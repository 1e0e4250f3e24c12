/** `aov formats [file]`: the supported formats, what each needs, and how a file is detected. */
import { detectFormat, PROFILES, type Field as FieldName } from '../io/formats.js';
import { makeWorkDir, prepareSource } from '../io/source.js';
import { stringify } from '../report/analyzeJson.js';
import { wrap } from '../report/format.js';
import { visible } from '../report/visible.js';

export async function formats(file: string | undefined, options: { json?: boolean }): Promise<number> {
  const catalogue = [
    ...PROFILES.map((p) => ({ name: p.name, title: p.title, needs: p.needs, level: p.valueLevel, lineItems: p.hasLineItems, value: p.valueDefinition })),
    { name: 'lines', title: 'Generic line items (any shop; Online Retail, Superstore)', needs: 'an order id, a date, and a unit price or line total (headers matched by name and common synonyms; --map for others)', level: 'line', lineItems: true, value: 'sum of quantity x unit price (or line totals)' },
    { name: 'baskets', title: 'Basket file: one basket per line, items separated by a delimiter, no header, no prices (Groceries)', needs: '--format baskets; aov bundles only', level: 'none', lineItems: true, value: 'no prices' },
    { name: 'multi-table', title: 'Orders and items in separate files (Instacart, Olist)', needs: 'aov bundles --orders orders.csv --items items.csv [--products products.csv]', level: 'line', lineItems: true, value: 'joined on order_id' },
  ];
  let detection: Record<string, unknown> | undefined;
  if (file) {
    const work = await makeWorkDir();
    try {
      const source = await prepareSource(file, work.dir);
      const found = detectFormat(source.header, file);
      const columns: Record<string, string> = {};
      for (const [field, index] of Object.entries(found.mapping) as [FieldName, number][]) columns[field] = source.header[index];
      detection = {
        file,
        format: found.format,
        evidence: found.evidence,
        encoding: source.encoding,
        delimiter: source.delimiter,
        valueLevel: found.valueLevel,
        value: found.valueDefinition,
        packed: found.packed ? { layout: found.packed.layout, columns: found.packed.columns.map((i) => source.header[i]) } : null,
        columns,
        unused: source.header.filter((_, i) => !Object.values(found.mapping).includes(i)),
      };
    } finally {
      await work.cleanup();
    }
  }
  if (options.json) {
    process.stdout.write(stringify({ schema: 'aov.formats/v1', formats: catalogue, detection: detection ?? null }));
    return 0;
  }
  const out: string[] = [];
  if (detection) {
    out.push(visible(`${detection.file}: ${detection.format} (${detection.evidence})`));
    out.push(`  encoding ${detection.encoding}, delimiter ${JSON.stringify(detection.delimiter)}, order value: ${detection.value}`);
    for (const [field, header] of Object.entries(detection.columns as Record<string, string>)) out.push(`  ${field.padEnd(16)} <- ${visible(header)}`);
    const unused = detection.unused as string[];
    if (unused.length) out.push(`  not used: ${unused.slice(0, 12).map(visible).join(', ')}${unused.length > 12 ? ` (+${unused.length - 12} more)` : ''}`);
    out.push('');
  }
  out.push('Formats (detected from the header; --format overrides):');
  for (const f of catalogue) {
    out.push(`  ${f.name}`);
    out.push(`    ${f.title}`);
    out.push(`    needs: ${f.needs}`);
  }
  // Fit 80 columns: wrap long lines, continuing under their indent.
  const fitted = out.map((line) => {
    const indent = /^\s*/.exec(line)![0];
    return wrap(line.trim(), 80 - indent.length - 2).split('\n').map((part, i) => `${indent}${i ? '  ' : ''}${part}`).join('\n');
  });
  process.stdout.write(`${fitted.join('\n')}\n`);
  return 0;
}
