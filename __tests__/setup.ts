import { Testing } from "cdktf";
// Brings the type declarations of cdktf's Jest matchers (toHaveResourceWithProperties, ...).
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
