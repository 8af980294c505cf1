/** ICE servers from the tracker's /config.json (STUN/TURN are deployment choices, not the app's). */

export interface IceConfig {
  iceServers: RTCIceServer[];
}

function isIceServer(v: unknown): v is RTCIceServer {
  if (!v || typeof v !== 'object') return false;
  const urls = (v as { urls?: unknown }).urls;
  return typeof urls === 'string' || (Array.isArray(urls) && urls.every((u) => typeof u === 'string'));
}

/** Never throws: without a usable config the app still connects on a LAN (host candidates). */
export async function loadIceConfig(fetchImpl: typeof fetch = fetch, url = '/config.json'): Promise<IceConfig> {
  try {
    const res = await fetchImpl(url, { cache: 'no-store' });
    if (!res.ok) return { iceServers: [] };
    const body = (await res.json()) as { iceServers?: unknown };
    const servers = Array.isArray(body?.iceServers) ? body.iceServers.filter(isIceServer) : [];
    return { iceServers: servers };
  } catch {
    return { iceServers: [] };
  }
}
