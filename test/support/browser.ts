import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, which .ci/run installs; playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/**
 * Whether browser tests must run: CI sets EVALGATE_REQUIRE_BROWSER=1 after installing Chromium, so a
 * missing browser fails there; on a developer's machine without Chromium the tests are skipped.
 */
export const isBrowserRequired = process.env.EVALGATE_REQUIRE_BROWSER === '1';

/** Launches headless Chromium with the flags this machine's closed network needs. */
export function launchChromium(): Promise<Browser> {
  if (!CHROMIUM_PATH) throw new Error('Chromium is not installed (apt-get install chromium); .ci/run installs it');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
