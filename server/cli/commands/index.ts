import type { Command } from "commander";
import type { Io } from "../io";
import { registerLint } from "./lint";
import { registerSchema } from "./schema";
import { registerValidate } from "./validate";
import { registerExport } from "./export";
import { registerImport } from "./import";

export type RegisterCommand = (program: Command, io: Io, setExit: (code: number) => void) => void;

/** Every subcommand, in the order `topo --help` lists them. */
export const COMMANDS: RegisterCommand[] = [registerSchema, registerValidate, registerLint];
COMMANDS.push(registerImport, registerExport);
import { registerSandbox } from "./sandbox";
COMMANDS.push(registerSandbox);
import { registerObserve } from "./observe";
COMMANDS.push(registerObserve);
import { registerUser } from "./user";
COMMANDS.push(registerUser);
import { registerBackup } from "./backup";
import { registerRestore } from "./restore";
COMMANDS.push(registerBackup, registerRestore);
