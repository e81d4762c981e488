/** `npm run check [-- <guard>...]`: the repository guards (tools/lib/check); exits 1 when one fails. */
import { PROJECT_ROOT } from "../src/validation/deployment";
import { GUARDS, runGuards } from "./lib/check";

const only = process.argv.slice(2);
const unknown = only.filter((id) => !GUARDS.some((g) => g.id === id));
if (unknown.length > 0) {
  console.error(`npm run check: no guard ${unknown.join(", ")}. Guards: ${GUARDS.map((g) => g.id).join(", ")}`);
  process.exit(2);
}
runGuards(PROJECT_ROOT, (line) => console.log(line), only.length > 0 ? only : undefined).then(
  (ok) => {
    process.exitCode = ok ? 0 : 1;
  },
  (error: Error) => {
    // runGuards reports each guard's own failure; this is only a failure to print.
    console.error(`npm run check: ${error.message}`);
    process.exit(2);
  },
);
