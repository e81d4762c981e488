/** Counting in words, for every text the ops tools print (reports, runbooks, diagrams). */

/** "1 task", "3 tasks", "0 rules". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
