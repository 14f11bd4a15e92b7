/** A pino logger at `info` whose lines tests read back, parsed, in the order they were written. */
import { Writable } from 'node:stream';
import pino from 'pino';

export function recordingLogger<Line extends { level: number; msg: string }>(): { logger: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}
