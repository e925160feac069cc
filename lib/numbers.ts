// Counts as people read them: 1,020,002 (en-US grouping, as every figure in the console and the notices).
export const count = (n: number) => n.toLocaleString('en-US');
