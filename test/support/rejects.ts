import assert from 'node:assert/strict';

/**
 * The SDK error a call fails with, checked for its code and (when given) its exact message or a
 * pattern it matches; every service's `…Rejects` helper is this one.
 */
export async function sdkRejects(
  call: Promise<unknown>,
  code: string,
  message?: string | RegExp,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { name: string };
    assert.equal(e.name, code, `expected ${code}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}
