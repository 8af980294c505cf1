import { test, expect } from '@playwright/test';
import { newPeer } from './fixtures';

test('the app loads and offers a file input to share', async ({ browser, baseURL }) => {
  const page = await newPeer(browser, baseURL!);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Swarmdrop' })).toBeVisible();
  await expect(page.locator('input[type=file][data-testid=share-input]')).toHaveCount(1);
});

test('two browser contexts connect over WebRTC on loopback', async ({ browser, baseURL }) => {
  // Guards the test environment itself (netns + loopback flag + permissions): if this fails,
  // every swarm test would fail for reasons that have nothing to do with the app.
  const a = await newPeer(browser, baseURL!);
  await a.goto('/');
  const connected = await a.evaluate(async () => {
    const p1 = new RTCPeerConnection();
    const p2 = new RTCPeerConnection();
    p1.onicecandidate = (e) => e.candidate && p2.addIceCandidate(e.candidate);
    p2.onicecandidate = (e) => e.candidate && p1.addIceCandidate(e.candidate);
    const ch = p1.createDataChannel('t');
    const got = new Promise<string>((resolve) => {
      p2.ondatachannel = (e) => (e.channel.onmessage = (m) => resolve(String(m.data)));
    });
    ch.onopen = () => ch.send('hello');
    await p1.setLocalDescription(await p1.createOffer());
    await p2.setRemoteDescription(p1.localDescription!);
    await p2.setLocalDescription(await p2.createAnswer());
    await p1.setRemoteDescription(p2.localDescription!);
    return Promise.race([got, new Promise<string>((r) => setTimeout(() => r('timeout'), 15_000))]);
  });
  expect(connected).toBe('hello');
});
