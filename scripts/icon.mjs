// Renders docs/images/icon.svg to the 256 px PNG the VS Code Marketplace needs (it takes no SVG icons), in Chromium.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const svg = readFileSync('docs/images/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 256, height: 256 }, deviceScaleFactor: 1 });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="128" height="128"', 'width="256" height="256"')}</body></html>`);
await page.locator('svg').screenshot({ path: 'docs/images/icon.png', omitBackground: true });
await browser.close();
