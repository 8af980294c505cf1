/** UI strings of the share/download app, in English and Traditional Chinese. Keys are shared by both. */
const en = {
  'app.title': 'Swarmdrop',
  'app.tagline': 'Share files straight from your browser, BitTorrent-style.',
  'footer.text':
    'Files travel directly between browsers. The tracker only introduces them to each other and never sees your files.',
  'lang.label': 'Language',
  'nav.share': 'Share',
  'nav.files': 'My files',

  'tracker.connecting': 'Connecting',
  'tracker.open': 'Online',
  'tracker.reconnecting': 'Reconnecting',
  'tracker.closed': 'Offline',
  'tracker.connecting.hint': 'Connecting to the tracker that introduces peers to each other.',
  'tracker.open.hint': 'Connected to the tracker: new peers can find this browser.',
  'tracker.reconnecting.hint': 'The tracker is unreachable; retrying with growing pauses.',
  'tracker.closed.hint': 'Not connected to the tracker.',
  'tracker.down':
    'The tracker (the server that introduces browsers to each other) can’t be reached right now; retrying automatically. Transfers with peers already connected go on, but new peers can’t find you until it is back.',

  'tracker.nextTry': 'Trying again in {seconds} s.',
  'tracker.reconnectingNow': 'Reconnecting…',
  'tracker.retryNow': 'Retry now',

  'worker.restarting': 'The transfer engine stopped unexpectedly. Restarting it and resuming from what is stored…',
  'worker.failed': 'The transfer engine keeps failing. Reload the page; everything already received is kept.',

  'share.drop': 'Drop files or a folder here, or pick them',
  'share.dropHint': 'Several at once is fine; a folder keeps its tree. Nothing is uploaded to a server.',
  'share.pick': 'Choose files',
  'share.pickFolder': 'Choose a folder',
  'share.hashing': 'Preparing your files: fingerprinting every chunk so downloaders can check what they get…',
  'copy.copying':
    'Keeping a copy in this browser: {pct}% ({done} of {total}). Sharing works already; keep this page open until the copy is done, so the files stay shared after a reload.',
  'copy.copied': 'A copy is kept in this browser: the files stay shared after a reload.',
  'copy.interrupted':
    'The copy in this browser was interrupted at {pct}%: the rest comes back from peers who have it (or share the files again).',
  'copy.failed': 'This browser could not keep a copy: the files are shared from your disk while this page stays open.',
  'files.copyHeld': 'copy in this browser: {size}',
  'files.noCopy': 'no copy: shared from your own file',
  'problem.sourceChanged':
    'A shared file changed or was moved on your disk, so sharing it stopped: no peer got the changed bytes. Share it again to share the new version.',
  'share.linkTitle': 'Share link',
  'share.linkHint': 'Anyone who opens this link downloads the files from this browser and from each other.',
  'share.copy': 'Copy link',
  'share.copied': 'Copied!',
  'share.selected':
    'This browser can’t copy here by itself: the link is selected, press Ctrl+C (⌘C on a Mac), or long-press it on a phone.',
  'share.qrAlt': 'QR code of the share link',
  'share.summary': '{files} files, {size}',
  'share.summaryOne': '1 file, {size}',

  'how.1.title': 'Drop.',
  'how.1': 'Your files are cut into chunks and fingerprinted right here in the tab.',
  'how.2.title': 'Send the link.',
  'how.2': 'Or show the QR code. The link contains the files’ fingerprint, so nobody can swap them.',
  'how.3.title': 'The swarm delivers.',
  'how.3': 'Every downloader also passes on what it already has, so many can download at once.',

  'role.seed': 'Shared by you',
  'role.download': 'Downloaded',
  'role.downloading': 'Downloading',

  'seed.title': 'Sharing',
  'seed.uploaded': 'Uploaded',
  'seed.rate': 'Upload speed',
  'seed.idle':
    'Nobody is downloading from this browser right now. Send the link (or show the QR code): downloads start as soon as someone opens it.',
  'seed.staysShared':
    'These files stay shared while this tab is open. Close it to stop sharing; they stay in “My files”.',

  'download.title': 'Downloading',
  'download.fetchingInfo': 'Looking for the file…',
  'download.fetchingInfoHint':
    'The file names and size appear as soon as a peer sends them (checked against the link).',
  'download.received': '{held} of {total}',
  'download.stopped': 'Stopped',
  'download.speed': 'Speed',
  'download.timeLeft': 'Time left',
  'download.peers': 'Neighbors',
  'download.passingOn': 'While this tab is open it also passes on what it already has to other downloaders.',
  'download.complete': 'Download complete and verified.',
  'download.save': 'Save',
  'download.saveName': 'Save {name}',
  'download.saveZip': 'Save all as ZIP',
  'download.saveAllHint': '{files} files, their folders kept',
  'download.verifyHint':
    'Every chunk was checked against the link. To be doubly sure, compare the SHA-256 below with the one the sharer sees.',
  'share.verifyHint':
    'Downloaders see the same SHA-256 once their copy is complete: comparing them proves it is the same file.',
  'download.saving': 'Saving to disk… {pct}%',
  'download.saved': 'Saved to disk.',
  'download.handed': 'Handed to your browser: look in its downloads.',
  'download.saveFailed': 'Saving failed: {detail}',

  'peers.title': 'Neighbors',
  'peers.peer': 'Peer',
  'peers.hint': 'The browsers this one exchanges chunks with directly.',
  'peers.from': 'Received from',
  'peers.to': 'Sent to',
  'peers.state': 'State',
  'peers.sharer': 'sharer',
  'peers.state.active': 'connected',
  'peers.state.banned': 'banned: sent corrupt data',
  'peers.state.gone': 'left',
  'peers.route': 'Connection',
  'peers.route.lan': 'direct on the LAN',
  'peers.route.nat': 'direct through NAT',
  'peers.route.relay': 'relayed (TURN)',
  'peers.route.unknown': '…',
  'connect.needsRelay':
    'Peers were found, but your networks block direct connections and this Swarmdrop offers no relay (TURN) server. Whoever runs it can add one.',
  'connect.relayFailed':
    'Peers were found, but no connection could be made, not even through the relay server: a firewall may block it, or the relay refused.',
  'connect.noCandidates':
    'This browser found no network path to offer other peers (no network address, and no STUN server answered).',
  'connect.notHolder':
    'Some of them are not holders of this link: they could not prove they know its secret, so they got nothing.',
  'connect.tryingToReach': '{count} people are trying to reach you and failing.',
  'connect.docLink': 'How to fix it (DEPLOY.md, “When peers cannot connect”)',
  'settings.relayOnly': 'Relay only',
  'settings.relayOnlyHint':
    'Send everything through the relay (TURN) server, so other peers never learn your IP address. Needs a relay server; applies to new connections.',

  'problem.storageFull':
    'Not enough free storage for these files. Free some disk space (or remove files in “My files”) and try again.',
  'problem.storageShortfall':
    'Not enough free storage: this needs {needed}, but the browser lets this site store only {free} more, so it was not started. Free some disk space (or remove files in “My files”) and try again.',
  'problem.badFiles': 'These files can’t be shared as they are:',
  'problem.needsPermission': 'The browser asks before this page reads your shared files again.',
  'share.allowAgain': 'Allow access again',
  'share.allowAgainHint':
    'Shared straight from your files, with no copy in the browser: after a reload the browser asks once before reading them again.',
  'problem.badMetadata': 'A peer sent file information that does not match this link. It was ignored.',
  'problem.storageFailed': 'The browser refused to store the data. Check that storage is allowed for this site.',
  'problem.notFound': 'This browser does not hold these files any more.',
  'problem.internal': 'Something went wrong.',
  'problem.noPeers': 'Waiting for the sharer or other peers…',
  'problem.connectFailed':
    'Peers were found but no direct connection could be made. Your networks may block it; a TURN relay server may be needed (ask whoever runs this Swarmdrop).',

  'link.badTitle': 'This link is not valid',
  'link.badText': 'A share link ends in a 43-character code. Check that the whole link was copied.',
  'link.oldTitle': 'This link is from an older version',
  'link.oldText':
    'Share links are private now and look different (…/#/s/ and a 43-character code). Ask the sharer to share the files again and send the new link.',
  'link.goHome': 'Share your own files',
  'link.unknown':
    'Nobody who has these files is online right now. Check the link, or ask the sharer to keep their tab open.',

  'files.title': 'My files',
  'files.storage': 'Storage used: {used} of {quota}',
  'files.empty': 'Nothing here yet. Files you share or download are kept in this browser.',
  'files.unnamed': 'Waiting for file info…',
  'files.outdated':
    "From an older version of Swarmdrop, before links were private: it can't be shared again. Remove it to free its storage, and share the file again for a new link.",
  'files.remove': 'Remove',
  'files.removeName': 'Remove {name}',
  'files.note':
    'Removing stops sharing at once and deletes the stored copy from this browser 10 seconds later, unless you undo it.',
  'files.removed': 'Removed {name}.',
  'files.removedUnnamed': 'Removed a file whose info had not arrived yet.',
  'files.undo': 'Undo',
} as const;

