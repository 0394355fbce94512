/** ELK's web-worker script (elkjs `lib/elk-worker.min.js`), inlined as text by the webview build. */
declare module 'elk-worker-source' {
  const source: string;
  export default source;
}
