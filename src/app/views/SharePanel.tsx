import { useEffect, useState } from 'react';
import { useT } from '../i18n';
import { qrDataUrl } from '../qr';
import { shareLink } from '../router';

/** The share link with a copy button and its QR code. */
export function SharePanel({ swarmId }: { swarmId: string }) {
  const t = useT();
  const link = shareLink(swarmId);
  const [qr, setQr] = useState<string>();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    let live = true;
    qrDataUrl(link, 360)
      .then((url) => live && setQr(url))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [link]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // No clipboard API on insecure origins: select the text so the user can copy it.
      const el = document.querySelector('[data-testid=share-link]');
      if (el) window.getSelection()?.selectAllChildren(el);
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };

  return (
    <div className="card share-panel">
      <div className="share-text">
        <h3>{t('share.linkTitle')}</h3>
        <p className="muted">{t('share.linkHint')}</p>
        <div className="link-row">
          <code className="link" data-testid="share-link">{link}</code>
          <button type="button" className="primary" onClick={() => void copy()} data-testid="copy-link">
            {copied ? t('share.copied') : t('share.copy')}
          </button>
        </div>
      </div>
      {qr && <img className="qr" src={qr} alt={t('share.qrAlt')} data-testid="share-qr" width={180} height={180} />}
    </div>
  );
}
