/**
 * Runs the check of a configuration holding a large file off the server's thread: a 50 MB config takes 0.4-0.7 s to
 * parse and check, and requests about other documents must not wait for it. One worker thread per job (Node's
 * `worker_threads`, https://nodejs.org/api/worker_threads.html), ended when it answers. When no worker can be started
 * or it fails, the job runs here instead (logged): slower for the other documents, but the diagnostics still come.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { runLargeCheck, type LargeCheckJob, type LargeCheckResult } from './largeCheck';

/**
 * Beside the server's bundle (esbuild.mjs builds both into dist/). IDM_REL_LARGE_FILE_WORKER names another file: the
 * protocol tests give one that does not exist, to see the server fall back when its worker cannot start.
 */
const WORKER_FILE = process.env.IDM_REL_LARGE_FILE_WORKER || path.join(__dirname, 'largeFileWorker.js');

/** Undefined only when the check failed in the server's thread too (logged). */
export function checkLargeConfiguration(job: LargeCheckJob, log: (message: string) => void): Promise<LargeCheckResult | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const fallback = (reason: string) => {
      if (settled) return;
      settled = true;
      log(`checking a large configuration in the server's thread: ${reason}`);
      // Deferred, so the messages already received are answered first.
      setImmediate(() => {
        try {
          resolve(runLargeCheck(job));
        } catch (error) {
          log(`the check failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
          resolve(undefined);
        }
      });
    };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_FILE);
    } catch (error) {
      fallback(error instanceof Error ? error.message : String(error));
      return;
    }
    worker.once('message', (answer: { result?: LargeCheckResult; error?: string }) => {
      void worker.terminate();
      if (!answer.result) return fallback(`the worker failed: ${answer.error ?? 'no result'}`);
      settled = true;
      resolve(answer.result);
    });
    worker.once('error', (error) => {
      void worker.terminate();
      fallback(`the worker failed: ${error.stack ?? error.message}`);
    });
    worker.once('exit', (code) => fallback(`the worker exited (code ${code})`));
    void sendInParts(worker, job, () => settled);
  });
}

/** The size of the parts a large text is sent in. */
const PART = 4 * 1024 * 1024;

/**
 * Sends the job with each large text in parts, one per turn of the event loop: copying 50 MB into the worker's message
 * in one go held this thread for 0.1-0.2 s (the structured clone of the whole string); a 4 MB part takes a few ms, and
 * requests that arrive meanwhile are answered between parts. A slice of a flat string shares its characters, so only
 * the part's copy is made. The worker joins the parts (largeFileWorker.ts).
 */
async function sendInParts(worker: Worker, job: LargeCheckJob, stopped: () => boolean): Promise<void> {
  const files = job.files.map((file) => (file.text.length > PART ? { ...file, text: '', parts: Math.ceil(file.text.length / PART) } : file));
  worker.postMessage({ ...job, files });
  for (const file of job.files) {
    if (file.text.length <= PART) continue;
    for (let start = 0; start < file.text.length; start += PART) {
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped()) return;
      worker.postMessage(file.text.slice(start, start + PART));
    }
  }
}
