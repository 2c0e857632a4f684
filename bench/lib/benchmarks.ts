/** Every benchmark `npm run bench` runs, in order (bench/<name>.ts; `npm run bench:<name>` runs one). */
export const BENCHMARKS = ["fanout", "coediting", "thread-page", "scale", "memory", "soak", "search", "first-load"];
