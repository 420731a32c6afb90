import type { S3FrontDoor } from './front-door.js';
import type { S3Deps } from './operations.js';

// SKELETON: the s3-objects slice implements PutObject for other services here.
export function s3FrontDoor(_deps: S3Deps): S3FrontDoor {
  return {
    putObject: async () => {
      throw new Error('SKELETON');
    },
  };
}
