// Appends to one partition run one at a time, so that a batch's checks (sequence numbers against
// the producer state) and its append are atomic, as Kafka holds the log's lock across both.

const chains = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Runs `work` after every earlier work on the same partition of the same storage has settled. */
export function withPartitionLock<T>(
  storage: object,
  cluster: string,
  topic: string,
  partition: number,
  work: () => Promise<T>,
): Promise<T> {
  let byKey = chains.get(storage);
  if (!byKey) {
    byKey = new Map();
    chains.set(storage, byKey);
  }
  const key = `${cluster}\u0000${topic}\u0000${partition}`;
  const previous = byKey.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  byKey.set(key, tail);
  void tail.then(() => {
    if (byKey.get(key) === tail) byKey.delete(key);
  });
  return run;
}
