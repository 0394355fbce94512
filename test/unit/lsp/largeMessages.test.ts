/**
 * The stdin filter ahead of JSON-RPC (server/src/lsp/largeMessages.ts): a large config `didOpen` becomes a stub whose
 * text is a marker for its bytes; everything else comes out byte for byte as it went in, in the same order, however
 * the input is cut into chunks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodedBytesAtLeast, LargeMessageFilter, takeHostedBody } from '../../../server/src/lsp/largeMessages';
import { textBytesAtLeastAfter } from '../../../server/src/lsp/textSize';

type HostState = 'starting' | 'ready' | 'stopped';

function frame(body: string | object): Buffer {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}

/** Splits the framed output back into bodies; fails on anything that is not well framed. */
function bodiesOf(output: Buffer): string[] {
  const bodies: string[] = [];
  let offset = 0;
  while (offset < output.length) {
    const end = output.indexOf('\r\n\r\n', offset);
    assert.ok(end > 0, 'headers end');
    const length = Number(/content-length:\s*(\d+)/i.exec(output.toString('ascii', offset, end))![1]);
    bodies.push(output.toString('utf8', end + 4, end + 4 + length));
    offset = end + 4 + length;
  }
  return bodies;
}

async function filtered(input: Buffer, chunkSizes: number[], state: () => HostState, settled = Promise.resolve(), limit = 200): Promise<Buffer> {
  const filter = new LargeMessageFilter(() => limit, () => ({ state: state(), settled }));
  const out: Buffer[] = [];
  filter.on('data', (chunk: Buffer) => out.push(chunk));
  const finished = new Promise((resolve) => filter.on('end', resolve));
  let offset = 0;
  for (let i = 0; offset < input.length; i++) {
    const size = chunkSizes[i % chunkSizes.length];
    filter.write(input.subarray(offset, offset + size));
    offset += size;
  }
  filter.end();
  await finished;
  return Buffer.concat(out);
}

