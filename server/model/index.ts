export * from "./schema";
export * from "./limits";
export * from "./graph";
export * from "./ids";
export * from "./migrate";
export * from "./validate";
