// The three wire formats the sandbox answers in, with AWS's error shapes:
// JSON 1.0 (DynamoDB) and 1.1 (Cognito), and the Query protocol's XML (IAM, STS).

import { randomUUID } from 'node:crypto';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type JsonService = 'dynamodb' | 'cognito-identity' | 'cognito-idp';

const JSON_TYPE: Record<JsonService, string> = {
  dynamodb: 'application/x-amz-json-1.0',
  'cognito-identity': 'application/x-amz-json-1.1',
  'cognito-idp': 'application/x-amz-json-1.1',
};

export function jsonReply(service: JsonService, value: unknown, status = 200): Reply {
  return { status, headers: { 'content-type': JSON_TYPE[service], 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(value) };
}

// DynamoDB names errors by their Coral namespace; the SDK keeps what follows '#'.
const DYNAMODB_NAMESPACE: Record<string, string> = {
  AccessDeniedException: 'com.amazon.coral.service#',
  UnrecognizedClientException: 'com.amazon.coral.service#',
  InvalidSignatureException: 'com.amazon.coral.service#',
  MissingAuthenticationTokenException: 'com.amazon.coral.service#',
  ExpiredTokenException: 'com.amazon.coral.service#',
  ThrottlingException: 'com.amazon.coral.availability#',
  ValidationException: 'com.amazon.coral.validate#',
};

export function jsonError(service: JsonService, code: string, message: string, status = 400): Reply {
  const type = service === 'dynamodb' ? `${DYNAMODB_NAMESPACE[code] ?? 'com.amazonaws.dynamodb.v20120810#'}${code}` : code;
  // DynamoDB spells AccessDeniedException's field "Message"; everything else says "message".
  const field = service === 'dynamodb' && code === 'AccessDeniedException' ? 'Message' : 'message';
  const reply = jsonReply(service, { __type: type, [field]: message }, status);
  reply.headers['x-amzn-errortype'] = code;
  return reply;
}

export type QueryService = 'iam' | 'sts';
const XMLNS: Record<QueryService, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

/** A value for toXml: nested objects become elements, arrays become <member> lists. */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { [key: string]: XmlValue };

export function toXml(value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `<${k}>${toXml(v)}</${k}>`).join('');
  }
  return escapeXml(String(value));
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function queryReply(service: QueryService, action: string, result: XmlValue): Reply {
  const requestId = randomUUID();
  const body = `<${action}Response xmlns="${XMLNS[service]}"><${action}Result>${toXml(result)}</${action}Result>`
    + `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export function queryError(service: QueryService, code: string, message: string, status = 400): Reply {
  const requestId = randomUUID();
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const body = `<ErrorResponse xmlns="${XMLNS[service]}"><Error><Type>${type}</Type><Code>${code}</Code>`
    + `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** The error a service gives for keys it does not know, in its own protocol. */
export function unknownKeyError(service: string): Reply {
  const message = 'The security token included in the request is invalid.';
  if (service === 'iam' || service === 'sts') return queryError(service, 'InvalidClientTokenId', message, 403);
  return jsonError(asJsonService(service), 'UnrecognizedClientException', message, 400);
}

/** The error a service gives for session credentials past their expiration, in its own protocol. */
export function expiredTokenError(service: string): Reply {
  const message = 'The security token included in the request is expired';
  if (service === 'iam' || service === 'sts') return queryError(service, 'ExpiredToken', message, 403);
  return jsonError(asJsonService(service), 'ExpiredTokenException', message, 400);
}

export function badSignatureError(service: string): Reply {
  const message = 'The request signature we calculated does not match the signature you provided. '
    + 'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
  if (service === 'iam' || service === 'sts') return queryError(service, 'SignatureDoesNotMatch', message, 403);
  return jsonError(asJsonService(service), 'InvalidSignatureException', message, 400);
}

export function asJsonService(service: string): JsonService {
  return service === 'dynamodb' || service === 'cognito-idp' ? service : 'cognito-identity';
}
