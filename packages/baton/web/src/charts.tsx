import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ProbeRecord } from '../../src/probe/probe-record.js';
import { probeSeries } from '../../src/report/probe-series.js';
import { VERSION_PALETTE } from '../../src/report/timeline-svg.js';

/** The x series: seconds since the probe started, shown in the legend as the cursor's time. */
const timeSeries: uPlot.Series = { label: 'time', value: (_u, x) => (x === null ? '—' : `${x.toFixed(1)} s`) };

interface ChartProps {
  title: string;
  series: uPlot.Series[];
  data: uPlot.AlignedData;
  axes?: uPlot.Axis[];
  scales?: uPlot.Scales;
  testId: string;
}

/** One uPlot chart that follows its container's width and takes new data without re-creating. */
function Chart({ title, series, data, axes, scales, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('|');
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const u = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 190,
        series,
        legend: { live: true },
        scales: { x: { time: false }, ...scales },
        axes: axes ?? [{ label: 'seconds since the probe started', size: 40 }, { size: 50 }],
        cursor: { drag: { x: false, y: false } },
      },
      data,
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(280, el.clientWidth), height: 190 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={box} />
    </figure>
  );
}

/** The probe's figures over time: answers per second by version, failures and p99, cuts and lost writes. */
export function ProbeCharts({ probe, versions }: { probe: ProbeRecord; versions: string[] }) {
  const s = probeSeries(probe);
  s.versions = versions.filter((v) => s.versions.includes(v)); // the run's colour order
  const versionSeries: uPlot.Series[] = [
    timeSeries,
    ...s.versions.map((v, k) => ({
      label: v,
      stroke: VERSION_PALETTE[k % VERSION_PALETTE.length] ?? '#888',
      width: 2,
      fill: `${VERSION_PALETTE[k % VERSION_PALETTE.length] ?? '#888888'}22`,
      value: (_u: uPlot, x: number | null) => (x === null ? '—' : `${Math.round(x)} req/s`),
    })),
  ];
  const versionData = [s.t, ...s.versions.map((v) => s.answeredPerSecond[v] ?? [])] as uPlot.AlignedData;
  const failData = [s.t, s.failedPerSecond, s.p99Ms] as uPlot.AlignedData;
  const cutData = [s.t, s.streamsCut, s.connectionsCut, s.writesLost] as uPlot.AlignedData;
  const capped = s.capped.streamsCut || s.capped.connectionsCut || s.capped.writesLost;
  return (
    <div class="charts">
      <Chart testId="chart-versions" title="Answered requests per second, by version" series={versionSeries} data={versionData} />
      <Chart
        testId="chart-failures"
        title="Failed requests per second and p99 latency"
        series={[
          timeSeries,
          { label: 'failed', stroke: '#d32f2f', width: 2, fill: '#d32f2f22', value: (_u, x) => (x === null ? '—' : `${Math.round(x)}/s`) },
          { label: 'p99', stroke: '#37474f', width: 1.5, scale: 'ms', value: (_u, x) => (x === null ? '—' : `${Math.round(x)} ms`) },
        ]}
        scales={{ ms: { auto: true } }}
        axes={[
          { label: 'seconds since the probe started', size: 40 },
          { label: 'failed/s', size: 50 },
          { side: 1, scale: 'ms', label: 'p99 ms', size: 64, grid: { show: false } },
        ]}
        data={failData}
      />
      {!probe.streams && !probe.sse && !probe.websockets && !probe.writes ? (
        <figure class="chart">
          <figcaption>Streams cut, connections cut, writes lost</figcaption>
          <p class="muted">not measured: this probe kept no streams or connections open and wrote nothing</p>
        </figure>
      ) : (
        <Chart
          testId="chart-cuts"
          title={`Streams cut, connections cut, writes lost${capped ? ' (first kept of each; see totals)' : ''}`}
          series={[
            timeSeries,
            { label: 'streams cut', stroke: '#f57c00', width: 2, paths: uPlot.paths.bars?.({ size: [0.8] }) },
            { label: 'SSE/WS cut', stroke: '#7b1fa2', width: 2, paths: uPlot.paths.bars?.({ size: [0.8] }) },
            { label: 'writes lost', stroke: '#c62828', width: 2, paths: uPlot.paths.bars?.({ size: [0.8] }) },
          ]}
          data={cutData}
        />
      )}
    </div>
  );
}
