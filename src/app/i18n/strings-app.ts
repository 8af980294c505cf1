/** UI strings of the share/download app, in English and Traditional Chinese. Keys are shared by both. */
export const appStrings = {
  en: {
    'app.title': 'Swarmdrop',
    'app.tagline': 'Share files straight from your browser, BitTorrent-style.',
    'share.drop': 'Drop files here or pick them',
  },
  'zh-TW': {
    'app.title': 'Swarmdrop',
    'app.tagline': '直接從瀏覽器分享檔案，像 BitTorrent 一樣。',
    'share.drop': '把檔案拖到這裡，或點選檔案',
  },
} as const;
