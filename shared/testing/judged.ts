// judged(scenario): a time-sensitive check, judged only on a run the test's own clock could judge.
// The scenario returns false when the machine was too slow for the run to tell anything (it then
// asserts nothing), true once it has asserted; it is tried again, a bounded number of times, so a
// busy machine delays the verdict instead of changing it.
export async function judged(scenario: () => Promise<boolean>, { attempts = 4, busy = 'the run took too long to be judged' }: { attempts?: number; busy?: string } = {}): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) if (await scenario()) return;
  throw new Error(`The machine was too busy to judge this check, ${attempts} times in a row (${busy}): try again when it is calmer.`);
}
