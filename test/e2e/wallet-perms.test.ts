/** A hotkey keyfile that others can read still signs, with a one-line warning naming the fix. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { ALICE, btwalletJson, hotkeyPath, put, tempDir } from '../support/wallet-fixtures.js';

const keyfile = btwalletJson({ accountId: ALICE.publicKey, publicKey: ALICE.publicKey, privateKey: ALICE.privateKey, ss58Address: ALICE.address });

describe('keyfile permissions', () => {
  it.each([
    [0o644, true],
    [0o640, true],
    [0o600, false],
  ])('mode %o: warns = %s, and still signs', async (mode, warns) => {
    const root = await tempDir();
    const file = await put(hotkeyPath(root, 'w', 'h'), keyfile, mode);
    // Port 1 refuses: the request is built and signed, then reported as a 503 result (exit 0).
    const r = await runCli(['ping', '--axon', `${ALICE.address}@127.0.0.1:1`, '--wallet-path', root, '--wallet', 'w', '--hotkey', 'h', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ status_code: 503, synapse: { dendrite: { hotkey: ALICE.address } } });
    const warning = `dendrite: warning: hotkey file ${file} is readable by others (mode 0${mode.toString(8)}); run chmod 600 ${file}\n`;
    expect(r.stderr).toBe(warns ? warning : '');
  });
});
