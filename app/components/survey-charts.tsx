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

/**
 * A narrow chart (each choice's label above its bar) so that it reads on a 375 px phone at
 * nearly its own size; it scales up to the CSS max-width on a desk.
 */
const WIDTH = 360;
const VALUE = 70;
const LABEL_LINE = 18;
const BAR = 14;
const GAP = 10;

/**
 * Cuts a label to fit the label column (the table and `<desc>` carry it whole): about 28 Latin
 * characters at 13 px, a CJK character counting as two.
 */
function clip(label: string, max = 28): string {
  let width = 0;
  const kept: string[] = [];
  for (const ch of label) {
    width += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 2 : 1;
    if (width > max - 1) return `${kept.join("")}…`;
    kept.push(ch);
  }
  return label;
}

/** One question's answers: a bar per choice, its length the share of those who answered. */
export function BarChart({ title, bars, testId }: { title: string; bars: Bar[]; testId?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const row = LABEL_LINE + BAR + GAP;
  const height = bars.length * row + 4;
  const x = scaleLinear().domain([0, 100]).range([0, WIDTH - VALUE]);
  const y = scaleBand<number>().domain(bars.map((_, i) => i)).range([0, bars.length * row]);
  const desc = bars.map((b) => t("surveys.results.barDesc", { label: b.label, count: b.count, percent: b.percent })).join("; ");
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} className="survey-chart" role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid={testId ?? "survey-chart"}>
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      {bars.map((b, i) => (
        <g key={i} transform={`translate(0, ${y(i)})`}>
          <text x={0} y={LABEL_LINE - 5} className="chart-label">{clip(b.label, 52)}</text>
          <rect x={0} y={LABEL_LINE} width={WIDTH - VALUE} height={BAR} className="chart-track" rx={2} />
          <rect x={0} y={LABEL_LINE} width={Math.max(x(b.percent), b.count > 0 ? 2 : 0)} height={BAR} className="chart-bar" rx={2} />
          <text x={WIDTH - VALUE + 6} y={LABEL_LINE + BAR - 2} className="chart-value">{`${b.percent}% (${b.count})`}</text>
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
  const row = LABEL_LINE + shown.length * (BAR + 3) + GAP;
  const height = labels.length * row + 4;
  const x = scaleLinear().domain([0, 100]).range([0, WIDTH - VALUE]);
  const y = scaleBand<number>().domain(labels.map((_, i) => i)).range([0, labels.length * row]);
  const desc = series
    .map((s) =>
      s.withheld
        ? t("surveys.results.groupWithheld", { group: s.label })
        : `${s.label}: ${labels.map((label, i) => t("surveys.results.shareDesc", { label, percent: s.values[i] ?? 0 })).join(", ")}`,
    )
    .join(". ");
  if (shown.length === 0) {
    return <p className="muted small" data-testid={testId ?? "survey-grouped-chart"}>{desc}</p>;
  }
  return (
    <figure className="survey-figure">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} className="survey-chart" role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid={testId ?? "survey-grouped-chart"}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        {labels.map((label, i) => (
          <g key={i} transform={`translate(0, ${y(i)})`}>
            <text x={0} y={LABEL_LINE - 5} className="chart-label">{clip(label, 52)}</text>
            {shown.map((s, j) => (
              <g key={s.label} transform={`translate(0, ${LABEL_LINE + j * (BAR + 3)})`}>
                <rect x={0} width={WIDTH - VALUE} height={BAR} className="chart-track" rx={2} />
                <rect x={0} width={x(s.values[i] ?? 0)} height={BAR} className={`chart-bar chart-series-${j}`} rx={2} />
                <text x={WIDTH - VALUE + 6} y={BAR - 2} className="chart-value">{`${s.values[i] ?? 0}%`}</text>
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
