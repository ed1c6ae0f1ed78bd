import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../../scripts/sam-template.js';

/*
 * Debian's Chromium driven by playwright-core, which downloads no browser of
 * its own. The tests never skip for want of it: without Chromium they fail,
 * saying how to install it. Each context records what went wrong in its pages
 * (uncaught errors, console errors, Content-Security-Policy violations), so a
 * test can assert that nothing did.
 */

/** The binary itself first: /usr/bin/chromium is a shell wrapper that prints noise on every launch. */
const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];
export const INSTALL_CHROMIUM = 'apt-get install -y --no-install-recommends chromium';

/** Where the tests' screenshots go (git-ignored). */
export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'test-results', 'console');

/** CHROMIUM_PATH, else Debian's Chromium; fails with the command that installs it. */
export function chromiumExecutable(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist.`);
    return configured;
  }
  const found = CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `Chromium is not installed (looked for ${CHROMIUM_CANDIDATES.join(', ')}): ` +
        `install it with \`${INSTALL_CHROMIUM}\`, or set CHROMIUM_PATH.`,
    );
  }
  return found;
}

/** A headless Chromium; playwright passes --no-sandbox itself (chromiumSandbox is off by default), which root needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true });
}

/** A Content-Security-Policy violation, as the page's `securitypolicyviolation` event described it. */
export interface CspViolation {
  directive: string;
  blockedURI: string;
  sourceFile: string;
  lineNumber: number;
  sample: string;
  documentURI: string;
}

/** What went wrong in a context's pages, in the order it happened. */
export interface PageProblems {
  pageErrors: string[];
  consoleErrors: string[];
  cspViolations: CspViolation[];
}

const CSP_BINDING = '__recordCspViolation';

/** Runs in every page before its own scripts: hands each CSP violation to the test. */
const REPORT_CSP_VIOLATIONS = `
addEventListener('securitypolicyviolation', (event) => {
  window.${CSP_BINDING}({
    directive: event.effectiveDirective,
    blockedURI: event.blockedURI,
    sourceFile: event.sourceFile,
    lineNumber: event.lineNumber,
    sample: event.sample,
    documentURI: event.documentURI,
  });
}, true);
`;

/** A new context whose pages' errors and CSP violations are recorded in `problems`. */
export async function watchedContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const context = await browser.newContext(options);
  const problems: PageProblems = { pageErrors: [], consoleErrors: [], cspViolations: [] };
  await context.exposeBinding(CSP_BINDING, (_source, violation: CspViolation) => {
    problems.cspViolations.push(violation);
  });
  await context.addInitScript({ content: REPORT_CSP_VIOLATIONS });
  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
  };
  context.on('page', watch);
  for (const page of context.pages()) watch(page);
  return { context, problems };
}

/** Saves a full-page screenshot as test-results/console/<name>; its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
