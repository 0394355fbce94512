/**
 * `npm run bench:graph [-- NAME] [--timings]`: the graph webview's speed and drawing quality.
 *
 * 1. Time to the first frame on the AIC template (14 types), the panel opened as in VS Code (the graph sent when
 *    the page posts 'ready'), from the navigation's start; median of several runs, with the page's own marks as
 *    the breakdown. Target: under 1 s.
 *    Then the same opening again with the layout the first ones posted, as the panel sends it from its workspace
 *    storage to a panel opened again on the same configuration.
 * 2. Pan and zoom on the generated 200-type config after "Show all": frame intervals and the main-thread work per
 *    frame (target: under 16 ms), with the same motion on the AIC template as a baseline measured in the same run.
 * 3. The table of every corpus schema and the generated 60- and 200-type configs at 550x800 and 1400x860 (see
 *    drawingQuality.ts for what each column counts); left out with --timings.
 *
 * Timings depend on the machine and its load: the load average is printed beside them. Nothing here is a test.
 */
import * as os from 'os';
import { launchBrowser } from './harness';
import { corpusSchemas, formatTable, generatedSchemas, measureDrawing, type DrawingQuality } from './drawingQuality';
import { AIC_TEMPLATE, fixtureGraph, largeGraph } from './graphs';
import { median, openToFirstFrame, panZoomAll, type FrameTiming } from './timings';

const FIRST_FRAME_RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PAN_ZOOM_RUNS = Number(process.env.BENCH_PAN_RUNS ?? 3);

function load(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

async function timings(): Promise<void> {
  const browser = await launchBrowser();
  try {
    console.log(`## Time to the first frame: AIC template (${AIC_TEMPLATE}), 550x800, graph sent on 'ready'`);
    console.log(`load average before: ${load()}`);
    const aic = fixtureGraph(AIC_TEMPLATE);
    // One run not counted: the browser's own first page.
    await openToFirstFrame(browser, aic, 550, 800);
    const runs: Array<Awaited<ReturnType<typeof openToFirstFrame>>> = [];
    for (let i = 0; i < FIRST_FRAME_RUNS; i++) runs.push(await openToFirstFrame(browser, aic, 550, 800));
    const marks = ['script', 'worker-start', 'elk-ready', 'message', 'layout-start', 'layout-end', 'frame'];
    const medianOf = (name: string) => median(runs.map((run) => run.marks[name]).filter((v) => v !== undefined));
    console.log(`first frame: median ${ms(median(runs.map((r) => r.totalMs)))} (target < 1000 ms); runs: ${runs.map((r) => r.totalMs.toFixed(0)).join(', ')}`);
    console.log(`  medians since navigation start: ${marks.map((name) => `${name} ${ms(medianOf(name))}`).join(', ')}`);
    console.log(`  medians of the steps: page and bundle ${ms(medianOf('script'))}, ELK script loaded in the worker ${ms(medianOf('elk-ready') - medianOf('worker-start'))}, ` +
      `layout ${ms(median(runs.map((r) => r.marks['layout-end'] - r.marks['layout-start'])))}, draw ${ms(median(runs.map((r) => r.marks.frame - r.marks['layout-end'])))}`);
    console.log(`load average after: ${load()}`);

    // The panel opened again on the same configuration: the host sends the layout ELK computed the first time.
    const computed = runs.find((run) => run.computed)?.computed;
    if (!computed) throw new Error('The page posted no layout for the host to keep');
    console.log(`\n## Time to the first frame, the panel opened again (layout kept by the host), AIC template, 550x800`);
    console.log(`load average before: ${load()}`);
    const again: typeof runs = [];
    for (let i = 0; i < FIRST_FRAME_RUNS; i++) again.push(await openToFirstFrame(browser, aic, 550, 800, [computed]));
    if (again.some((run) => run.layout !== 'cached')) throw new Error(`The kept layout was not used: ${again.map((run) => run.layout).join(', ')}`);
    console.log(`first frame: median ${ms(median(again.map((r) => r.totalMs)))} (target < 1000 ms); runs: ${again.map((r) => r.totalMs.toFixed(0)).join(', ')}; ` +
      `page and bundle ${ms(median(again.map((r) => r.marks.script)))}, message ${ms(median(again.map((r) => r.marks.message)))}`);
    console.log(`load average after: ${load()}`);

    console.log('\n## Pan and zoom: wheel zoom in, drag, wheel zoom out (with pauses), after "Show all", 1400x860');
    console.log(`load average before: ${load()}`);
    const row = (name: string, list: FrameTiming[]) => {
      const m = (key: keyof FrameTiming) => median(list.map((t) => t[key]));
      console.log(`${name}: main-thread work per frame mean ${m('workMeanMs').toFixed(1)} ms, p95 ${m('workP95Ms').toFixed(1)} ms, max ${m('workMaxMs').toFixed(1)} ms; ` +
        `frame interval mean ${m('meanMs').toFixed(1)} ms, p95 ${m('p95Ms').toFixed(1)} ms, max ${m('maxMs').toFixed(0)} ms (runs: ${list.map((t) => t.maxMs.toFixed(0)).join(', ')}), ` +
        `frames of 50 ms or more ${m('stalls')} (${m('frames')} frames; medians of ${list.length} runs)`);
    };
    const large = largeGraph(200, 2000);
    const baseline: FrameTiming[] = [];
    const all: FrameTiming[] = [];
    for (let i = 0; i < PAN_ZOOM_RUNS; i++) {
      baseline.push(await panZoomAll(browser, aic, 1400, 860));
      const timing = await panZoomAll(browser, large, 1400, 860);
      if (timing.types !== 200 || timing.edges !== 2000) throw new Error(`Show all drew ${timing.types} types and ${timing.edges} edges`);
      all.push(timing);
    }
    row('200 types, 2,000 relationships (target: work < 16 ms a frame)', all);
    row('baseline, the AIC template (14 types)', baseline);
    console.log(`load average after: ${load()}`);
  } finally {
    await browser.close();
  }
}

async function table(only: string | undefined): Promise<void> {
  const browser = await launchBrowser();
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
  console.log('\n## Drawing quality (first frame here: from the graph message, ELK already loaded)');
  console.log(formatTable(rows));
  const sum = (key: keyof DrawingQuality) => rows.reduce((s, r) => s + Number(r.quality[key]), 0);
  console.log(`\ntotals: label-label ${sum('labelLabel')}, label-node ${sum('labelNode')}, node-node ${sum('nodeNode')}, crossings ${sum('crossings')}, edges through nodes ${sum('edgesThroughNodes')}, labels crossed ${sum('labelsCrossed')} of ${sum('labels')}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.find((arg) => !arg.startsWith('--'));
  await timings();
  if (!args.includes('--timings')) await table(only);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
