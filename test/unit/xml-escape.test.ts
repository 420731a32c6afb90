import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXml } from '../../src/protocols/query.js';

describe('escapeXml', () => {
  it('hands back text with nothing to escape as it is', () => {
    const url = 'http://127.0.0.1:4566/000000000000/orders-queue.fifo';
    assert.equal(escapeXml(url), url);
    assert.equal(escapeXml('naïve ünïcode 😀 text'), 'naïve ünïcode 😀 text');
  });

  it('escapes markup and carriage returns', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f\rg`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f&#xD;g');
  });

  it('puts U+FFFD where XML 1.0 allows no character, keeping paired surrogates', () => {
    assert.equal(escapeXml('x\u0000y\u0001z\u001f'), 'x\ufffdy\ufffdz\ufffd');
    assert.equal(escapeXml('\ud83d\ude00 lone \ud83d end'), '\ud83d\ude00 lone \ufffd end');
    assert.equal(escapeXml('\ude00\ufffe\uffff'), '\ufffd\ufffd\ufffd');
    assert.equal(escapeXml('tab\tnew\nline'), 'tab\tnew\nline');
  });
});
