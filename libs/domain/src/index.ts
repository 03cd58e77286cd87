/** The pure LOU rules library: calendar, thresholds, classification, rules and time limits. No I/O. */
export * from './types';
export * from './phases';
export * from './errors';
export * from './calendar';
export * from './thresholds';
export * from './classification';
export * from './rules';
export * from './violations';
export * from './deadlines';
export * from './format';
export * from './contract-rules';
export * from './procedures';
export * from './policy';
export * from './delegation';
