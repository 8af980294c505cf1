/** Whether this browser can transfer an RTCDataChannel to a worker (Chromium >= 130, Safari; not Firefox). */
export function canTransferDataChannels(): boolean {
  let pc: RTCPeerConnection | undefined;
  const mc = new MessageChannel();
  try {
    pc = new RTCPeerConnection();
    const channel = pc.createDataChannel('probe');
    mc.port1.postMessage(channel, [channel]);
    return true;
  } catch {
    return false;
  } finally {
    pc?.close();
    mc.port1.close();
    mc.port2.close();
  }
}
