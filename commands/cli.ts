/** Entry of the bundled CLI (dist/cli.js): real process streams, exit code on the process. */
import { processIO } from './io.js';
import { main } from './index.js';

export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await main(argv, processIO());
}
