/**
 * What `aov report` hands a GitHub Actions job besides its files: the Markdown as the job
 * summary (GITHUB_STEP_SUMMARY) and each alert as a workflow annotation on stdout.
 */
import { appendFile } from 'node:fs/promises';
import { formatMessages } from '../report/messages.js';
import type { ReportAlert } from '../report/reportTypes.js';

/** The job summary's size limit is 1 MiB: a longer report is cut, with room kept for the line that says so. */
const SUMMARY_LIMIT = 1024 * 1024 - 1024;
/** Annotations shown per run, at the most. */
const MAX_ANNOTATIONS = 10;

/** Appends the report to the job summary when GITHUB_STEP_SUMMARY names one; `reportFile` is where the full report is. */
export async function appendJobSummary(markdown: string, reportFile: string): Promise<void> {
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (!summary) return;
  const text = Buffer.byteLength(markdown) > SUMMARY_LIMIT ? `${markdown.slice(0, SUMMARY_LIMIT / 2)}\n\n_(cut to fit the 1 MiB job summary; the full report is in ${reportFile})_\n` : markdown;
  try {
    await appendFile(summary, text);
  } catch (error) {
    // The report is written; a job summary that cannot be appended must not lose the annotations or the alert exit code.
    process.stderr.write(formatMessages('warning', [`cannot append the job summary to ${summary} (${(error as Error).message}); the report files are written.`]));
  }
}

/** Each alert as a workflow annotation (::error:: or ::warning::), inside a GitHub Actions run only. */
export function writeAnnotations(alerts: readonly ReportAlert[]): void {
  if (process.env.GITHUB_ACTIONS !== 'true') return;
  for (const a of alerts.slice(0, MAX_ANNOTATIONS)) process.stdout.write(`::${a.level === 'error' ? 'error' : 'warning'}::${escapeAnnotation(`${a.rule}: ${a.message}`)}\n`);
}

/** GitHub workflow commands: %, CR and LF must be escaped in the message. */
export function escapeAnnotation(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
