/** Entry of the bundled CLI (dist/cli.js): real process streams, exit code on the process. */
import { processIO } from './io.js';
import { main } from './index.js';

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // A reader that went away (`dendrite … | head`) is not an error: stop quietly.
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  const code = await main(argv, processIO());
  // Exit as soon as the output is out: undici's internals otherwise keep the
  // process alive ~100 ms after its sockets are closed (measured), a third of a ping.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
