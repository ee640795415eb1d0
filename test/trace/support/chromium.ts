import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

/** Debian's `chromium` package (.ci/run installs it when missing). */
export const CHROMIUM = '/usr/bin/chromium'

/** A headless Chromium with a fresh profile, no network side traffic; close() removes the profile. */
export async function launchChromium(): Promise<{
  context: BrowserContext
  close(): Promise<void>
}> {
  const profile = await mkdtemp(path.join(tmpdir(), 'trace-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    context,
    async close() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}