const TEXT = JSON.stringify({ objects: [{ name: 'user', schema: { properties: { note: { type: 'string', description: 'é "quoted" \\ ' + 'x'.repeat(400) } } } }] }, null, 2);
const didOpen = (uri: string, text = TEXT) => ({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'json', version: 3, text } } });
const hover = { jsonrpc: '2.0', id: 7, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///w/other/managed.json' }, position: { line: 0, character: 0 } } };
const small = { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///w/small/managed.json', languageId: 'json', version: 1, text: '{}' } } };

test('a large config didOpen becomes a stub whose marker gives back its exact bytes; the messages around it pass untouched, in order', async () => {
  const large = frame(didOpen('file:///w/big/managed.json'));
  const input = Buffer.concat([frame(hover), large, frame(small)]);
  // Whole, byte by byte, and cut inside headers and bodies at odd places.
  for (const sizes of [[input.length], [1], [7, 13, 1, 250], [large.length - 3]]) {
    const bodies = bodiesOf(await filtered(input, sizes, () => 'ready'));
    assert.equal(bodies.length, 3, `chunks ${sizes}`);
    assert.deepEqual(JSON.parse(bodies[0]), hover);
    assert.deepEqual(JSON.parse(bodies[2]), small);
    const stub = JSON.parse(bodies[1]);
    assert.equal(stub.method, 'textDocument/didOpen');
    assert.deepEqual({ ...stub.params.textDocument, text: undefined }, { uri: 'file:///w/big/managed.json', languageId: 'json', version: 3, text: undefined });
    const hosted = takeHostedBody(stub.params.textDocument.text);
    assert.ok(hosted, 'the marker names the body');
    assert.deepEqual(JSON.parse(Buffer.concat(hosted.parts).toString('utf8')), didOpen('file:///w/big/managed.json'));
    // The text's size in UTF-8 bytes, told without decoding it: a true lower bound, and not far below for a plain text.
    const bytes = Buffer.byteLength(TEXT);
    assert.ok(hosted.textBytesAtLeast <= bytes && hosted.textBytesAtLeast >= bytes / 2, `${hosted.textBytesAtLeast} of ${bytes}`);
    assert.equal(takeHostedBody(stub.params.textDocument.text), undefined, 'a body is taken once');
  }
});

test('what the filter cannot read with certainty, or that is not a config, passes through byte for byte', async () => {
  const cases: Array<[string, Buffer]> = [
    ['text not the last member', frame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///w/big/managed.json', text: TEXT, languageId: 'json', version: 1 } } }))],
    ['not a didOpen', frame({ jsonrpc: '2.0', id: 1, method: 'workspace/executeCommand', params: { command: 'x', arguments: [{ text: TEXT }] } })],
    ['a scenario, not a config', frame(didOpen('file:///w/runs/first.idmsim'))],
    ['a closing quote escaped (broken JSON)', frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///w/big/managed.json","languageId":"json","version":1,"text":"${'x'.repeat(300)}\\"}}}`)],
    ['not JSON', frame(`{"method":"textDocument/didOpen",,"params":{"textDocument":{"uri":"file:///w/big/managed.json","text":"${'x'.repeat(300)}"}}`)],
    ['no Content-Length', Buffer.from(`X-Other: 1\r\n\r\n${JSON.stringify(hover)}`)],
  ];
  for (const [name, input] of cases) {
    assert.deepEqual(await filtered(input, [5, 300], () => 'ready'), input, name);
  }
  // A text that ends in a backslash ends in an escaped backslash, and its closing quote is real: stubbed.
  const backslash = didOpen('file:///w/big/managed.json', `${TEXT}\\`);
  const stub = JSON.parse(bodiesOf(await filtered(frame(backslash), [5, 300], () => 'ready'))[0]);
  assert.deepEqual(JSON.parse(Buffer.concat(takeHostedBody(stub.params.textDocument.text)!.parts).toString('utf8')), backslash);
  // A stopped host takes nothing; neither do small messages.
  const large = frame(didOpen('file:///w/big/managed.json'));
  assert.deepEqual(await filtered(large, [64], () => 'stopped'), large);
  assert.deepEqual(await filtered(large, [64], () => 'ready', Promise.resolve(), large.length), large);
});

test('a large didOpen read while the host starts waits for it, and so does what follows: stub once ready, untouched if it failed', async () => {
  const input = Buffer.concat([frame(didOpen('file:///w/big/managed.json')), frame(hover)]);
  for (const outcome of ['ready', 'stopped'] as const) {
    let state: HostState = 'starting';
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const output = filtered(input, [100], () => state, settled);
    await new Promise((resolve) => setTimeout(resolve, 20));
    state = outcome;
    settle();
    const bodies = bodiesOf(await output);
    assert.equal(bodies.length, 2);
    assert.deepEqual(JSON.parse(bodies[1]), hover);
    const text = JSON.parse(bodies[0]).params.textDocument.text;
    if (outcome === 'ready') assert.ok(takeHostedBody(text), 'stubbed');
    else assert.equal(text, TEXT, 'passed whole');
  }
});

test('the lower bounds of a text\'s UTF-8 size hold on escapes, multi-byte characters and edits', () => {
  const texts = ['plain', 'é€😀', '\u0001\u0002', 'a\nb\t"c"\\', '\\u0041 is not an escape', '\u0000'.repeat(50), 'x'.repeat(1000), ''];
  for (const text of texts) {
    const literal = Buffer.from(JSON.stringify(text), 'utf8');
    const bytes = Buffer.byteLength(text, 'utf8');
    const atLeast = decodedBytesAtLeast([literal], 1, literal.length - 1);
    assert.ok(atLeast <= bytes, `${JSON.stringify(text)}: ${atLeast} > ${bytes}`);
    // Read in two parts cut anywhere (an escape cut in two included), the bound is the same.
    for (let cut = 1; cut < literal.length; cut++) {
      assert.equal(decodedBytesAtLeast([literal.subarray(0, cut), literal.subarray(cut)], 1, literal.length - 1), atLeast, `${JSON.stringify(text)} cut at ${cut}`);
    }
    // Asked only whether it is over some size, counting may stop early, but never overstates.
    assert.ok(decodedBytesAtLeast([literal], 1, literal.length - 1, bytes) <= bytes);
  }
  assert.ok(decodedBytesAtLeast([Buffer.from(JSON.stringify('x'.repeat(1000)))], 1, 1001) >= 500, 'a plain text is not underrated by more than half');

  // Edits, against the real size after them.
  const lines = 'line one é\nline two\n';
  const cases: Array<[string, Parameters<typeof textBytesAtLeastAfter>[1], string]> = [
    ['a whole new text', [{ text: 'ab😀' }], 'ab😀'],
    ['a range on one line', [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 10 } }, text: 'x' }], 'line x\nline two\n'],
    ['a range over lines', [{ range: { start: { line: 0, character: 4 }, end: { line: 1, character: 4 } }, text: '' }], 'line two\n'],
  ];
  for (const [name, changes, after] of cases) {
    const atLeast = textBytesAtLeastAfter(Buffer.byteLength(lines), changes);
    assert.ok(atLeast <= Buffer.byteLength(after), `${name}: ${atLeast} > ${Buffer.byteLength(after)}`);
  }
  assert.equal(textBytesAtLeastAfter(1000, [{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 4 } }, text: 'abc' }]), 1000 - 6 + 3);
});
