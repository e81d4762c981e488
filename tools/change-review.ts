/** `npm run review`: what the working tree does to infrastructure deployed from a base (tools/lib/review/command.ts). */
import { changeReview } from "./lib/review/command";

changeReview(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    // Usage, git and settings problems: the message says what to fix; a stack trace would bury it.
    console.error(`npm run review: ${error.message}`);
    process.exit(2);
  },
);
