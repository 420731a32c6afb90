/**
 * Sets a decoded or encoded map's entry as an own property, a key named `__proto__` included:
 * plain assignment would change the object's prototype and drop the entry.
 */
export function setEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}
