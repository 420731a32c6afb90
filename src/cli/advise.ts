// SKELETON: replaced by the command before this lands.

/** `tideway advise …`: returns the process exit code. */
export async function run(_argv: string[]): Promise<number> {
  throw new Error('not yet');
}
