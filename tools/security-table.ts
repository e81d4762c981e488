/** Rewrites SECURITY.md's scanner findings table from security/exceptions.json. */
import * as fs from "fs";
import * as path from "path";
import { findingsTable, withFindingsTable } from "../src/policy/exceptions";

const file = path.join(__dirname, "..", "SECURITY.md");
fs.writeFileSync(file, withFindingsTable(fs.readFileSync(file, "utf8"), findingsTable()));
console.log(`SECURITY.md: findings table written from security/exceptions.json`);
