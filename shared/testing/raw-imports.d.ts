// Suites read a learner's non-TypeScript files (e.g. indexes.sql) as text through Vite.
declare module '*?raw' {
  const content: string;
  export default content;
}
