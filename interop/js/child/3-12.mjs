// 3-12: The process crashes inside a child's step once; the replay re-runs the step.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { bumpCounter } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext(async (child) =>
    child.step(async () => {
      if (bumpCounter(context, "3-12") === 1) {
        // The SDK checkpoints ContextStarted/StepStarted in the background (at-least-once step):
        // let them reach the engine, then crash like a dying Lambda.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        process.exit(1);
      }
      return event;
    }),
  );
});
