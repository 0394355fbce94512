/**
 * The drawing is legible on every real config: on each corpus schema and on generated 60- and 200-type configs,
 * at a panel beside an editor (550x800) and a wide one (1400x860), nothing overlaps, no edge runs through a node,
 * and no text in view at the first zoom is smaller than 11 px. Crossings are printed, not judged (ELK's own count
 * is the reference). Timings are left to `npm run bench:graph`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './harness';
import { corpusSchemas, formatTable, generatedSchemas, measureDrawing, type DrawingQuality } from './drawingQuality';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const SIZES: Array<[number, number]> = [[550, 800], [1400, 860]];

test('every corpus schema and the generated ones: no overlaps, no edge through a node, text at least 11 px', async () => {
  const rows: Array<{ name: string; size: string; quality: DrawingQuality }> = [];
  for (const { name, graph } of [...corpusSchemas(), ...generatedSchemas()]) {
    for (const [width, height] of SIZES) {
      const quality = await measureDrawing(browser, graph, width, height);
      rows.push({ name, size: `${width}x${height}`, quality });
    }
  }
  console.log(formatTable(rows).split('\n').map((line) => `# ${line}`).join('\n'));
  assert.equal(rows.length, 36);
  for (const { name, size, quality } of rows) {
    const where = `${name} at ${size}`;
    assert.ok(quality.shownTypes > 0, `${where}: something is drawn`);
    assert.equal(quality.labelLabel, 0, `${where}: label-label overlaps`);
    assert.equal(quality.labelNode, 0, `${where}: label-node overlaps`);
    assert.equal(quality.nodeNode, 0, `${where}: node-node overlaps`);
    assert.equal(quality.edgesThroughNodes, 0, `${where}: edges through nodes`);
    assert.ok(quality.minNodeTextPx >= 11, `${where}: node text ${quality.minNodeTextPx} px at the first zoom`);
    if (quality.minLabelTextPx) assert.ok(quality.minLabelTextPx >= 11, `${where}: label text ${quality.minLabelTextPx} px at the first zoom`);
    assert.ok(quality.inView >= 1, `${where}: at least the focus type is in view`);
  }
});
