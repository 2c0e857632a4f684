/**
 * Survey charts drawn as SVG on the server (and the same in the browser): horizontal bars with
 * d3-scale computing positions (docs/decisions/032-survey-results-charts-and-csv.md). Each chart
 * is `role="img"` with a `<title>` and a `<desc>` that states every value, so a screen reader
 * hears the numbers the bars show; the table beside it gives the same numbers as text.
 */
import { scaleBand, scaleLinear } from "d3-scale";
import { useId } from "react";
import { useTranslation } from "react-i18next";

export interface Bar {
  label: string;
  count: number;
  percent: number;
}

const WIDTH = 640;
const LABEL = 210;
const VALUE = 90;
const ROW = 30;

/** Cuts a label to fit the label column (the table and `<desc>` carry it whole). */
function clip(label: string, max = 28): string {
  return [...label].length > max ? `${[...label].slice(0, max - 1).join("")}…` : label;
}

/** One question's answers: a bar per choice, its length the share of those who answered. */
export function BarChart({ title, bars, testId }: { title: string; bars: Bar[]; testId?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const height = bars.length * ROW + 10;
  const x = scaleLinear().domain([0, 100]).range([0, WIDTH - LABEL - VALUE]);
  const y = scaleBand<number>().domain(bars.map((_, i) => i)).range([5, height - 5]).padding(0.2);
  const desc = bars.map((b) => t("surveys.results.barDesc", { label: b.label, count: b.count, percent: b.percent })).join("; ");
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} className="survey-chart" role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid={testId ?? "survey-chart"}>
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      {bars.map((b, i) => (
        <g key={i} transform={`translate(0, ${y(i)})`}>
          <text x={LABEL - 8} y={y.bandwidth() / 2} dominantBaseline="middle" textAnchor="end" className="chart-label">{clip(b.label)}</text>
          <rect x={LABEL} width={Math.max(x(b.percent), b.count > 0 ? 2 : 0)} height={y.bandwidth()} className="chart-bar" rx={2} />
          <text x={LABEL + x(b.percent) + 6} y={y.bandwidth() / 2} dominantBaseline="middle" className="chart-value">{`${b.percent}% (${b.count})`}</text>
        </g>
      ))}
    </svg>
  );
}

export interface Series {
  label: string;
  /** Withheld (too few answers) or with a percentage per choice, in the choices' order. */
  withheld: boolean;
  values: number[];
}

/** Choices compared across groups (the U.S. and China): one bar per group for each choice. */
export function GroupedBarChart({ title, labels, series, testId }: { title: string; labels: string[]; series: Series[]; testId?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const shown = series.filter((s) => !s.withheld);
  const groupHeight = Math.max(shown.length, 1) * 18 + 12;
  const height = labels.length * groupHeight + 10;
  const x = scaleLinear().domain([0, 100]).range([0, WIDTH - LABEL - VALUE]);
  const y = scaleBand<number>().domain(labels.map((_, i) => i)).range([5, height - 5]).padding(0.1);
  const inner = scaleBand<number>().domain(shown.map((_, i) => i)).range([0, y.bandwidth()]).padding(0.15);
  const desc = series
    .map((s) =>
      s.withheld
        ? t("surveys.results.groupWithheld", { group: s.label })
        : `${s.label}: ${labels.map((label, i) => t("surveys.results.shareDesc", { label, percent: s.values[i] ?? 0 })).join(", ")}`,
    )
    .join(". ");
  return (
    <figure className="survey-figure">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} className="survey-chart" role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid={testId ?? "survey-grouped-chart"}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        {labels.map((label, i) => (
          <g key={i} transform={`translate(0, ${y(i)})`}>
            <text x={LABEL - 8} y={y.bandwidth() / 2} dominantBaseline="middle" textAnchor="end" className="chart-label">{clip(label)}</text>
            {shown.map((s, j) => (
              <g key={s.label} transform={`translate(0, ${inner(j)})`}>
                <rect x={LABEL} width={x(s.values[i] ?? 0)} height={inner.bandwidth()} className={`chart-bar chart-series-${j}`} rx={2} />
                <text x={LABEL + x(s.values[i] ?? 0) + 6} y={inner.bandwidth() / 2} dominantBaseline="middle" className="chart-value">{`${s.values[i] ?? 0}%`}</text>
              </g>
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="chart-legend">
        {series.map((s, j) => (
          <span key={s.label} className="legend-item">
            {s.withheld ? null : <span className={`legend-swatch chart-series-${shown.indexOf(s)}`} aria-hidden="true" />}
            {s.withheld ? t("surveys.results.groupWithheld", { group: s.label }) : s.label}
            {j < series.length - 1 ? " " : null}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
