/**
 * The worker thread that checks configurations holding a large file (bundled as dist/largeFileWorker.js): one job per
 * worker, which the server then ends, so the job's text, tree and findings go with the worker's heap instead of
 * waiting for the server's garbage collector. The job comes first, its large texts empty with the number of `parts`
 * that follow, in order, as separate messages (largeFiles.ts sends them so).
 */
import { parentPort } from 'worker_threads';
import { runLargeCheck, type LargeCheckJob } from './largeCheck';

let job: LargeCheckJob | undefined;
let waiting: LargeCheckJob['files'] = [];
let parts: string[] = [];

function run(): void {
  try {
    parentPort?.postMessage({ result: runLargeCheck(job!) });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
}

parentPort?.on('message', (message: LargeCheckJob | string) => {
  if (!job) {
    job = message as LargeCheckJob;
    waiting = job.files.filter((file) => file.parts);
  } else if (waiting.length) {
    parts.push(message as string);
    if (parts.length === waiting[0].parts) {
      waiting[0].text = parts.join('');
      parts = [];
      waiting.shift();
    }
  }
  if (!waiting.length) {
    parentPort?.removeAllListeners('message');
    run();
  }
});
