import { useEffect, useState } from 'react';
import { useT } from '../i18n';
import { qrDataUrl } from '../qr';
import { shareLink } from '../router';

/** The share link with a copy button and its QR code. */
export function SharePanel({ secret }: { secret: string }) {
  const t = useT();
  const link = shareLink(secret);
  const [qr, setQr] = useState<string>();
  // 'selected': no clipboard API (a plain-http LAN address): the link is selected for Ctrl+C instead.
  const [copied, setCopied] = useState<'no' | 'copied' | 'selected'>('no');

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
    let outcome: 'copied' | 'selected' = 'copied';
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // No clipboard API on insecure origins: select the text so the user can copy it.
      const el = document.querySelector('[data-testid=share-link]');
      if (el) window.getSelection()?.selectAllChildren(el);
      outcome = 'selected';
    }
    setCopied(outcome);
    if (outcome === 'copied') setTimeout(() => setCopied('no'), 2000);
  };

  return (
    <div className="card share-panel">
      <div className="share-text">
        <h3>{t('share.linkTitle')}</h3>
        <p className="muted">{t('share.linkHint')}</p>
        <div className="link-row">
          <code className="link" data-testid="share-link">
            {link}
          </code>
          <button type="button" className="primary" onClick={() => void copy()} data-testid="copy-link">
            {copied === 'copied' ? t('share.copied') : t('share.copy')}
          </button>
        </div>
        <span className="small muted copy-status" role="status" data-testid="copy-status" data-state={copied}>
          {copied === 'selected' ? t('share.selected') : ''}
        </span>
      </div>
      {qr && <img className="qr" src={qr} alt={t('share.qrAlt')} data-testid="share-qr" width={180} height={180} />}
    </div>
  );
}
