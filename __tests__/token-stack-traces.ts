// cdktf records a full stack trace wherever a token is created; under Jest every trace also goes
// through source-map-support, which took much of a synthesizing spec's CPU. The specs use
// the stand-in the app's bundle uses (tools/token-stack-trace.cjs: traces only when
// CDKTF_TOKEN_STACK_TRACES is set); the synthesized configuration is the same either way.
// The first setup file of both tiers (jest.config.js): a mock only reaches modules loaded after
// it, and the unit tier's marker (unit-tier.ts) already loads cdktf.
jest.mock("cdktf/lib/tokens/private/stack-trace", () => jest.requireActual("../tools/token-stack-trace.cjs"));
