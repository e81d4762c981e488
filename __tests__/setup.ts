// cdktf records a full stack trace wherever a token is created; under Jest every trace also goes
// through source-map-support, which took much of a synthesizing spec's CPU. The specs use
// the stand-in the app's bundle uses (tools/token-stack-trace.cjs: traces only when
// CDKTF_TOKEN_STACK_TRACES is set); the synthesized configuration is the same either way.
// ts-jest hoists this above the imports, so cdktf loads the stand-in from the start.
jest.mock("cdktf/lib/tokens/private/stack-trace", () => jest.requireActual("../tools/token-stack-trace.cjs"));

import { Testing } from "cdktf";
// Brings the type declarations of cdktf's Jest matchers (toHaveResourceWithProperties, ...).
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
