/**
 * The worker thread that checks configurations holding a large file (bundled as dist/largeFileWorker.js): one job per
 * worker, which the server then ends, so the job's text, tree and findings go with the worker's heap instead of
 * waiting for the server's garbage collector.
 */
import { parentPort } from 'worker_threads';
import { runLargeCheck, type LargeCheckJob } from './largeCheck';

parentPort?.once('message', (job: LargeCheckJob) => {
  try {
    parentPort?.postMessage({ result: runLargeCheck(job) });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
