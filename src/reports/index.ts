export { buildFgReport, type CheckOutcomeCounts, type FgReport } from "./fg-report.ts";
export type { CaseCounts } from "./case-counts.ts";
export {
  buildDpiaSample,
  sampleSize,
  type DpiaEntry,
  type DpiaSample,
  type DpiaStep,
} from "./dpia-sample.ts";
export { dpiaSampleMarkdown, fgReportMarkdown } from "./markdown.ts";
export {
  readSnapshot,
  reportPeriod,
  sampleOptions,
  type ReportError,
  type ReportPeriod,
  type SampleOptions,
} from "./report-input.ts";
export { dpiaSampleFor, fgReportFor } from "./report-service.ts";
