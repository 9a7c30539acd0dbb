// The front page: every lesson and exercise in order, and what to do next.
import { loadCourse } from '../course/catalog.ts';

export function overview(): void {
  const course = loadCourse();
  console.log('Backend Performance Workbook\n');
  for (const lesson of course) {
    console.log(`${lesson.number} · ${lesson.title}`);
    console.log(`     read: ${lesson.reading}`);
    for (const exercise of lesson.exercises) {
      console.log(`     - ${exercise.name.padEnd(16)} ${exercise.title}`);
      console.log(`       edit ${exercise.starter}`);
    }
    console.log(`     check: npm test -- ${lesson.number}\n`);
  }
  const first = course[0];
  if (first) console.log(`Start with ${first.reading}, then make \`npm test -- ${first.number}\` green.`);
}
