// Every console URL `console-url demo --json` prints, opened in headless Chromium (Debian's,
// driven by playwright-core): each viewer page must connect and show the emulator's
// framebuffer (the provider's colour and the white text, read back from noVNC's canvas, not a
// blank one); a Tencent URL opened a second time and an Alibaba URL opened after its 15 s must
// fail with the viewer saying why. Screenshots of each go to $ARTIFACTS.

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const bin = process.env.CONSOLE_URL;
const artifacts = process.env.ARTIFACTS || 'browser-artifacts';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!bin) throw new Error('CONSOLE_URL must name a console-url built with the demo feature');
mkdirSync(artifacts, { recursive: true });

// The emulator's background colour per provider (console-sim's rfb::colour).
const COLOURS = {
  tencent: [0x00, 0x6e, 0xff],
  aliyun: [0xff, 0x6a, 0x00],
  huawei: [0xc7, 0x00, 0x0b],
  smartx: [0x00, 0x9e, 0x73],
  openstack: [0x6c, 0x3f, 0xb5],
};

// The browser starts first: its start can take seconds on a busy machine, and the demo's
// Tencent and Alibaba URLs must be opened within 15 s of being issued.
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const demo = spawn(bin, ['demo', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
const consoles = [];
await new Promise((resolve, reject) => {
  const lines = createInterface({ input: demo.stdout });
  lines.on('line', (line) => {
    const v = JSON.parse(line);
    if (v.ready) resolve();
    else if (v.url) consoles.push(v);
  });
  demo.on('exit', (code) => reject(new Error(`console-url demo exited with ${code}`)));
});

const failures = [];
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Opens `url`; resolves with the viewer's status once it is no longer connecting. */
async function open(url, shot) {
  const page = await browser.newPage({ viewport: { width: 520, height: 320 } });
  await page.goto(url);
  await page.waitForFunction(() => {
    const s = document.getElementById('status');
    return s && s.dataset.state && s.dataset.state !== 'connecting';
  }, null, { timeout: 15000 });
  const status = await page.$eval('#status', (s) => ({ state: s.dataset.state, text: s.textContent }));
  return { page, status, shot };
}

/** The share of the canvas in `colour`, and whether white text is drawn on it. */
async function screen(page, colour) {
  return page.evaluate(([r, g, b]) => {
    const canvas = document.querySelector('#screen canvas');
    if (!canvas || !canvas.width) return { share: 0, white: false };
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let same = 0; let white = false;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r) < 8 && Math.abs(data[i + 1] - g) < 8 && Math.abs(data[i + 2] - b) < 8) same++;
      if (data[i] > 250 && data[i + 1] > 250 && data[i + 2] > 250) white = true;
    }
    return { share: same / (data.length / 4), white };
  }, colour);
}

try {
  // In the demo's order: Tencent and Alibaba first, inside their 15 s.
  for (const c of consoles) {
    const name = `${c.provider}-${slug(c.api)}`;
    const { page, status } = await open(c.url);
    if (status.state !== 'connected') {
      failures.push(`${name}: ${status.text}`);
    } else {
      let seen = { share: 0, white: false };
      for (let i = 0; i < 50 && !(seen.share > 0.5 && seen.white); i++) {
        await page.waitForTimeout(100);
        seen = await screen(page, COLOURS[c.provider]);
      }
      if (!(seen.share > 0.5 && seen.white)) {
        failures.push(`${name}: the canvas does not show the emulator's screen (${JSON.stringify(seen)})`);
      }
    }
    await page.screenshot({ path: `${artifacts}/${name}.png` });
    await page.close();
    console.log(`${name}: ${status.state}`);
  }

  const tencent = consoles.find((c) => c.provider === 'tencent');
  const again = await open(tencent.url);
  await again.page.screenshot({ path: `${artifacts}/tencent-opened-twice.png` });
  if (again.status.state !== 'failed' || !/used already/.test(again.status.text)) {
    failures.push(`tencent opened twice: ${again.status.state}: ${again.status.text}`);
  }
  console.log(`tencent opened twice: ${again.status.text}`);
  await again.page.close();

  const aliyun = consoles.find((c) => c.provider === 'aliyun');
  const issued = Date.parse(aliyun.console.issued_at);
  const wait = issued + 16000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const late = await open(aliyun.url);
  await late.page.screenshot({ path: `${artifacts}/aliyun-after-15-s.png` });
  if (late.status.state !== 'failed' || !/expired/.test(late.status.text)) {
    failures.push(`aliyun after 15 s: ${late.status.state}: ${late.status.text}`);
  }
  console.log(`aliyun after 15 s: ${late.status.text}`);
  await late.page.close();
} finally {
  await browser.close();
  demo.kill('SIGINT');
}

if (failures.length) {
  console.error(`browser test failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`browser test: ${consoles.length} consoles shown, single use and expiry refused; screenshots in ${artifacts}`);
