/**
 * What if? The lecture note's figure made interactive: distribution time against N for
 * client-server and P2P, with sliders for F, u_s, u and d. The bounds are curves; the engine
 * simulator's times for the same settings are points, computed in a Web Worker. The simulator
 * runs a file of at most SIM_MAX_BYTES and scales its time by F / that size (the times are
 * proportional to F when latency is small), so the points stay quick to compute; the engine's
 * defector rule is made as much faster (src/worker/classroom-whatif.ts).
 */
import { useEffect, useMemo, useState } from 'react';
import type { ClassroomMode } from '../../../protocol/classroom';
import { useT } from '../../i18n';
import { formatBytes, formatRate, formatSeconds } from '../format';
import { BoundsVsNChart, type TimePoint } from '../views/BoundsVsNChart';
import { BackLink } from '../views/BackLink';
import { LanguageSwitch } from '../views/LanguageSwitch';
import { SimClient } from './sim-client';
import '../classroom.css';

const KiB = 1024;
const MiB = 1024 * KiB;
const MAX_N = 30;
const SIM_NS = [1, 2, 5, 10, 20, 30];
const SIM_MAX_BYTES = 4 * MiB;

/** A log-scale slider: position 0..1000 maps to min..max. */
function LogSlider({
  label,
  value,
  min,
  max,
  format,
  onChange,
  testid,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  format: (v: number) => string;
  onChange: (v: number) => void;
  testid: string;
}) {
  const pos = Math.round((1000 * Math.log(value / min)) / Math.log(max / min));
  return (
    <label className="wi-slider">
      <span>{label}</span>
      <input
        type="range"
        min={0}
        max={1000}
        value={pos}
        data-testid={testid}
        onChange={(e) => onChange(snap(min * (max / min) ** (Number(e.target.value) / 1000)))}
      />
      <strong>{format(value)}</strong>
    </label>
  );
}

/** The four log sliders: file size, the sharer's upload, every peer's upload and download. */
const SLIDERS: { key: 'F' | 'us' | 'u' | 'd'; min: number; max: number; format: (v: number) => string }[] = [
  { key: 'F', min: 1 * MiB, max: 4096 * MiB, format: formatBytes },
  { key: 'us', min: 64 * KiB, max: 128 * MiB, format: formatRate },
  { key: 'u', min: 16 * KiB, max: 64 * MiB, format: formatRate },
  { key: 'd', min: 64 * KiB, max: 256 * MiB, format: formatRate },
];

/** Rounds to two significant binary-friendly figures so the labels read well. */
function snap(v: number): number {
  const unit = v >= MiB ? MiB / 16 : v >= KiB ? KiB : 1;
  return Math.max(unit, Math.round(v / unit) * unit);
}

