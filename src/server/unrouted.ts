import { CORAL } from '../protocols/errors.js';
import { escapeXml } from '../protocols/query.js';
import type { HttpReply } from '../protocols/service.js';

/** The wire protocol a request that no service claimed appears to speak, so its error reads in it. */
export type RequestLook = 'json' | 'query' | 'restJson' | 'restXml';

export interface LookInput {
  method: string;
  target?: string;
  contentType: string;
  accept?: string;
  /** Present when the request carries awsQuery parameters (form body or query string). */
  action?: string;
  form: boolean;
}

export function requestLook({ method, target, contentType, accept, action, form }: LookInput): RequestLook {
  if (
    target ||
    contentType.startsWith('application/x-amz-json') ||
    contentType.startsWith('application/x-amz-cbor')
  )
    return 'json';
  if (action !== undefined || form) return 'query';
  if (method === 'POST' && !contentType) return 'query';
  return contentType.includes('xml') || (accept ?? '').includes('xml') ? 'restXml' : 'restJson';
}

const NOT_SERVED = 'No AWS operation is served at this method and path.';

/**
 * AWS's answer when nothing on the endpoint serves the request, in the protocol it looks like:
 * awsJson's coral UnknownOperationException, awsQuery's InvalidAction / MissingAction (AWS
 * "Common Errors"), and for REST a 404 UnknownOperationException in restJson1's
 * (`x-amzn-ErrorType`) or restXml's (`<Error>`) form.
 */
export function unroutedReply(
  look: RequestLook,
  requestId: string,
  request: { action?: string; contentType: string },
): HttpReply {
  if (look === 'query') {
    return request.action
      ? queryError(
          400,
          'InvalidAction',
          `The action ${request.action} is not valid for this endpoint.`,
          requestId,
        )
      : queryError(
          400,
          'MissingAction',
          'The request is missing an action or a required parameter.',
          requestId,
        );
  }
  if (look === 'json')
    return errorInLook(look, requestId, request.contentType, 400, 'UnknownOperationException');
  return errorInLook(look, requestId, request.contentType, 404, 'UnknownOperationException', NOT_SERVED);
}

/** An error raised before any service is chosen (a body over the cap), in the request's protocol. */
export function errorInLook(
  look: RequestLook,
  requestId: string,
  contentType: string,
  status: number,
  code: string,
  message?: string,
): HttpReply {
  switch (look) {
    case 'json':
      return {
        status,
        headers: {
          'content-type': contentType.startsWith('application/x-amz-json-1.0')
            ? 'application/x-amz-json-1.0'
            : 'application/x-amz-json-1.1',
        },
        body: JSON.stringify({ __type: `${CORAL}${code}`, message }),
      };
    case 'query':
      return queryError(status, code, message ?? '', requestId);
    case 'restJson':
      return {
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
        body: JSON.stringify({ message }),
      };
    case 'restXml':
      return {
        status,
        headers: { 'content-type': 'application/xml' },
        body:
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code>` +
          `<Message>${escapeXml(message ?? '')}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
  }
}

/** An awsQuery `ErrorResponse` for errors raised before any service is chosen. */
export function queryError(status: number, code: string, message: string, requestId: string): HttpReply {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body:
      `<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
