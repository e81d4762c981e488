import { App } from "cdktf";
import { buildApp, loadSettings, resolveDeployment } from "./src/app";
import { ConfigurationError } from "./src/config";

// Validate everything before the App exists: an invalid configuration writes nothing.
let configs;
try {
  configs = resolveDeployment(loadSettings());
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const app = new App();
buildApp(app, configs);
app.synth();
