/** `npm run plan`: every stack planned offline into review/<stack>/ (tools/lib/ops/plan.ts). */
import { planStacks } from "./lib/ops/plan";

planStacks((line) => console.log(line));
