// hint <exercise>: the next hint for that exercise, one more each time it is asked.
import type { Command } from './command.ts';
import { oneExercise } from './selection.ts';
import { loadState, saveState } from './state.ts';

export const hint: Command = {
  name: 'hint',
  summary: 'the next hint for an exercise (one more each time)',
  usage: 'hint <exercise>',
  details: 'Hints come from the exercise\'s lesson.json. Use --again to see the last one shown without moving on.',
  options: { again: { type: 'boolean' } },
  run({ positionals, values, root }) {
    const exercise = oneExercise(root, positionals);
    const state = loadState(root);
    const shown = state.hintsShown[exercise.id] ?? 0;
    if (values.again && shown === 0) {
      console.log(`No hint shown yet for ${exercise.id}: npm start -- hint ${exercise.name} shows the first.`);
      return;
    }
    const index = values.again ? Math.max(shown - 1, 0) : Math.min(shown, exercise.hints.length - 1);
    console.log(`Hint ${index + 1} of ${exercise.hints.length} for ${exercise.id}:\n\n  ${exercise.hints[index]}\n`);
    if (!values.again) {
      state.hintsShown[exercise.id] = Math.min(shown + 1, exercise.hints.length);
      saveState(root, state);
    }
    console.log(
      index + 1 < exercise.hints.length
        ? `Ask again for the next one. Reading: ${exercise.lesson.reading}`
        : `That was the last hint. The reference answer: npm start -- diff ${exercise.name}`,
    );
  },
};
