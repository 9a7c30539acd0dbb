// The message the channel reporter (inside vitest) sends to runVitest (outside it).
export const REPORT_MESSAGE = 'workbook:report';
export type ReportFormat = 'json' | 'junit';

export interface ReportMessage {
  type: typeof REPORT_MESSAGE;
  format: ReportFormat;
  body: string;
}

export function isReportMessage(message: unknown): message is ReportMessage {
  const candidate = message as Partial<ReportMessage> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.type === REPORT_MESSAGE &&
    (candidate.format === 'json' || candidate.format === 'junit') &&
    typeof candidate.body === 'string'
  );
}
