/** The service part of an ARN (`arn:aws:<service>:…`), or '' when it is not one. */
export function serviceOf(arn: string): string {
  if (!arn.startsWith('arn:')) return '';
  const end = arn.indexOf(':', arn.indexOf(':', 4) + 1);
  return end === -1 ? '' : arn.slice(arn.indexOf(':', 4) + 1, end);
}
