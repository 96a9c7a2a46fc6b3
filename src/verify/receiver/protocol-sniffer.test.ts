import { describe, expect, it } from 'vitest';
import { classifyFirstBytes } from './protocol-sniffer.js';

describe('classifyFirstBytes', () => {
  it.each([
    ['POST /v1/traces HTTP/1.1\r\n', 'http1'],
    ['GET / HTTP/1.1\r\n', 'http1'],
    ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'http2'],
    ['PRI * HTTP/2.0\r\n', 'undecided'],
    ['POS', 'undecided'],
    ['', 'undecided'],
    ['{"resourceSpans":[]}', 'unrecognized'],
    [' GET', 'unrecognized'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'unrecognized'],
  ])('%j is %s', (text, expected) => {
    expect(classifyFirstBytes(Buffer.from(text, 'latin1'))).toBe(expected);
  });

  it('recognises a TLS ClientHello', () => {
    expect(classifyFirstBytes(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]))).toBe('tls');
    expect(classifyFirstBytes(Buffer.from([0x16]))).toBe('undecided');
    expect(classifyFirstBytes(Buffer.from([0x16, 0x07]))).toBe('unrecognized');
  });
});
