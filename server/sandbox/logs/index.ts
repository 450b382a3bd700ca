export * from "./filter";
export * from "./store";
export * from "./server";
export * from "./insights";
export * from "./live-tail";
