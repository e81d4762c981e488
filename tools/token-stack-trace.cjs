// Stands in for cdktf's tokens/private/stack-trace.js in the app's bundle (tools/app.cjs). cdktf
// records a full stack trace wherever a token is created, to say where a token came from when it
// fails to resolve; formatting those traces was about a sixth of the app's time. They are
// recorded only when CDKTF_TOKEN_STACK_TRACES is set (e.g. to debug such an error); the
// synthesized configuration is the same either way (npm run bench compares it byte for byte).
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.captureStackTrace = captureStackTrace;

function captureStackTrace(below) {
  if (!process.env.CDKTF_TOKEN_STACK_TRACES) return [];
  below = below || captureStackTrace;
  const object = { stack: "" };
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
    Error.captureStackTrace(object, below);
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
  if (!object.stack) return [];
  return object.stack
    .split("\n")
    .slice(1)
    .map((s) => s.replace(/^\s*at\s+/, ""));
}
