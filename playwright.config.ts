// Playwright: end-to-end tests in the system Chromium (browsers are never downloaded) against a built server.
import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4400);

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: /ftc-.*\.spec\.ts/, use: { ...devices['Desktop Chrome'], channel: undefined } },
    // The FTC flow moves the clock forward with the sweep, so it runs after everything else.
    { name: 'ftc', testMatch: /ftc-.*\.spec\.ts/, dependencies: ['chromium'], use: { ...devices['Desktop Chrome'], channel: undefined } },
  ],
  webServer: {
    command: 'node tests/support/e2e-server.ts',
    url: `http://localhost:${PORT}/`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: { PORT: String(PORT), PUBLIC_URL: `http://localhost:${PORT}`, LOOKUP_LIMIT_PER_IP: '1000', ASTRO_TELEMETRY_DISABLED: '1' },
  },
});
