import { randomInt } from 'node:crypto';
import type * as SM from '@aws-sdk/client-secrets-manager';
import { smError } from './errors.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * GetRandomPassword with its real parameters: 32 characters by default, from letters, digits and
 * punctuation (space only when asked), with one of each included type unless told otherwise.
 */
export function randomPassword(input: SM.GetRandomPasswordRequest): SM.GetRandomPasswordResponse {
  const length = input.PasswordLength ?? 32;
  const excluded = new Set(input.ExcludeCharacters ?? '');
  const keep = (chars: string) => [...chars].filter((c) => !excluded.has(c)).join('');
  const classes = [
    input.ExcludeLowercase ? '' : keep(LOWER),
    input.ExcludeUppercase ? '' : keep(UPPER),
    input.ExcludeNumbers ? '' : keep(DIGITS),
    input.ExcludePunctuation ? '' : keep(PUNCTUATION),
    input.IncludeSpace ? keep(' ') : '',
  ].filter((c) => c.length > 0);
  const pool = classes.join('');
  if (pool.length === 0) {
    throw smError.invalidParameter(
      'The password can contain no characters: every character type is excluded.',
    );
  }
  const requireEach = input.RequireEachIncludedType ?? true;
  if (requireEach && classes.length > length) {
    throw smError.invalidParameter(
      'The password length is too short to include a character from each included type.',
    );
  }
  const chars: string[] = [];
  if (requireEach) for (const c of classes) chars.push(c[randomInt(c.length)]!);
  while (chars.length < length) chars.push(pool[randomInt(pool.length)]!);
  // Shuffle, so the required characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return { RandomPassword: chars.join('') };
}
