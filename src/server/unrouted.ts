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
  switch (look) {
    case 'json':
      return {
        status: 400,
        headers: {
          'content-type': request.contentType.startsWith('application/x-amz-json-1.0')
            ? 'application/x-amz-json-1.0'
            : 'application/x-amz-json-1.1',
        },
        body: JSON.stringify({ __type: `${CORAL}UnknownOperationException` }),
      };
    case 'query':
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
    case 'restJson':
      return {
        status: 404,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' },
        body: JSON.stringify({ message: 'No AWS operation is served at this method and path.' }),
      };
    case 'restXml':
      return {
        status: 404,
        headers: { 'content-type': 'application/xml' },
        body:
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>UnknownOperationException</Code>' +
          `<Message>No AWS operation is served at this method and path.</Message><RequestId>${requestId}</RequestId></Error>`,
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
