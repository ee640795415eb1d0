import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag'
import { addDemoStack } from '../demo-app'

// `npx cdk synth` / `npx cdk deploy` from the app folder run this file (see cdk.json).
const app = new App()
addDemoStack(app)
// The rule packs run at synth time: an unacknowledged finding fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app))
app.synth()
