// SKELETON: this slice's APIs.
import type { ApiRegistration } from './types.js';

export const dataApis: ApiRegistration[] = [];
