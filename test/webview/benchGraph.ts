/**
 * `npm run bench:graph`: the drawing's quality and speed on every corpus schema and the generated 60- and
 * 200-type configs, at 550x800 and 1400x860, as one table (see drawingQuality.ts for what each column counts).
 * Timings vary with the machine; the first frame is measured from the graph message, with ELK warmed up as it is
 * while the panel waits for the server.
 */
import { launchBrowser } from './harness';
import { corpusSchemas, formatTable, generatedSchemas, measureDrawing, type DrawingQuality } from './drawingQuality';

async function main(): Promise<void> {
  const browser = await launchBrowser();
  const only = process.argv[2];
  const rows: Array<{ name: string; size: string; quality: DrawingQuality }> = [];
  try {
    for (const { name, graph } of [...corpusSchemas(), ...generatedSchemas()]) {
      if (only && !name.includes(only)) continue;
      for (const [width, height] of [[550, 800], [1400, 860]]) {
        rows.push({ name, size: `${width}x${height}`, quality: await measureDrawing(browser, graph, width, height) });
      }
    }
  } finally {
    await browser.close();
  }
  console.log(formatTable(rows));
  const sum = (key: keyof DrawingQuality) => rows.reduce((s, r) => s + Number(r.quality[key]), 0);
  console.log(`\ntotals: label-label ${sum('labelLabel')}, label-node ${sum('labelNode')}, node-node ${sum('nodeNode')}, crossings ${sum('crossings')}, edges through nodes ${sum('edgesThroughNodes')}, labels crossed ${sum('labelsCrossed')} of ${sum('labels')}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
