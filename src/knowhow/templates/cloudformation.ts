import type { Model } from '../model.js';

// SKELETON: replaced by the reader before this lands.

/**
 * A CloudFormation or SAM template (JSON or YAML with short-form intrinsics), expanded the way
 * the SAM transform expands it when it has `Transform: AWS::Serverless-2016-10-31`. `file` is the
 * path reported in findings. Throws `TemplateError` when the text is not a template.
 */
export function readCloudFormation(_text: string, _file: string): Model {
  throw new Error('not yet');
}

/** The input is not something lint reads, with the reason. */
export class TemplateError extends Error {}
