/**
 * A folder as a one-commit git repository, in memory: the loose-object encoding (blob, tree,
 * commit) and a version-2 packfile of all of them. Pure functions; git's formats as documented in
 * gitformat-pack(5) and gitformat-tree/commit in git's own documentation.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export interface RepositoryFile {
  /** Slash-separated path inside the repository, e.g. `lib/api.js`. */
  path: string;
  content: Buffer;
}

export interface GitObject {
  type: 'commit' | 'tree' | 'blob';
  /** The object's body, without git's `<type> <size>\0` header. */
  body: Buffer;
  /** Hex SHA-1 of header + body: the object's name. */
  id: string;
}

export interface Repository {
  commitId: string;
  objects: GitObject[];
}

/** Who and when the commit says: fixed, so every instance serves the same commit id for the same files. */
export interface CommitSignature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
  message: string;
}

function gitObject(type: GitObject['type'], body: Buffer): GitObject {
  const header = Buffer.from(`${type} ${body.length}\0`);
  const id = createHash('sha1').update(header).update(body).digest('hex');
  return { type, body, id };
}

interface Directory {
  files: Map<string, Buffer>;
  directories: Map<string, Directory>;
}

function directoryOf(files: RepositoryFile[]): Directory {
  const root: Directory = { files: new Map(), directories: new Map() };
  for (const file of files) {
    const parts = file.path.split('/');
    const name = parts.pop();
    if (!name || parts.some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`not a repository path: ${file.path}`);
    }
    let directory = root;
    for (const part of parts) {
      let child = directory.directories.get(part);
      if (!child) {
        child = { files: new Map(), directories: new Map() };
        directory.directories.set(part, child);
      }
      directory = child;
    }
    directory.files.set(name, file.content);
  }
  return root;
}

/** Writes a tree and everything under it into `objects`; returns the tree. */
function writeTree(directory: Directory, objects: GitObject[]): GitObject {
  const entries: { sortKey: string; bytes: Buffer }[] = [];
  const entry = (mode: string, name: string, object: GitObject) => {
    objects.push(object);
    // git orders a tree's entries by name, a directory's name compared as if it ended in '/'.
    entries.push({
      sortKey: mode === '40000' ? `${name}/` : name,
      bytes: Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(object.id, 'hex')]),
    });
  };
  for (const [name, content] of directory.files) entry('100644', name, gitObject('blob', content));
  for (const [name, child] of directory.directories) entry('40000', name, writeTree(child, objects));
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.sortKey), Buffer.from(b.sortKey)));
  return gitObject('tree', Buffer.concat(entries.map((e) => e.bytes)));
}

/** The files as one root commit (no parents). */
export function buildRepository(files: RepositoryFile[], signature: CommitSignature): Repository {
  const objects: GitObject[] = [];
  const tree = writeTree(directoryOf(files), objects);
  objects.push(tree);
  const person = `${signature.name} <${signature.email}> ${signature.time} +0000`;
  const commit = gitObject(
    'commit',
    Buffer.from(`tree ${tree.id}\nauthor ${person}\ncommitter ${person}\n\n${signature.message}\n`),
  );
  objects.push(commit);
  // Identical files share one blob; a pack lists each object once.
  const unique = [...new Map(objects.map((object) => [object.id, object])).values()];
  return { commitId: commit.id, objects: unique };
}

const PACK_TYPE = { commit: 1, tree: 2, blob: 3 } as const;

/** A packfile (version 2, no deltas) holding the objects, with its SHA-1 trailer. */
export function packObjects(objects: GitObject[]): Buffer {
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'ascii');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(objects.length, 8);
  const parts: Buffer[] = [header];
  for (const object of objects) {
    // Type and size: the first byte holds the type and the size's low 4 bits; then 7 bits per byte.
    let size = object.body.length >>> 4;
    let byte = (PACK_TYPE[object.type] << 4) | (object.body.length & 0x0f);
    const bytes: number[] = [];
    while (size > 0) {
      bytes.push(byte | 0x80);
      byte = size & 0x7f;
      size >>>= 7;
    }
    bytes.push(byte);
    parts.push(Buffer.from(bytes), deflateSync(object.body));
  }
  const pack = Buffer.concat(parts);
  return Buffer.concat([pack, createHash('sha1').update(pack).digest()]);
}