type AppStrings = { [K in keyof typeof en]: string };

const zhTW: AppStrings = {
  'app.title': 'Swarmdrop',
  'app.tagline': '直接從瀏覽器分享檔案，像 BitTorrent 一樣。',
  'footer.text': '檔案直接在瀏覽器之間傳送。追蹤伺服器只負責介紹彼此，永遠看不到你的檔案。',
  'lang.label': '語言',
  'nav.share': '分享',
  'nav.files': '我的檔案',

  'tracker.connecting': '連線中',
  'tracker.open': '已連線',
  'tracker.reconnecting': '重新連線中',
  'tracker.closed': '離線',
  'tracker.connecting.hint': '正在連線到負責介紹同儕的追蹤伺服器。',
  'tracker.open.hint': '已連上追蹤伺服器：新的同儕可以找到這個瀏覽器。',
  'tracker.reconnecting.hint': '無法連上追蹤伺服器，正在以逐漸拉長的間隔重試。',
  'tracker.closed.hint': '未連上追蹤伺服器。',
  'tracker.down':
    '目前無法連上追蹤伺服器（負責介紹瀏覽器彼此認識的伺服器），會自動重試。已連上的同儕之間仍會繼續傳輸，但在恢復之前新的同儕找不到你。',
  'tracker.nextTry': '{seconds} 秒後再試。',
  'tracker.reconnectingNow': '正在重新連線……',
  'tracker.retryNow': '立即重試',

  'worker.restarting': '傳輸引擎意外停止，正在重新啟動並從已儲存的部分繼續……',
  'worker.failed': '傳輸引擎一再失敗。請重新載入頁面；已收到的資料都會保留。',

  'share.drop': '把檔案或資料夾拖到這裡，或點選檔案',
  'share.dropHint': '可以一次選多個檔案；資料夾會保留其結構。不會上傳到任何伺服器。',
  'share.pick': '選擇檔案',
  'share.pickFolder': '選擇資料夾',
  'share.hashing': '正在準備檔案：為每個區塊計算指紋，讓下載者能檢查收到的內容……',
  'copy.copying':
    '正在把副本存進這個瀏覽器：{pct}%（{done}／{total}）。分享已經開始；請保持此頁面開啟直到完成，重新載入後檔案才會繼續分享。',
  'copy.copied': '這個瀏覽器已保存一份副本：重新載入後檔案仍會繼續分享。',
  'copy.interrupted': '存進這個瀏覽器的副本在 {pct}% 時中斷：其餘部分會從擁有它的同儕取回（或再分享一次檔案）。',
  'copy.failed': '這個瀏覽器無法保存副本：只要此頁面開著，檔案會直接從你的磁碟分享。',
  'files.copyHeld': '此瀏覽器中的副本：{size}',
  'files.noCopy': '沒有副本：直接從你自己的檔案分享',
  'problem.sourceChanged':
    '有分享中的檔案在你的磁碟上被修改或移動，因此已停止分享：沒有同儕收到被修改的內容。請再分享一次以分享新版本。',
  'share.linkTitle': '分享連結',
  'share.linkHint': '任何人打開這個連結，就會從這個瀏覽器以及彼此之間下載檔案。',
  'share.copy': '複製連結',
  'share.copied': '已複製！',
  'share.selected': '這個瀏覽器無法在此自動複製：連結已選取，請按 Ctrl+C（Mac 上為 ⌘C），手機上請長按連結。',
  'share.qrAlt': '分享連結的 QR code',
  'share.summary': '{files} 個檔案，{size}',
  'share.summaryOne': '1 個檔案，{size}',

  'how.1.title': '拖進來。',
  'how.1': '檔案會在這個分頁裡被切成區塊並計算指紋。',
  'how.2.title': '傳送連結。',
  'how.2': '或出示 QR code。連結裡包含檔案的指紋，沒有人能偷換內容。',
  'how.3.title': '群體來傳遞。',
  'how.3': '每個下載者也會把已有的部分轉傳出去，所以很多人可以同時下載。',

  'role.seed': '由你分享',
  'role.download': '已下載',
  'role.downloading': '下載中',

  'seed.title': '分享中',
  'seed.uploaded': '已上傳',
  'seed.rate': '上傳速度',
  'seed.idle': '目前沒有人從這個瀏覽器下載。把連結傳出去（或出示 QR code）：有人打開就會開始下載。',
  'seed.staysShared': '只要這個分頁開著，檔案就會持續分享。關閉分頁即停止分享；檔案仍保留在「我的檔案」。',

  'download.title': '下載中',
  'download.fetchingInfo': '正在尋找檔案……',
  'download.fetchingInfoHint': '一旦有同儕送來檔案資訊（並與連結核對無誤），就會顯示檔名和大小。',
  'download.received': '{held} / {total}',
  'download.stopped': '已停止',
  'download.speed': '速度',
  'download.timeLeft': '剩餘時間',
  'download.peers': '鄰居',
  'download.passingOn': '分頁開著時，也會把已經有的部分轉傳給其他下載者。',
  'download.complete': '下載完成並已驗證。',
  'download.save': '儲存',
  'download.saveName': '儲存 {name}',
  'download.saveZip': '全部存成 ZIP',
  'download.saveAllHint': '{files} 個檔案，保留資料夾結構',
  'download.verifyHint': '每個區塊都已與連結核對過。若要再三確認，可把下方的 SHA-256 與分享者看到的比對。',
  'share.verifyHint': '下載者的副本完成後會看到相同的 SHA-256：兩者相符就證明是同一個檔案。',
  'download.saving': '正在存到磁碟……{pct}%',
  'download.saved': '已存到磁碟。',
  'download.handed': '已交給瀏覽器：請到它的下載清單查看。',
  'download.saveFailed': '儲存失敗：{detail}',

  'peers.title': '鄰居',
  'peers.peer': '同儕',
  'peers.hint': '這個瀏覽器直接交換區塊的其他瀏覽器。',
  'peers.from': '從它收到',
  'peers.to': '送給它',
  'peers.state': '狀態',
  'peers.sharer': '分享者',
  'peers.state.active': '已連線',
  'peers.state.banned': '已封鎖：傳送了損壞的資料',
  'peers.state.gone': '已離開',
  'peers.route': '連線方式',
  'peers.route.lan': '區域網路直連',
  'peers.route.nat': '穿透 NAT 直連',
  'peers.route.relay': '經由中繼（TURN）',
  'peers.route.unknown': '…',
  'connect.needsRelay':
    '找到了同儕，但你們的網路封鎖直接連線，而這個 Swarmdrop 沒有提供中繼（TURN）伺服器。架設者可以加上一個。',
  'connect.relayFailed': '找到了同儕，但無法建立連線，連中繼伺服器也不行：可能被防火牆封鎖，或中繼伺服器拒絕了。',
  'connect.noCandidates': '這個瀏覽器找不到可提供給其他同儕的網路路徑（沒有網路位址，也沒有 STUN 伺服器回應）。',
  'connect.notHolder': '其中有些人並未持有這個連結：他們無法證明知道連結的密鑰，所以什麼也沒拿到。',
  'connect.tryingToReach': '有 {count} 個人正嘗試連線到你，但都失敗了。',
  'connect.docLink': '解決方法（DEPLOY.md，「When peers cannot connect」）',
  'settings.relayOnly': '只用中繼',
  'settings.relayOnlyHint':
    '所有資料都經由中繼（TURN）伺服器傳送，其他同儕就不會知道你的 IP 位址。需要中繼伺服器；套用於新的連線。',

  'problem.storageFull': '儲存空間不足以存放這些檔案。請釋放磁碟空間（或在「我的檔案」中移除檔案）後再試一次。',
  'problem.storageShortfall':
    '儲存空間不足：需要 {needed}，但瀏覽器只允許此網站再存 {free}，因此沒有開始。請釋放磁碟空間（或在「我的檔案」中移除檔案）後再試一次。',
  'problem.badFiles': '這些檔案無法照原樣分享：',
  'problem.needsPermission': '瀏覽器要求你同意後，這個頁面才能再次讀取分享中的檔案。',
  'share.allowAgain': '再次允許存取',
  'share.allowAgainHint': '直接從你的檔案分享，瀏覽器中沒有副本：重新載入後，瀏覽器會先詢問一次才再次讀取。',
  'problem.badMetadata': '有同儕送來與此連結不符的檔案資訊，已忽略。',
  'problem.storageFailed': '瀏覽器拒絕儲存資料。請確認此網站允許使用儲存空間。',
  'problem.notFound': '這個瀏覽器已不再保存這些檔案。',
  'problem.internal': '發生錯誤。',
  'problem.noPeers': '正在等待分享者或其他同儕……',
  'problem.connectFailed':
    '找到了同儕，但無法建立直接連線。你們的網路可能封鎖了它，可能需要 TURN 中繼伺服器（請詢問架設此 Swarmdrop 的人）。',

  'link.badTitle': '這個連結無效',
  'link.badText': '分享連結的結尾是一段 43 個字元的代碼。請確認整個連結都有複製到。',
  'link.oldTitle': '這是舊版的連結',
  'link.oldText': '分享連結現在是私密的，格式也不同（…/#/s/ 加上 43 個字元的代碼）。請分享者重新分享檔案並傳送新連結。',
  'link.goHome': '分享你自己的檔案',
  'link.unknown': '目前沒有擁有這些檔案的人在線上。請檢查連結，或請分享者保持分頁開著。',

  'files.title': '我的檔案',
  'files.storage': '已使用儲存空間：{used} / {quota}',
  'files.empty': '目前沒有檔案。你分享或下載的檔案會保存在這個瀏覽器中。',
  'files.unnamed': '正在等待檔案資訊……',
  'files.outdated':
    '來自舊版 Swarmdrop（連結還不是私密的時候）：無法再分享。移除它以釋放儲存空間，並重新分享檔案以取得新連結。',
  'files.remove': '移除',
  'files.removeName': '移除 {name}',
  'files.note': '移除會立即停止分享，並在 10 秒後刪除這個瀏覽器中的副本（除非你復原）。',
  'files.removed': '已移除 {name}。',
  'files.removedUnnamed': '已移除一個尚未取得資訊的檔案。',
  'files.undo': '復原',
};

export const appStrings = { en, 'zh-TW': zhTW } as const;
