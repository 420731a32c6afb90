import { createHash } from 'node:crypto';

/** An ETag as S3 sends it, quoted. */
export function quoteEtag(hex: string): string {
  return `"${hex}"`;
}

/** The ETag without its quotes (clients send either form; S3's error fields carry it bare). */
export function bareEtag(etag: string): string {
  const trimmed = etag.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}

/** A multipart object's ETag: `"<md5 of the parts' binary md5s>-N"`, not an md5 of its bytes. */
export function multipartEtag(partEtags: readonly string[]): string {
  const hash = createHash('md5');
  for (const etag of partEtags) hash.update(Buffer.from(bareEtag(etag), 'hex'));
  return quoteEtag(`${hash.digest('hex')}-${partEtags.length}`);
}
