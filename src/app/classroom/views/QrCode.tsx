/** A QR code of `text` as an <img>, drawn by the `qrcode` package. */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

export function QrCode({ text, size = 180, label }: { text: string; size?: number; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { margin: 1, width: size * 2, errorCorrectionLevel: 'M' }).then((url) => live && setSrc(url), () => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [text, size]);
  return src ? <img className="cls-qr" src={src} width={size} height={size} alt={label} /> : <div className="cls-qr" style={{ width: size, height: size }} />;
}
