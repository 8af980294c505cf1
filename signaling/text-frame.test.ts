import { describe, expect, it } from 'vitest';
// @ts-expect-error ws's frame parser is exported at run time, but @types/ws does not declare it
import { Receiver } from 'ws';
import { textFrame } from './text-frame.ts';

/** What ws's own parser (the one browsers' peers match) reads from a frame. */
function parse(frame: Buffer): Promise<{ text: string; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false }); // a client reads unmasked frames
    receiver.on('message', (data: Buffer, isBinary: boolean) => resolve({ text: data.toString(), isBinary }));
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe('textFrame', () => {
  // The header's three length encodings, at and around their boundaries, and multi-byte UTF-8
  // (the length is in bytes, not characters).
  for (const length of [0, 1, 125, 126, 127, 65535, 65536, 70000]) {
    it(`frames ${length} bytes that ws reads back unchanged`, async () => {
      const text = 'x'.repeat(length);
      expect(await parse(textFrame(text))).toEqual({ text, isBinary: false });
    });
  }
  it('counts bytes, not characters', async () => {
    const text = '{"payload":"é€😀"}'.repeat(10);
    expect(Buffer.byteLength(text)).toBeGreaterThan(text.length);
    expect(await parse(textFrame(text))).toEqual({ text, isBinary: false });
  });
});
