import type { RegisterCommand } from "./index";
import { topologyJsonSchema } from "../../model/schema";

/** `topo schema`: the JSON Schema of the topology document, generated from the zod schema. */
export const registerSchema: RegisterCommand = (program, io) => {
  program
    .command("schema")
    .description("print the JSON Schema of the topology document")
    .option("--compact", "one line instead of indented JSON")
    .action((opts: { compact?: boolean }) => {
      io.out(JSON.stringify(topologyJsonSchema(), null, opts.compact ? 0 : 2));
    });
};
