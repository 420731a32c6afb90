// SKELETON: this slice's APIs.
import type { ApiRegistration } from '../broker/types.js';

export const authApis: ApiRegistration[] = [];
