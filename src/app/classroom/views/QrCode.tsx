/** A QR code of `text` as an <img>, drawn by the `qrcode` package (loaded on demand). */
import { useEffect, useState } from 'react';
import { qrDataUrl } from '../../qr';

export function QrCode({ text, size = 180, label }: { text: string; size?: number; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    qrDataUrl(text, size * 2).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [text, size]);
  return src ? (
    <img className="cls-qr" src={src} width={size} height={size} alt={label} />
  ) : (
    <div className="cls-qr" style={{ width: size, height: size }} />
  );
}
