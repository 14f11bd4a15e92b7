/**
 * The read side of git's "smart HTTP" protocol (protocol v0, stateless RPC), enough for `git clone`
 * and `git fetch`, including the `--depth 1` clone SillyTavern's "Install extension" makes (dumb
 * HTTP cannot do shallow clones, and SillyTavern's built-in isomorphic-git speaks only smart HTTP).
 * One branch, one commit: every fetch gets the whole pack, which is a few kilobytes.
 * Formats: gitprotocol-http(5), gitprotocol-pack(5), gitprotocol-common(5).
 */
import { packObjects, type Repository } from './git-objects.js';

export const BRANCH = 'refs/heads/main';
/** What we implement and nothing more; the client only uses what is offered. */
const CAPABILITIES = `side-band-64k shallow no-progress symref=HEAD:${BRANCH} agent=pecktra-live`;
/** side-band-64k: a packet is at most 65520 bytes, 4 of length and 1 of band. */
const SIDE_BAND_DATA_BYTES = 65515;

export function pktLine(text: string | Buffer): Buffer {
  const data = typeof text === 'string' ? Buffer.from(text) : text;
  return Buffer.concat([Buffer.from((data.length + 4).toString(16).padStart(4, '0')), data]);
}
export const FLUSH = Buffer.from('0000');

/** `GET info/refs?service=git-upload-pack`: the branch and HEAD, with our capabilities. */
export function advertiseRefs(repository: Repository): Buffer {
  return Buffer.concat([
    pktLine('# service=git-upload-pack\n'),
    FLUSH,
    pktLine(`${repository.commitId} HEAD\0${CAPABILITIES}\n`),
    pktLine(`${repository.commitId} ${BRANCH}\n`),
    FLUSH,
  ]);
}

export class UploadPackRequestError extends Error {}

export interface UploadPackRequest {
  wants: string[];
  capabilities: Set<string>;
  /** Commits the client already has as shallow boundaries. */
  shallow: Set<string>;
  depth: number | undefined;
  /** Whether the client listed commits it has (a negotiation round); NAK answers those. */
  negotiating: boolean;
  done: boolean;
}

const OBJECT_ID = /^[0-9a-f]{40}$/;

/** Reads the client's pkt-lines; anything malformed is an UploadPackRequestError. */
export function parseUploadPackRequest(body: Buffer): UploadPackRequest {
  const request: UploadPackRequest = { wants: [], capabilities: new Set(), shallow: new Set(), depth: undefined, negotiating: false, done: false };
  let offset = 0;
  while (offset < body.length) {
    const lengthText = body.subarray(offset, offset + 4).toString('latin1');
    if (!/^[0-9a-f]{4}$/.test(lengthText)) throw new UploadPackRequestError('malformed pkt-line length');
    const length = Number.parseInt(lengthText, 16);
    if (length === 0) {
      offset += 4;
      continue;
    }
    if (length < 4 || offset + length > body.length) throw new UploadPackRequestError('truncated pkt-line');
    const line = body.subarray(offset + 4, offset + length).toString('utf8').replace(/\n$/, '');
    offset += length;
    const [command, argument, ...rest] = line.split(' ');
    switch (command) {
      case 'want':
        if (!argument || !OBJECT_ID.test(argument)) throw new UploadPackRequestError('malformed want');
        request.wants.push(argument);
        // The first want carries the capabilities the client chose.
        if (request.wants.length === 1) for (const capability of rest) request.capabilities.add(capability);
        break;
      case 'have':
        if (!argument || !OBJECT_ID.test(argument)) throw new UploadPackRequestError('malformed have');
        request.negotiating = true;
        break;
      case 'shallow':
        if (!argument || !OBJECT_ID.test(argument)) throw new UploadPackRequestError('malformed shallow');
        request.shallow.add(argument);
        break;
      case 'deepen': {
        const depth = Number(argument);
        if (!Number.isSafeInteger(depth) || depth < 1) throw new UploadPackRequestError('malformed deepen');
        request.depth = depth;
        break;
      }
      case 'done':
        request.done = true;
        break;
      default:
        throw new UploadPackRequestError(`unsupported request line: ${command}`);
    }
  }
  if (request.wants.length === 0) throw new UploadPackRequestError('no want line');
  return request;
}

/**
 * `POST git-upload-pack`: the shallow boundary the client asked for, then, once it says `done`,
 * NAK (we keep no common-ancestor negotiation: the pack is always whole) and the pack.
 */
export function uploadPack(repository: Repository, request: UploadPackRequest): Buffer {
  const unknown = request.wants.find((want) => want !== repository.commitId);
  if (unknown) return Buffer.concat([pktLine(`ERR upload-pack: not our ref ${unknown}\n`), FLUSH]);

  const parts: Buffer[] = [];
  if (request.depth !== undefined) {
    // As git does: at depth 1 the wanted commit is the boundary, announced unless the client knows it.
    if (!request.shallow.has(repository.commitId)) parts.push(pktLine(`shallow ${repository.commitId}\n`));
    parts.push(FLUSH);
  }
  // A request of wants alone (a shallow clone's first round) is answered by the shallow list alone.
  if (request.negotiating || request.done) parts.push(pktLine('NAK\n'));
  if (!request.done) return Buffer.concat(parts);

  const pack = packObjects(repository.objects);
  if (!request.capabilities.has('side-band-64k')) return Buffer.concat([...parts, pack]);
  for (let start = 0; start < pack.length; start += SIDE_BAND_DATA_BYTES) {
    parts.push(pktLine(Buffer.concat([Buffer.from([1]), pack.subarray(start, start + SIDE_BAND_DATA_BYTES)])));
  }
  parts.push(FLUSH);
  return Buffer.concat(parts);
}
