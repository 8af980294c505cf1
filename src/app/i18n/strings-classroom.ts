/** UI strings of classroom mode (the lecture's terms), in English and Traditional Chinese. */
export const classroomStrings = {
  en: {
    'term.tracker': 'tracker',
    'term.torrent': 'torrent',
    'term.neighbors': 'neighbors',
    'term.chunk': 'chunk',
    'term.rarestFirst': 'rarest first',
    'term.unchoked': 'unchoked',
    'term.optimisticallyUnchoked': 'optimistically unchoked',
    'term.distributionTime': 'distribution time',
  },
  'zh-TW': {
    'term.tracker': '追蹤者 (tracker)',
    'term.torrent': '奔流 (torrent)',
    'term.neighbors': '鄰居 (neighbors)',
    'term.chunk': '區塊 (chunk)',
    'term.rarestFirst': '最稀有優先 (rarest first)',
    'term.unchoked': '疏通 (unchoked)',
    'term.optimisticallyUnchoked': '樂觀疏通 (optimistically unchoked)',
    'term.distributionTime': '傳布時間 (distribution time)',
  },
} as const;
