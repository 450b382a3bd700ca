export * from "./function-runtime";
