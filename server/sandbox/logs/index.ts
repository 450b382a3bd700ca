export * from "./filter";
export * from "./store";
export * from "./server";
export * from "./insights";
