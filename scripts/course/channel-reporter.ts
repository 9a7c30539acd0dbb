// vitest's JSON report (and, when asked, its JUnit XML) sent to the process that started vitest
// over its IPC channel instead of a file. A report file can be rewritten by anything that runs
// as the same user (a detached helper started by a test file) before the grader reads it; the
// channel is a socket pair that only vitest's main process holds, and test files run in other
// processes. runVitest counts the reports that arrive: more than one of a kind is a forgery.
import type { Vitest } from 'vitest/node';
import { JsonReporter, JUnitReporter, type Reporter } from 'vitest/node';
import { REPORT_MESSAGE, type ReportFormat, type ReportMessage } from './report-message.ts';

function send(format: ReportFormat, body: string): Promise<void> {
  if (!process.send) throw new Error('the channel reporter needs vitest started with an IPC channel (runVitest does that)');
  const message: ReportMessage = { type: REPORT_MESSAGE, format, body };
  return new Promise((resolve, reject) => process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())));
}

class JsonToChannel extends JsonReporter {
  constructor() {
    super({});
  }
  override async writeReport(report: string): Promise<void> {
    await send('json', report);
  }
}

class JUnitToChannel extends JUnitReporter {
  private text = '';
  constructor() {
    super({});
  }
  override async onInit(ctx: Vitest): Promise<void> {
    await super.onInit(ctx);
    // Lines collected here instead of the console or a file (both fields are the reporter's own).
    const collect = async (line: string) => {
      this.text += `${line}\n`;
    };
    const self = this as unknown as { baseLog: typeof collect; logger: { baseLog: typeof collect } };
    self.baseLog = collect;
    self.logger.baseLog = collect;
  }
  override async onTestRunEnd(...args: Parameters<JUnitReporter['onTestRunEnd']>): Promise<void> {
    await super.onTestRunEnd(...args);
    await send('junit', this.text);
  }
}

export default class ChannelReporter implements Reporter {
  private readonly reporters: (JsonToChannel | JUnitToChannel)[] = [new JsonToChannel()];
  constructor() {
    if (process.env.WORKBOOK_REPORT_JUNIT === '1') this.reporters.push(new JUnitToChannel());
  }
  async onInit(ctx: Vitest): Promise<void> {
    for (const reporter of this.reporters) await reporter.onInit(ctx);
  }
  async onTestRunEnd(testModules: Parameters<JUnitReporter['onTestRunEnd']>[0]): Promise<void> {
    for (const reporter of this.reporters) await reporter.onTestRunEnd(testModules);
  }
}
