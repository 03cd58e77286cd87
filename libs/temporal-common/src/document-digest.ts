import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from '@tenderflow/domain/canonical-json';

/**
 * The SHA-256 (hex) of a decision document: over its canonical JSON (keys sorted, no spaces;
 * libs/domain canonical-json.ts), so that anyone holding the JSON can check it against the digest
 * the chain keeps. Pure: the tender's workflow computes it when it issues the document, the API
 * and the tests compute it again.
 */
export function documentSha256(document: object): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(document))));
}
