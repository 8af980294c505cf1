// Dev-only entry (vite dev server: /src/app/classroom/preview.html?ff=40) to look at the projector
// with sample data before the app's router has a classroom route.
import { createRoot } from 'react-dom/client';
import { DemoProjector } from './DemoProjector';
import { WhatIfPage } from './whatif/WhatIfPage';

const q = new URLSearchParams(location.search);
createRoot(document.getElementById('root')!).render(
  q.get('page') === 'whatif' ? <WhatIfPage /> : <DemoProjector fastForward={Number(q.get('ff') ?? 0)} stepMs={Number(q.get('step') ?? 1000)} />,
);
