// SigV4 for the gateway: read the credential scope (it routes signed requests) and verify a
// signature by signing the same request again with @smithy/signature-v4, the SDK's own signer,
// so the sandbox rejects exactly what AWS would reject for a wrong secret.

import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';

export interface SigV4Auth {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/;

/** The Authorization header's parts, or undefined for an unsigned (or not SigV4) request. */
export function parseAuthorization(header: string | undefined): SigV4Auth | undefined {
  const m = header ? AUTH.exec(header.trim()) : null;
  if (!m) return undefined;
  return { accessKeyId: m[1], date: m[2], region: m[3], service: m[4], signedHeaders: m[5].split(';'), signature: m[6] };
}

// The hash the signer expects (the SDK injects @aws-crypto in clients; node:crypto is enough here).
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

const bytes = (d: SourceData): string | Uint8Array =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

export interface RawRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** True when the request's signature is the one `secretAccessKey` gives. */
export async function verifySignature(req: RawRequest, auth: SigV4Auth, secretAccessKey: string): Promise<boolean> {
  const amzDate = headerValue(req.headers, 'x-amz-date');
  if (!amzDate) return false;
  const url = new URL(req.url, 'http://placeholder');
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) headers[name] = headerValue(req.headers, name) ?? '';
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : ([] as string[]).concat(prev, v);
  }
  const request: HttpRequest = {
    method: req.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query, headers, body: req.body,
  };
  const signer = new SignatureV4({
    service: auth.service, region: auth.region, sha256: Sha256,
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    // Only what the client signed: the signer must not add x-amz-content-sha256 of its own.
    applyChecksum: false,
  });
  const signed = await signer.sign(request, { signingDate: parseAmzDate(amzDate) });
  const again = parseAuthorization(String(signed.headers.authorization ?? signed.headers.Authorization));
  return again?.signature === auth.signature;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

/** `20260101T120000Z` -> Date. */
function parseAmzDate(s: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return new Date(NaN);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}