export function WhatIfPage() {
  const t = useT();
  const [F, setF] = useState(64 * MiB);
  const [us, setUs] = useState(2 * MiB);
  const [u, setU] = useState(512 * KiB);
  const [d, setD] = useState(4 * MiB);
  const [free, setFree] = useState(0);
  // Tagged with the inputs it was simulated for: a result for other inputs is not shown.
  const [freeRun, setFreeRun] = useState<{ key: string; c: number; f: number } | null>(null);
  const freeKey = `${F}/${us}/${u}/${d}/${free}`;
  const freeResult = freeRun?.key === freeKey ? freeRun : null;
  const [points, setPoints] = useState<TimePoint[]>([]);
  const [simState, setSimState] = useState<'running' | 'done' | 'unavailable'>('running');

  const inputs = `${F} ${us} ${u} ${d}`;
  const [pointsOf, setPointsOf] = useState(inputs);
  if (pointsOf !== inputs) {
    // New inputs clear the old points at once (during render, not in the effect that runs the sims).
    setPointsOf(inputs);
    setPoints([]);
    setSimState('running');
  }

  useEffect(() => {
    const clients: SimClient[] = [];
    let cancelled = false;
    const run = async () => {
      const simBytes = Math.min(F, SIM_MAX_BYTES);
      const scale = F / simBytes;
      // One worker per mode, so the two series fill in side by side (and use both cores).
      const runMode = async (mode: ClassroomMode) => {
        const client = new SimClient();
        clients.push(client);
        for (const N of SIM_NS) {
          const s = await client.run({
            mode,
            peers: N,
            sizeBytes: simBytes,
            seedUpBps: us,
            upBps: u,
            downBps: d,
            timeScale: scale,
          });
          if (cancelled) return;
          if (s !== null) setPoints((ps) => [...ps, { N, D: s * scale, mode }]);
        }
      };
      try {
        await Promise.all([runMode('p2p'), runMode('cs')]);
        if (!cancelled) setSimState('done');
      } catch {
        if (!cancelled) setSimState('unavailable');
      }
    };
    const timer = setTimeout(() => void run(), 350);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      for (const c of clients) c.dispose();
    };
  }, [F, us, u, d]);

  // Free riders: one P2P swarm of MAX_N in which that fraction uploads nothing, both groups' medians.
  useEffect(() => {
    if (free === 0) return;
    const client = new SimClient();
    let cancelled = false;
    const timer = setTimeout(() => {
      const simBytes = Math.min(F, SIM_MAX_BYTES);
      const scale = F / simBytes;
      client
        .runFull({
          mode: 'p2p',
          peers: MAX_N,
          sizeBytes: simBytes,
          seedUpBps: us,
          upBps: u,
          downBps: d,
          freeRiders: free,
          timeScale: scale,
        })
        .then((r) => {
          if (!cancelled && r.contributorsSeconds != null && r.freeRidersSeconds != null)
            setFreeRun({
              key: `${F}/${us}/${u}/${d}/${free}`,
              c: r.contributorsSeconds * scale,
              f: r.freeRidersSeconds * scale,
            });
        })
        .catch(() => undefined);
    }, 350);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      client.dispose();
    };
  }, [F, us, u, d, free]);

  const params = useMemo(() => ({ F, us, u, d }), [F, us, u, d]);
  const setters = { F: setF, us: setUs, u: setU, d: setD };
  return (
    <div className="cls-page wi-page" data-testid="what-if">
      <header className="cls-header">
        <div>
          <BackLink href="#/" label={t('cls.back.home')} />
          <h1>Swarmdrop · {t('wi.title')}</h1>
          <p className="cls-sub">
            D<sub>cs</sub> ≥ max{'{'}NF/u<sub>s</sub>, F/d<sub>min</sub>
            {'}'} · D<sub>P2P</sub> ≥ max{'{'}F/u<sub>s</sub>, F/d<sub>min</sub>, NF/(u<sub>s</sub> + Σu<sub>i</sub>)
            {'}'}
          </p>
        </div>
        <LanguageSwitch />
      </header>
      <main className="wi-main">
        <section className="cls-card wi-controls" data-sim-state={simState} data-points={points.length}>
          {SLIDERS.map((slider) => (
            <LogSlider
              key={slider.key}
              label={t(`wi.${slider.key}`)}
              value={params[slider.key]}
              min={slider.min}
              max={slider.max}
              format={slider.format}
              onChange={setters[slider.key]}
              testid={`wi-${slider.key}`}
            />
          ))}
          <label className="wi-slider">
            <span>{t('wi.free')}</span>
            <input
              type="range"
              min={0}
              max={50}
              step={10}
              value={Math.round(free * 100)}
              data-testid="wi-free"
              onChange={(e) => setFree(Number(e.target.value) / 100)}
            />
            <strong>{Math.round(free * 100)} %</strong>
          </label>
          {free > 0 && (
            <p className="cls-note" data-testid="wi-free-result" data-ready={freeResult ? 'true' : 'false'}>
              {t('cls.fr.explain')}{' '}
              {freeResult
                ? t('wi.freeResult', { N: MAX_N, c: formatSeconds(freeResult.c), f: formatSeconds(freeResult.f) })
                : t('wi.simulating')}
            </p>
          )}
          <p className="cls-note" data-testid="wi-sim-state">
            {simState === 'running'
              ? t('wi.simulating')
              : simState === 'unavailable'
                ? t('wi.simUnavailable')
                : t('wi.simDone', { size: formatBytes(Math.min(F, SIM_MAX_BYTES)), count: points.length })}
          </p>
        </section>
        <section className="cls-card wi-chart">
          <BoundsVsNChart
            title={t('term.distributionTime')}
            params={params}
            maxN={MAX_N}
            points={points}
            testid="wi-chart"
            legend={{ cs: t('wi.curveCS'), p2p: t('wi.curveP2P'), pointsCS: t('wi.simCS'), pointsP2P: t('wi.simP2P') }}
          />
          <p className="wi-why">{t('wi.why1')}</p>
          <p className="wi-why">{t('wi.why2')}</p>
        </section>
      </main>
    </div>
  );
}
