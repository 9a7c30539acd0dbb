// Suites read a learner's non-TypeScript files (e.g. indexes.sql) as text through Vite.
declare module '*?raw' {
  const content: string;
  export default content;
}
// The path of an exercise file in the target being judged (target-plugin.ts), for code the
// suite runs in a process of its own.
declare module '*?workbook-file' {
  const file: string;
  export default file;
}
