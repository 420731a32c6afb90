/**
 * The simple JSONPath EventBridge takes in target parameters such as Kinesis's PartitionKeyPath:
 * `$`, then `.name`, `['name']` or `[index]` steps. Returns undefined when the path is malformed
 * or names nothing.
 */
export function selectPath(document: unknown, path: string): unknown {
  if (!path.startsWith('$')) return undefined;
  let value: unknown = document;
  const step = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;
  let at = 1;
  while (at < path.length) {
    step.lastIndex = at;
    const m = step.exec(path);
    if (!m) return undefined;
    at = step.lastIndex;
    if (value === null || typeof value !== 'object') return undefined;
    if (m[3] !== undefined) {
      if (!Array.isArray(value)) return undefined;
      value = value[Number(m[3])];
    } else {
      if (Array.isArray(value)) return undefined;
      const key = m[1] ?? m[2].replace(/\\(.)/g, '$1');
      value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value === undefined) return undefined;
  }
  return value;
}
