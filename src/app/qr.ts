/**
 * A QR code as a data: URL. The `qrcode` package is loaded on first use, so pages without a QR
 * code (a download, my files) don't fetch it.
 */
export async function qrDataUrl(text: string, width: number): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toDataURL(text, { margin: 1, width, errorCorrectionLevel: 'M' });
}
