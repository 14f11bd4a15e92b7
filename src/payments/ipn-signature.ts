/**
 * NOWPayments IPN signatures: `x-nowpayments-sig` is the hex HMAC-SHA512, keyed with the IPN
 * secret, of `JSON.stringify` of the parsed callback body with object keys sorted recursively.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]!);
    return sorted;
  }
  return value;
}

/**
 * NOWPayments' published Node.js example sorts with `Object.keys(...).reduce(...)`, which also turns
 * arrays into index-keyed objects. Bodies with arrays may have been signed either way.
 */
function sortKeysLikeReferenceExample(value: Json): Json {
  if (value !== null && typeof value === 'object') {
    const source = value as { [key: string]: Json };
    const sorted: { [key: string]: Json } = {};
    for (const key of Object.keys(source).sort()) sorted[key] = sortKeysLikeReferenceExample(source[key]!);
    return sorted;
  }
  return value;
}

function containsArray(value: Json): boolean {
  if (Array.isArray(value)) return true;
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsArray);
  return false;
}

function hmacHex(secret: string, text: string): string {
  return createHmac('sha512', secret).update(text).digest('hex');
}

/** The canonical text that gets signed. */
export function canonicalIpnJson(body: unknown): string {
  return JSON.stringify(sortKeys(body as Json));
}

export function signIpnBody(body: unknown, secret: string): string {
  return hmacHex(secret, canonicalIpnJson(body));
}

/** Constant-time check of a received signature against the parsed body. */
export function isValidIpnSignature(body: unknown, signature: string | undefined, secret: string): boolean {
  if (!signature || !/^[0-9a-f]{128}$/i.test(signature.trim())) return false;
  const received = Buffer.from(signature.trim(), 'hex');
  const candidates = [canonicalIpnJson(body)];
  if (containsArray(body as Json)) candidates.push(JSON.stringify(sortKeysLikeReferenceExample(body as Json)));
  let valid = false;
  for (const text of candidates) {
    // Every candidate is compared, so timing does not reveal which one matched.
    if (timingSafeEqual(received, Buffer.from(hmacHex(secret, text), 'hex'))) valid = true;
  }
  return valid;
}
