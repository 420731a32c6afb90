// SKELETON: the access slice fills it (NotImplemented with a text naming the feature).
export function unsupportedOperation(name: string) {
  return () => {
    throw new Error(`SKELETON ${name}`);
  };
}
