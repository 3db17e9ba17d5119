// Opens a self-contained page in the test browser, recording what must stay empty: script errors,
// and any request beyond the file itself (a report that fetched something would not be offline).
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export async function openOffline(browser: Browser, file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const requests: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) requests.push(req.url());
  });
  await page.goto(pathToFileURL(file).href);
  return { page, errors, requests };
}
